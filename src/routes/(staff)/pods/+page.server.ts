import { redirect } from '@sveltejs/kit';
import { callerFor } from '$lib/server/trpc/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const pods = await callerFor(event).pods.mine();
	// A school's first admin, just signed in: nothing to open yet, so start where pods are made.
	if (pods.length === 0 && event.locals.session?.user.isAdmin) redirect(303, '/admin');
	return { pods, isAdmin: event.locals.session?.user.isAdmin ?? false };
};
