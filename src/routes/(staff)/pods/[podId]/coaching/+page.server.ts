import { callerFor, orErrorPage } from '$lib/server/trpc/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const api = callerFor(event);
	const podId = event.params.podId;
	// coaching.list answers each person with what they may read: everyone's for the lead, a
	// teacher's own for a teacher.
	const [overview, notes] = await orErrorPage(
		Promise.all([api.pods.overview({ podId }), api.coaching.list({ podId })])
	);
	const me = event.locals.session!.user;
	const role = overview.team.find((member) => member.id === me.id)?.role;
	return {
		pod: { id: overview.id, name: overview.name },
		me: { id: me.id },
		// The lead coaches (a school admin who is not on the team may stand in); teachers reflect.
		isLead: role === 'lead' || (role === undefined && me.isAdmin),
		teachers: overview.team
			.filter((member) => member.role === 'teacher' && member.id !== me.id)
			.map(({ id, name }) => ({ id, name })),
		lead: overview.team.find((member) => member.role === 'lead')?.name ?? null,
		notes
	};
};
