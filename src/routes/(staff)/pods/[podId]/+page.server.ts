import { callerFor, orErrorPage } from '$lib/server/trpc/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const api = callerFor(event);
	const podId = event.params.podId;
	const [overview, roster] = await orErrorPage(
		Promise.all([api.pods.overview({ podId }), api.pods.roster({ podId })])
	);
	return { overview, roster };
};
