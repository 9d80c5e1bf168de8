import { redirect } from '@sveltejs/kit';
import { callerFor } from '$lib/server/trpc/caller';
import type { PageServerLoad } from './$types';

// Where each person starts, and where staff land after signing in without a page to return to.
export const load: PageServerLoad = async (event) => {
	const { session } = event.locals;
	if (session?.user.kind === 'student') redirect(303, '/me');
	if (session?.user.kind !== 'staff') return;
	// A lead or teacher of one pod goes straight to its board; /pods still lists it, for the
	// nav's "My pods". An admin starts at /pods (or /admin, which /pods sends them to with no pods).
	if (!session.user.isAdmin) {
		const pods = await callerFor(event).pods.mine();
		if (pods.length === 1) redirect(303, `/pods/${pods[0].id}`);
	}
	redirect(303, '/pods');
};
