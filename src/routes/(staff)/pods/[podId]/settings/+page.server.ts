import { callerFor, orErrorPage } from '$lib/server/trpc/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({
	pod: await orErrorPage(callerFor(event).pods.overview({ podId: event.params.podId }))
});
