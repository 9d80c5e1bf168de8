import { podStaffProcedure, router, staffProcedure } from '../trpc/procedures';
import { podOverview, podRoster, podsForStaff } from './queries';

export const podsRouter = router({
	mine: staffProcedure.query(({ ctx }) => podsForStaff(ctx.db, ctx.user)),
	overview: podStaffProcedure.query(({ ctx }) => podOverview(ctx.db, ctx.pod.id)),
	roster: podStaffProcedure.query(({ ctx }) => podRoster(ctx.db, ctx.pod.id))
});
