import { z } from 'zod';
import { lastEventIdFields, trackedPodEvents } from '../live/stream';
import { recordRead } from '../audit/log';
import { podStaffProcedure, router } from '../trpc/procedures';
import { podHeatmap } from './heatmap';
import { studentPanel } from './student';

export const dashboardRouter = router({
	heatmap: podStaffProcedure.query(({ ctx }) => podHeatmap(ctx.db, ctx.pod.id)),
	student: podStaffProcedure
		.input(z.object({ studentId: z.uuid({ error: 'studentId must be a student id' }) }))
		.query(async ({ ctx, input }) => {
			const panel = await studentPanel(ctx.db, ctx.pod.id, input.studentId);
			await recordRead(ctx, input.studentId, 'the student panel');
			return panel;
		}),
	/** Every change in the pod, live, resuming after `lastEventId`; ends at sign-out. */
	live: podStaffProcedure.input(lastEventIdFields).subscription(({ ctx, input, signal }) =>
		trackedPodEvents({
			db: ctx.db,
			session: ctx.session,
			podId: ctx.pod.id,
			lastEventId: input?.lastEventId,
			signal,
			toMessage: (message) => message
		})
	)
});
