import { z } from 'zod';
import { podStaffProcedure, router } from '../trpc/procedures';
import { lockedStudents, unlockStudents } from './locks';

export const signInLocksRouter = router({
	/** The pod's students who cannot sign in with their pictures right now. */
	list: podStaffProcedure.query(({ ctx }) => lockedStudents(ctx.db, ctx.pod.id)),

	/**
	 * Let one student sign in again, or (without `studentId`) every student of the pod. Any adult
	 * of the team may: the one standing beside the locked child is rarely the lead.
	 */
	unlock: podStaffProcedure
		.input(z.object({ studentId: z.uuid({ error: 'studentId must be a student id' }).optional() }))
		.mutation(async ({ ctx, input }) => {
			const result = await unlockStudents(ctx.db, {
				podId: ctx.pod.id,
				studentIds: input.studentId ? [input.studentId] : 'all',
				by: ctx.user.id,
				address: ctx.address
			});
			return { clearedTries: result.clearedTries };
		})
});
