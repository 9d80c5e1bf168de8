import { callerFor, orErrorPage } from '$lib/server/trpc/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({
	team: await orErrorPage(callerFor(event).staff.team({ podId: event.params.podId }))
});
