import { redirect } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { callerFor } from '$lib/server/trpc/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	if (event.locals.session?.user.kind === 'student') redirect(303, '/me');
	// The pod code form is a plain GET form, so it works before the page's script has loaded.
	const code = event.url.searchParams.get('code');
	if (!code) return { code: '', roster: null, problem: null };
	try {
		return { code, roster: await callerFor(event).auth.joinRoster({ joinCode: code }), problem: null };
	} catch (error) {
		if (error instanceof TRPCError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST')) {
			const message =
				error.code === 'NOT_FOUND'
					? error.message
					: 'A pod code is 4 to 12 letters and numbers, like DEMO42.';
			return { code, roster: null, problem: message };
		}
		throw error;
	}
};
