import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const wanted = url.searchParams.get('next') ?? '';
	// Only a path on this site: an open redirect would let a phishing link borrow our sign-in page.
	const next = wanted.startsWith('/') && !wanted.startsWith('//') ? wanted : '/pods';
	if (locals.session?.user.kind === 'staff') redirect(303, next);
	return { next };
};
