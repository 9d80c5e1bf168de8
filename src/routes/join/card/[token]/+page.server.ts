import { redirect, type RequestEvent } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { endSession, SESSION_COOKIE } from '$lib/server/auth/sessions';
import { signInWithCard } from '$lib/server/cards/sign-in';
import type { Actions, PageServerLoad } from './$types';

// The link on a sign-in card is itself the credential, so it must not linger: it is exchanged
// at once for the ordinary student session cookie, and the answer is a redirect, so the address
// bar (and the page's later requests) show /me, not the token. Nothing here logs the URL.
// A GET, because a Chromebook's camera page opens a QR code's link as a plain navigation.

async function signInAsTheCardsStudent(event: RequestEvent): Promise<never> {
	const result = await signInWithCard(getDb(), {
		token: event.params.token ?? '',
		address: event.getClientAddress()
	});
	event.setHeaders({ 'Cache-Control': 'no-store' });
	if (!result.ok) redirect(303, '/join/card?ended');
	// A shared device: whoever was signed in here before is signed out, not left underneath.
	if (event.locals.session) await endSession(getDb(), event.locals.session.tokenHash);
	event.cookies.set(SESSION_COOKIE, result.signedIn.token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: event.url.protocol === 'https:',
		expires: result.signedIn.expiresAt
	});
	redirect(303, '/me');
}

export const load: PageServerLoad = async (event) => {
	const session = event.locals.session;
	// A teacher scanning a card (to test it, or by mistake) is asked before their own session ends.
	if (session?.user.kind === 'staff') {
		event.setHeaders({ 'Cache-Control': 'no-store' });
		return { staffName: `${session.user.given_name} ${session.user.family_name}` };
	}
	return signInAsTheCardsStudent(event);
};

export const actions: Actions = {
	default: (event) => signInAsTheCardsStudent(event)
};
