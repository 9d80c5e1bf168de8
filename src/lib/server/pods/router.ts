import { podStaffProcedure, router, staffProcedure } from '../trpc/procedures';
import { podOverview, podRoster, podsForStaff } from './queries';

export const podsRouter = router({
	mine: staffProcedure.query(({ ctx }) => podsForStaff(ctx.db, ctx.user)),
	/** The pod's header, and what the one asking is in it (lead, teacher, or admin). */
	overview: podStaffProcedure.query(async ({ ctx }) => ({
		...(await podOverview(ctx.db, ctx.pod.id)),
		myRole: ctx.podRole
	})),
	roster: podStaffProcedure.query(({ ctx }) => podRoster(ctx.db, ctx.pod.id))
});
