import { z } from 'zod';
import { auditedWrite } from '../audit/log';
import { newId } from '../ids';
import { writeWithEvents } from '../live/log';
import { podTeacherProcedure, router, studentProcedure } from '../trpc/procedures';
import { MAX_EVENTS_PER_BATCH } from '../../progress/batch';
import { recordProgress } from './record';

const progressEvent = z.object({
	eventId: z.uuid({ error: 'Each event needs an eventId (a UUID made on the device)' }),
	assignmentId: z.uuid({ error: 'assignmentId must be an assignment id' }),
	kind: z.enum(['start', 'progress', 'stuck', 'submit', 'help', 'undo_submit'], {
		error: 'kind is one of start, progress, stuck, submit, help, undo_submit'
	}),
	score: z.number().int({ error: 'A score is a whole number' }).min(0).max(1000).nullish(),
	occurredAt: z.iso.datetime({
		offset: true,
		error: 'occurredAt is a date and time like 2026-11-23T10:15:00Z'
	})
});

export const progressRouter = router({
	/**
	 * A student's device sends its outbox here; a retried batch is stored once and answered the
	 * same. An eventId reused for a different event, or a time too far in the future, refuses it.
	 */
	record: studentProcedure
		.input(
			z.object({
				events: z
					.array(progressEvent)
					.min(1, { error: 'Send at least one event' })
					.max(MAX_EVENTS_PER_BATCH, {
						error: `A batch holds at most ${MAX_EVENTS_PER_BATCH} events; send the rest in another batch`
					})
			})
		)
		.mutation(({ ctx, input }) =>
			writeWithEvents(ctx.db, (trx, record) =>
				recordProgress(
					trx,
					{ kind: 'student', studentId: ctx.student.id, podId: ctx.student.podId },
					input.events,
					record
				)
			)
		),

	/** A teacher marks an assessment, or overrides a score: a submit event of their own, audited. */
	setScore: podTeacherProcedure
		.input(
			z.object({
				assignmentId: z.uuid({ error: 'assignmentId must be an assignment id' }),
				score: z.number().int({ error: 'A score is a whole number' }).min(0).max(1000)
			})
		)
		.mutation(({ ctx, input }) => {
			const eventId = newId();
			// The server's own clock: a teacher's mark happens the moment it is made.
			const now = new Date();
			const recorder = { kind: 'staff' as const, userId: ctx.user.id, podId: ctx.pod.id };
			const mark = {
				eventId,
				assignmentId: input.assignmentId,
				kind: 'submit' as const,
				score: input.score,
				occurredAt: now.toISOString()
			};
			return auditedWrite(
				ctx,
				{ action: 'setScore', entity: 'assignment' },
				async (trx, record) => (await recordProgress(trx, recorder, [mark], record, now)).assignments[0],
				() => ({ entityId: input.assignmentId, detail: { score: input.score, eventId } })
			);
		})
});
