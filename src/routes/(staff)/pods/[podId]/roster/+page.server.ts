import { callerFor, orErrorPage } from '$lib/server/trpc/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const api = callerFor(event);
	const overview = await orErrorPage(api.pods.overview({ podId: event.params.podId }));
	const me = event.locals.session!.user;
	const role = overview.team.find((member) => member.id === me.id)?.role;
	return {
		pod: {
			id: overview.id,
			name: overview.name,
			joinCode: overview.joinCode,
			studentCount: overview.studentCount
		},
		// The lead imports (a school admin may too); the team sees who can.
		canImport: role === 'lead' || (role === undefined && me.isAdmin),
		lead: overview.team.find((member) => member.role === 'lead')?.name ?? null
	};
};
