import { callerFor, orErrorPage } from '$lib/server/trpc/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const api = callerFor(event);
	const podId = event.params.podId;
	const [overview, students, locks] = await orErrorPage(
		Promise.all([api.pods.overview({ podId }), api.pods.roster({ podId }), api.signInLocks.list({ podId })])
	);
	// The lead adds, moves and imports (a school admin may too); the team sees who can.
	const canManage = overview.myRole === 'lead' || overview.myRole === 'admin';
	return {
		pod: { id: overview.id, name: overview.name },
		students,
		locks,
		choices: canManage ? await orErrorPage(api.students.choices({ podId })) : null,
		lead: overview.team.find((member) => member.role === 'lead')?.name ?? null
	};
};
