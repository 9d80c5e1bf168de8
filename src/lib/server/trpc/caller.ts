import { error, type RequestEvent } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { getDb } from '../db';
import { SESSION_COOKIE } from '../auth/sessions';
import { createCaller } from './router';

/** The API as a page load sees it: same procedures and policies, no HTTP round trip. */
export function callerFor(event: RequestEvent) {
	const secure = event.url.protocol === 'https:';
	return createCaller({
		db: getDb(),
		session: event.locals.session,
		address: event.getClientAddress(),
		sessionCookie: {
			set: (token, expires) =>
				event.cookies.set(SESSION_COOKIE, token, {
					path: '/',
					httpOnly: true,
					sameSite: 'lax',
					secure,
					expires
				}),
			clear: () => event.cookies.delete(SESSION_COOKIE, { path: '/' })
		}
	});
}

/** Turn a refusal from a procedure into the matching error page, with its readable message. */
export async function orErrorPage<T>(call: Promise<T>): Promise<T> {
	try {
		return await call;
	} catch (cause) {
		if (cause instanceof TRPCError) {
			const status = cause.code === 'BAD_REQUEST' ? 404 : getHTTPStatusCodeFromError(cause);
			error(status, {
				message: cause.code === 'BAD_REQUEST' ? 'Nothing is at this address.' : cause.message
			});
		}
		throw cause;
	}
}
