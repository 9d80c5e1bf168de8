import { callerFor, orErrorPage } from '$lib/server/trpc/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const api = callerFor(event);
	const [pod, choices] = await orErrorPage(
		Promise.all([api.pods.settings({ podId: event.params.podId }), api.pods.formChoices()])
	);
	return { pod, choices, created: event.url.searchParams.has('created') };
};
