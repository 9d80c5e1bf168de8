import { callerFor, orErrorPage } from '$lib/server/trpc/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	// The live stream and the outbox re-run this load by name when the playlist (or the hand) changes.
	event.depends('podboard:playlist');
	const api = callerFor(event);
	const [playlist, hand] = await orErrorPage(Promise.all([api.playlists.mine(), api.help.mine()]));
	return { playlist, hand };
};
