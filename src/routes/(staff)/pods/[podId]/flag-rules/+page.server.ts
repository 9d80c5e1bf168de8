import { callerFor, orErrorPage } from '$lib/server/trpc/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const api = callerFor(event);
	const podId = event.params.podId;
	const [overview, thresholds] = await orErrorPage(
		Promise.all([api.pods.overview({ podId }), api.flags.thresholds({ podId })])
	);
	const user = event.locals.session!.user;
	const role = overview.team.find((member) => member.id === user.id)?.role;
	return {
		pod: { id: overview.id, name: overview.name },
		thresholds,
		// The lead sets the rules (a school admin may too); the team sees them.
		canEdit: role === 'lead' || (role === undefined && user.isAdmin)
	};
};
