import { z } from 'zod';
import { ATTENDANCE_STATUSES } from '../db/schema';
import { auditedWrite } from '../audit/log';
import { leadsPod, podStaffProcedure, router } from '../trpc/procedures';
import { attendanceToday, markAdult, markAttendance } from './attendance';
import { coverageToday } from './coverage';

const studentId = z.uuid({ error: 'studentId must be a student id' });

export const attendanceRouter = router({
	/** Today's marks, the adults in, and the room's ratio. */
	today: podStaffProcedure.query(({ ctx }) => attendanceToday(ctx.db, ctx.pod.id)),
	/** Who has had an adult today, and who has not yet. */
	coverage: podStaffProcedure.query(({ ctx }) => coverageToday(ctx.db, ctx.pod.id)),
	/** Mark students present, absent or late today: anyone on the team in the room. */
	mark: podStaffProcedure
		.input(
			z.object({
				marks: z
					.array(
						z.object({
							studentId,
							status: z.enum(ATTENDANCE_STATUSES, { error: 'status is present, absent or late' })
						}),
						{ error: 'marks is a list of students and their status' }
					)
					.min(1, { error: 'Mark at least one student' })
					.max(200, { error: 'Mark at most 200 students at a time' }),
				/** A school day of the past week, to correct its marks; today when left out. */
				day: z.iso.date({ error: 'day is a date like 2026-11-23' }).optional()
			})
		)
		.mutation(async ({ ctx, input }) => {
			await auditedWrite(
				ctx,
				{ action: 'mark', entity: 'attendance' },
				(trx, record) =>
					markAttendance(
						trx,
						{ podId: ctx.pod.id, byId: ctx.user.id, marks: input.marks, day: input.day },
						record
					),
				({ day, changed }) => (changed.length ? { detail: { day, changed } } : null)
			);
			return attendanceToday(ctx.db, ctx.pod.id);
		}),
	/** An adult comes in or goes out: themselves, or anyone when the lead marks them. */
	adult: podStaffProcedure
		.input(
			z.object({
				userId: z.uuid({ error: 'userId must be a staff member’s id' }),
				inRoom: z.boolean({ error: 'inRoom is true (in the room) or false (gone out)' })
			})
		)
		.mutation(async ({ ctx, input }) => {
			await auditedWrite(
				ctx,
				{ action: input.inRoom ? 'in' : 'out', entity: 'adult' },
				(trx, record) =>
					markAdult(
						trx,
						{
							podId: ctx.pod.id,
							userId: input.userId,
							inRoom: input.inRoom,
							byId: ctx.user.id,
							byLeads: leadsPod(ctx.podRole)
						},
						record
					),
				({ day, changed }) => (changed ? { entityId: input.userId, detail: { day } } : null)
			);
			return attendanceToday(ctx.db, ctx.pod.id);
		})
});
