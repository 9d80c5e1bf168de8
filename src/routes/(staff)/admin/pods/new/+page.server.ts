import { callerFor } from '$lib/server/trpc/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({
	choices: await callerFor(event).pods.formChoices(),
	schoolId: event.url.searchParams.get('school')
});
