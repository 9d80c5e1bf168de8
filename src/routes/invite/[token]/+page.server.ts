import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { passwordProblem } from '$lib/staff/passwords';
import { callerFor } from '$lib/server/trpc/caller';
import type { Actions, PageServerLoad } from './$types';

// The link is itself the credential, like a sign-in card's: the page is never cached, and
// nothing here logs the address. Opening it only shows whose link it is (or why it no longer
// works); the password is set by a POST.

const THE_LINK_IS_BROKEN = {
	state: 'unknown' as const,
	message:
		"This is not a Podboard link that works. Check that the whole link was copied, or ask your school's Podboard admin for a new one."
};

async function lookUp(event: RequestEvent) {
	try {
		return await callerFor(event).auth.invitation({ token: event.params.token ?? '' });
	} catch (error) {
		// A token too long to be one: the same answer as any unknown link.
		if (error instanceof TRPCError && error.code === 'BAD_REQUEST') return THE_LINK_IS_BROKEN;
		throw error;
	}
}

export const load: PageServerLoad = async (event) => {
	event.setHeaders({ 'Cache-Control': 'no-store' });
	return { invitation: await lookUp(event) };
};

export const actions: Actions = {
	// The same as the page's script does, for a browser that posts the form before (or without) it.
	default: async (event) => {
		event.setHeaders({ 'Cache-Control': 'no-store' });
		const form = await event.request.formData();
		const password = String(form.get('password') ?? '');
		if (password !== String(form.get('repeat') ?? '')) {
			return fail(400, { problem: 'The two passwords are not the same. Type the same password in both.' });
		}
		const problem = passwordProblem(password);
		if (problem) return fail(400, { problem });
		try {
			await callerFor(event).auth.acceptInvitation({ token: event.params.token ?? '', password });
		} catch (error) {
			if (error instanceof TRPCError && error.code !== 'INTERNAL_SERVER_ERROR') {
				return fail(error.code === 'TOO_MANY_REQUESTS' ? 429 : 400, {
					problem: error.code === 'BAD_REQUEST' ? THE_LINK_IS_BROKEN.message : error.message
				});
			}
			throw error;
		}
		redirect(303, '/pods');
	}
};
