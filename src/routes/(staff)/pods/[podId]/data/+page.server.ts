import { callerFor, orErrorPage } from '$lib/server/trpc/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const api = callerFor(event);
	const podId = event.params.podId;
	const [overview, roster] = await orErrorPage(
		Promise.all([api.pods.overview({ podId }), api.pods.roster({ podId })])
	);
	const me = event.locals.session!.user;
	const role = overview.team.find((member) => member.id === me.id)?.role;
	// The lead answers for the pod's data (a school admin not on the team may stand in).
	const isLead = role === 'lead' || (role === undefined && me.isAdmin);
	const chosen = event.url.searchParams.get('student');
	return {
		pod: { id: overview.id, name: overview.name },
		isLead,
		students: roster.map(({ id, name, grade }) => ({ id, name, grade })),
		student: isLead && chosen ? await orErrorPage(api.studentData.profile({ podId, studentId: chosen })) : null
	};
};
