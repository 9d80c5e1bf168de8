import { z } from 'zod';
import { auditedWrite } from '../audit/log';
import { writeWithEvents } from '../live/log';
import { podStaffProcedure, podTeacherProcedure, router, staffProcedure } from '../trpc/procedures';
import { acknowledgeDayNote, dayNoteOf, writeDayNote } from './day-notes';
import { podsNow } from './now';
import { podObservations, recordObservation } from './observations';
import { OBSERVATION_MARKS } from '../db/schema';

const day = z.iso.date({ error: 'day is a date like 2026-11-23' });
const part = (what: string) =>
	z
		.string({ error: `${what} is text` })
		.trim()
		.max(1000, { error: `Keep ${what} under 1000 characters` });

export const teamRouter = router({
	/** What an adult saw a student do on the floor: anyone on the team, support staff too. */
	observe: podStaffProcedure
		.input(
			z.object({
				studentId: z.uuid({ error: 'studentId must be a student id' }),
				mark: z.enum(OBSERVATION_MARKS, { error: 'mark is got_it, partly or not_yet' }).nullable(),
				note: z
					.string({ error: 'note is text' })
					.trim()
					.max(500, { error: 'Keep the note under 500 characters' }),
				skillIds: z
					.array(z.uuid({ error: 'each skill is a skill id' }), { error: 'skillIds is a list of skills' })
					.max(5, { error: 'Tag at most 5 skills' })
			})
		)
		.mutation(async ({ ctx, input }) => {
			const { id } = await auditedWrite(
				ctx,
				{ action: 'observe', entity: 'student' },
				(trx, record) => recordObservation(trx, { ...input, podId: ctx.pod.id, byId: ctx.user.id }, record),
				() => ({ entityId: input.studentId, detail: { mark: input.mark } })
			);
			return { id };
		}),
	/** A student's observations, newest first. */
	observations: podStaffProcedure
		.input(z.object({ studentId: z.uuid({ error: 'studentId must be a student id' }) }))
		.query(({ ctx, input }) =>
			podObservations(ctx.db, ctx.pod.id, { studentId: input.studentId, limit: 20 })
		),
	/** Every pod the signed-in member of staff serves, as it is now: the remote teacher of record's overview. */
	now: staffProcedure.query(({ ctx }) => podsNow(ctx.db, ctx.user.id)),
	/** A day's note for the adults in the room (today when no day is given), or null. */
	dayNote: podStaffProcedure
		.input(z.object({ day: day.optional() }))
		.query(({ ctx, input }) => dayNoteOf(ctx.db, ctx.pod.id, input.day)),
	/** Write a day's note: the teachers' (support staff read and acknowledge it). */
	writeDayNote: podTeacherProcedure
		.input(
			z.object({
				day: day.optional(),
				watchFor: part('what to watch for'),
				checkOn: part('who to check on'),
				assessment: part('the assessment')
			})
		)
		.mutation(async ({ ctx, input }) => {
			const { day: written } = await auditedWrite(
				ctx,
				{ action: 'write', entity: 'day_note' },
				(trx, record) => writeDayNote(trx, { ...input, podId: ctx.pod.id, byId: ctx.user.id }, record),
				({ noteId, day, changed }) => (changed ? { entityId: noteId, detail: { day } } : null)
			);
			return dayNoteOf(ctx.db, ctx.pod.id, written);
		}),
	/** An adult of the team has read the day's note. */
	acknowledgeDayNote: podStaffProcedure
		.input(
			z.object({
				noteId: z.uuid({ error: 'noteId must be a note id' }),
				writtenAt: z.string({ error: 'writtenAt is when the note you read was written' }).max(40)
			})
		)
		.mutation(async ({ ctx, input }) => {
			const { day: noteDay } = await writeWithEvents(ctx.db, (trx, record) =>
				acknowledgeDayNote(trx, { ...input, podId: ctx.pod.id, userId: ctx.user.id }, record)
			);
			return dayNoteOf(ctx.db, ctx.pod.id, noteDay);
		})
});
