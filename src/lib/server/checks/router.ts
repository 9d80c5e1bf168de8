import { z } from 'zod';
import { auditedWrite } from '../audit/log';
import { Invalid } from '../errors';
import { writeWithEvents } from '../live/log';
import { podStaffProcedure, podTeacherProcedure, router, studentProcedure } from '../trpc/procedures';
import { itemAnalysis } from './analysis';
import { checkOf, checkToTake, setCheck, submitCheck } from './checks';
import { MAX_ITEMS } from './format';

const activityId = z.uuid({ error: 'activityId must be an activity id' });
const assignmentId = z.uuid({ error: 'assignmentId must be a playlist item id' });

/** One answer: the choices picked, by position, or what the student typed (empty: skipped). */
const answer = z.union(
	[
		z.array(z.number().int().min(0).max(7), { error: 'A choice answer lists the picked choices' }).max(8),
		z.string().max(200, { error: 'Keep each typed answer to 200 characters' })
	],
	{ error: 'Each answer is the choices picked, or the text typed' }
);

export const checksRouter = router({
	/** The check on an activity, with its answer key: for the pod's team. */
	get: podTeacherProcedure
		.input(z.object({ activityId }))
		.query(async ({ ctx, input }) => ({ check: await checkOf(ctx.db, ctx.pod.id, input.activityId) })),

	/**
	 * Put a check (Podboard check JSON, version 1) on an activity, or take it off with null. The
	 * whole team curates the library, so any of its staff may; every change is audited.
	 */
	set: podTeacherProcedure
		.input(
			z.object({
				activityId,
				// Read by the check format itself, which names the item and field at fault; bounded here.
				check: z
					.string({ error: 'check is the check as JSON text' })
					.max(200_000, { error: 'A check is at most 200,000 characters of JSON' })
					.nullable()
			})
		)
		.mutation(({ ctx, input }) =>
			auditedWrite(
				ctx,
				{ action: 'setCheck', entity: 'activity' },
				(trx) => setCheck(trx, ctx.pod.id, input.activityId, parseJson(input.check), ctx.user.id),
				(check) => ({ entityId: input.activityId, detail: { items: check?.items.length ?? 0 } })
			)
		),

	/** For each question: percent right, the wrong answer given most, who missed it. */
	analysis: podStaffProcedure
		.input(z.object({ activityId }))
		.query(({ ctx, input }) => itemAnalysis(ctx.db, ctx.pod.id, input.activityId)),

	/** The student's check on one of their playlist items: the questions, never the key. */
	take: studentProcedure
		.input(z.object({ assignmentId }))
		.query(({ ctx, input }) => checkToTake(ctx.db, ctx.student, input.assignmentId)),

	/** The student's answers, scored here; a retry with the same submissionId is scored once. */
	submit: studentProcedure
		.input(
			z.object({
				submissionId: z.uuid({ error: 'submissionId is a UUID made on the device' }),
				assignmentId,
				answers: z
					.array(answer, { error: 'answers is a list, one per question' })
					.max(MAX_ITEMS, { error: `A check has at most ${MAX_ITEMS} questions` }),
				occurredAt: z.iso.datetime({
					offset: true,
					error: 'occurredAt is a date and time like 2026-11-23T10:15:00Z'
				})
			})
		)
		.mutation(({ ctx, input }) =>
			writeWithEvents(ctx.db, (trx, record) => submitCheck(trx, ctx.student, input, record))
		)
});

/** JSON text as the library page sends it; a person is told where it does not read. */
function parseJson(text: string | null): unknown {
	if (text === null) return null;
	try {
		return JSON.parse(text);
	} catch (error) {
		throw new Invalid(`This check is not JSON: ${error instanceof Error ? error.message : String(error)}`);
	}
}
