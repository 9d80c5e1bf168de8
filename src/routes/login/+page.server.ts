import { fail, redirect } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { callerFor } from '$lib/server/trpc/caller';
import type { Actions, PageServerLoad } from './$types';

/**
 * Only a path on this site: an open redirect would let a phishing link borrow our sign-in page.
 * Without one, the start page decides (a lead of one pod lands on its board).
 */
function safeNext(wanted: string | null): string {
	return wanted && wanted.startsWith('/') && !wanted.startsWith('//') ? wanted : '/';
}

export const load: PageServerLoad = ({ locals, url }) => {
	const next = safeNext(url.searchParams.get('next'));
	if (locals.session?.user.kind === 'staff') redirect(303, next);
	return { next };
};

export const actions: Actions = {
	// The same sign-in as the page's script does, for a browser that posts the form before
	// (or without) the script: the password travels in a POST body, never in a URL.
	default: async (event) => {
		const form = await event.request.formData();
		const email = String(form.get('email') ?? '');
		try {
			await callerFor(event).auth.staffLogin({ email, password: String(form.get('password') ?? '') });
		} catch (error) {
			if (error instanceof TRPCError && error.code !== 'INTERNAL_SERVER_ERROR') {
				const message = error.code === 'BAD_REQUEST' ? 'Enter your email and password.' : error.message;
				return fail(error.code === 'TOO_MANY_REQUESTS' ? 429 : 400, { email, problem: message });
			}
			throw error;
		}
		redirect(303, safeNext(event.url.searchParams.get('next')));
	}
};
