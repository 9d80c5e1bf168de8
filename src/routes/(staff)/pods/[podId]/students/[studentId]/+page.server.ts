import { callerFor, orErrorPage } from '$lib/server/trpc/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const api = callerFor(event);
	const { podId, studentId } = event.params;
	const [playlist, candidates, skills] = await orErrorPage(
		Promise.all([
			api.playlists.forStudent({ podId, studentId }),
			api.playlists.candidates({ podId }),
			api.mastery.trends({ podId, studentId })
		])
	);
	return { playlist, activities: candidates.activities, skills };
};
