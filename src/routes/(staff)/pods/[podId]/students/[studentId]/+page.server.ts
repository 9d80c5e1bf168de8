import { callerFor, orErrorPage } from '$lib/server/trpc/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const api = callerFor(event);
	const { podId, studentId } = event.params;
	const [overview, playlist, skills] = await orErrorPage(
		Promise.all([
			api.pods.overview({ podId }),
			api.playlists.forStudent({ podId, studentId }),
			api.mastery.trends({ podId, studentId })
		])
	);
	// Support staff read the playlist; changing it is the teachers'.
	const canPlan = overview.myRole !== 'support';
	const activities = canPlan ? (await orErrorPage(api.playlists.candidates({ podId }))).activities : [];
	return { playlist, activities, skills, canPlan };
};
