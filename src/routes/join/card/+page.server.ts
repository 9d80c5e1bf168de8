import { waitInWords } from '$lib/server/auth/throttle';
import type { PageServerLoad } from './$types';

// Where a card link that did not sign anyone in ends up: it says why and what to do.
export const load: PageServerLoad = ({ url }) => {
	const paused = Number(url.searchParams.get('paused'));
	return { wait: Number.isInteger(paused) && paused > 0 ? waitInWords(paused) : null };
};
