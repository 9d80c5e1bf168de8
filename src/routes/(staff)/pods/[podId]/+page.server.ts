import { callerFor, orErrorPage } from '$lib/server/trpc/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const api = callerFor(event);
	const podId = event.params.podId;
	const [overview, heatmap, today] = await orErrorPage(
		Promise.all([
			api.pods.overview({ podId }),
			api.dashboard.heatmap({ podId }),
			api.calendar.today({ podId })
		])
	);
	// Who is looking: the triage marks "your" groups and hands.
	return { overview, heatmap, today, myId: event.locals.session!.user.id };
};
