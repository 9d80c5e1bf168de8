import { callerFor } from '$lib/server/trpc/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({
	schools: await callerFor(event).schools.list()
});
