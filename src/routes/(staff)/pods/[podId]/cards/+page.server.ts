import { callerFor, orErrorPage } from '$lib/server/trpc/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const roster = await orErrorPage(callerFor(event).cards.list({ podId: event.params.podId }));
	return { roster };
};
