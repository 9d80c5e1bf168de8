import { callerFor, orErrorPage } from '$lib/server/trpc/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	// The live stream re-runs this load by name when a student of the pod submits work.
	event.depends('podboard:item-analysis');
	const api = callerFor(event);
	const { podId, activityId } = event.params;
	const [overview, analysis] = await orErrorPage(
		Promise.all([api.pods.overview({ podId }), api.checks.analysis({ podId, activityId })])
	);
	return { pod: { id: overview.id, name: overview.name }, activityId, analysis };
};
