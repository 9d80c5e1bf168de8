import { callerFor, orErrorPage } from '$lib/server/trpc/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	// The live stream and the outbox re-run this load by name when the playlist changes.
	event.depends('podboard:playlist');
	return { playlist: await orErrorPage(callerFor(event).playlists.mine()) };
};
