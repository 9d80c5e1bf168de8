import { callerFor, orErrorPage } from '$lib/server/trpc/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const agenda = await orErrorPage(callerFor(event).huddle.agenda({ podId: event.params.podId }));
	return { agenda };
};
