import { callerFor, orErrorPage } from '$lib/server/trpc/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({
	member: await orErrorPage(callerFor(event).staff.member({ userId: event.params.userId }))
});
