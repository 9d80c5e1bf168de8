import { callerFor, orErrorPage } from '$lib/server/trpc/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const api = callerFor(event);
	const podId = event.params.podId;
	const query = event.url.searchParams;
	// Filters travel in the address so a filtered view can be bookmarked; ids only, no names.
	const filters = {
		action: query.get('action') || null,
		entity: query.get('entity') || null,
		actorId: query.get('actor') || null,
		before: query.get('before') || null
	};
	const [overview, log] = await orErrorPage(
		Promise.all([api.pods.overview({ podId }), api.audit.list({ podId, ...filters, limit: 100 })])
	);
	return {
		pod: { id: overview.id, name: overview.name, timeZone: overview.timeZone },
		team: overview.team,
		filters,
		log
	};
};
