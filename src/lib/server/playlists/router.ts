import { z } from 'zod';
import { podStaffProcedure, router, studentProcedure } from '../trpc/procedures';
import { playlistFor } from './queries';

export const playlistsRouter = router({
	/** The signed-in student's own playlist: the student comes from the session, never the input. */
	mine: studentProcedure.query(({ ctx }) => playlistFor(ctx.db, ctx.student.podId, ctx.student.id)),
	forStudent: podStaffProcedure
		.input(z.object({ studentId: z.uuid({ error: 'studentId must be a student id' }) }))
		.query(({ ctx, input }) => playlistFor(ctx.db, ctx.pod.id, input.studentId))
});
