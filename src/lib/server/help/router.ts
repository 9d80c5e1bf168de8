import { z } from 'zod';
import { auditedWrite } from '../audit/log';
import { writeWithEvents } from '../live/log';
import { leadsPod, podStaffProcedure, router, studentProcedure } from '../trpc/procedures';
import { askForHelp, claimHelp, helpQueue, lowerHand, myHand, releaseHelp, resolveHelp } from './requests';

const move = z.object({
	requestId: z.uuid({ error: 'requestId must be a help request id' }),
	version: z
		.number({ error: 'version is the number the queue showed' })
		.int({ error: 'version is a whole number' })
		.min(1, { error: 'version starts at 1' })
});

export const helpRouter = router({
	/** The student raises their hand, about the playlist item they are on. */
	request: studentProcedure
		.input(z.object({ assignmentId: z.uuid({ error: 'assignmentId must be a playlist item id' }).nullish() }))
		.mutation(({ ctx, input }) =>
			writeWithEvents(ctx.db, async (trx, record) => {
				await askForHelp(
					trx,
					{
						podId: ctx.student.podId,
						studentId: ctx.student.id,
						assignmentId: input.assignmentId ?? null,
						askedAt: new Date().toISOString()
					},
					record
				);
				return myHand(trx, ctx.student.podId, ctx.student.id);
			})
		),
	/** The student lowers their own hand. */
	lower: studentProcedure.mutation(({ ctx }) =>
		writeWithEvents(ctx.db, (trx, record) =>
			lowerHand(trx, { podId: ctx.student.podId, studentId: ctx.student.id }, record)
		)
	),
	/** The student's own hand: waiting, or who is coming. */
	mine: studentProcedure.query(({ ctx }) => myHand(ctx.db, ctx.student.podId, ctx.student.id)),

	/** Hands up in the pod, longest waiting first. */
	queue: podStaffProcedure.query(({ ctx }) => helpQueue(ctx.db, ctx.pod.id)),
	/** Take a hand: one teacher wins; the others hear who has it (CONFLICT). */
	claim: podStaffProcedure.input(move).mutation(({ ctx, input }) =>
		auditedWrite(
			ctx,
			{ action: 'claim', entity: 'help_request' },
			(trx, record) => claimHelp(trx, { ...input, podId: ctx.pod.id, teacherId: ctx.user.id }, record),
			// Taken again by whoever has it: nothing changed, nothing to log.
			({ claimed }) => (claimed ? { entityId: input.requestId } : null)
		).then(({ request }) => request)
	),
	/** Give a hand back to the queue. */
	release: podStaffProcedure.input(move).mutation(({ ctx, input }) =>
		auditedWrite(
			ctx,
			{ action: 'release', entity: 'help_request' },
			(trx, record) =>
				releaseHelp(
					trx,
					{ ...input, podId: ctx.pod.id, teacherId: ctx.user.id, isLead: leadsPod(ctx.podRole) },
					record
				),
			() => ({ entityId: input.requestId })
		)
	),
	/** The student has been helped. */
	resolve: podStaffProcedure
		.input(
			z.object({
				requestId: z.uuid({ error: 'requestId must be a help request id' }),
				note: z.string().trim().max(500, { error: 'Keep the note under 500 characters' }).nullish()
			})
		)
		.mutation(({ ctx, input }) =>
			auditedWrite(
				ctx,
				{ action: 'resolve', entity: 'help_request' },
				async (trx, record) => {
					const note = input.note || null;
					await resolveHelp(
						trx,
						{ podId: ctx.pod.id, requestId: input.requestId, teacherId: ctx.user.id, note },
						record
					);
					return { requestId: input.requestId };
				},
				() => ({ entityId: input.requestId, detail: { note: input.note || null } })
			)
		)
});
