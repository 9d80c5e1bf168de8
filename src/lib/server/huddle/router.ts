import { podStaffProcedure, router } from '../trpc/procedures';
import { huddleAgenda } from './agenda';

export const huddleRouter = router({
	/**
	 * The team huddle's agenda: unclaimed groups, flags open over a day, students behind pace,
	 * this week's group outcomes, coaching next steps due (a team teacher sees only their own).
	 */
	agenda: podStaffProcedure.query(({ ctx }) =>
		huddleAgenda(ctx.db, ctx.pod.id, { id: ctx.user.id, role: ctx.podRole })
	)
});
