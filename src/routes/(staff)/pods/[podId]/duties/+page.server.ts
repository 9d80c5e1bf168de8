import { redirect } from '@sveltejs/kit';
import { mondayOf } from '$lib/server/duties/duties';
import { callerFor, orErrorPage } from '$lib/server/trpc/caller';
import type { PageServerLoad } from './$types';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const load: PageServerLoad = async (event) => {
	const api = callerFor(event);
	const podId = event.params.podId;
	const asked = event.url.searchParams.get('week');
	// Any day of a week opens that week; the address then names its Monday.
	if (asked && DATE.test(asked) && !Number.isNaN(Date.parse(asked)) && mondayOf(asked) !== asked) {
		redirect(307, `${event.url.pathname}?week=${mondayOf(asked)}`);
	}
	const weekOf = asked && DATE.test(asked) && mondayOf(asked) === asked ? asked : null;
	event.depends('duties:week');
	const [overview, week] = await orErrorPage(
		Promise.all([api.pods.overview({ podId }), api.duties.week({ podId, weekOf })])
	);
	const user = event.locals.session!.user;
	const role = overview.team.find((member) => member.id === user.id)?.role;
	return {
		pod: { id: overview.id, name: overview.name },
		week,
		myId: user.id,
		// The lead sets the duties (a school admin may too); the team reads them.
		canEdit: role === 'lead' || (role === undefined && user.isAdmin)
	};
};
