import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { Kysely } from 'kysely';
import type { Database } from '../db';
import { SESSION_COOKIE, type ResolvedSession } from '../auth/sessions';
import type { SessionCookie } from './context';
import { appRouter } from './router';

export const TRPC_ENDPOINT = '/api/trpc';

export function sessionCookieHeader(token: string, expiresAt: Date, secure: boolean): string {
	return [
		`${SESSION_COOKIE}=${token}`,
		'Path=/',
		'HttpOnly',
		'SameSite=Lax',
		`Expires=${expiresAt.toUTCString()}`,
		...(secure ? ['Secure'] : [])
	].join('; ');
}

function headerSessionCookie(resHeaders: Headers, secure: boolean): SessionCookie {
	return {
		set: (token, expiresAt) => resHeaders.append('Set-Cookie', sessionCookieHeader(token, expiresAt, secure)),
		clear: () => resHeaders.append('Set-Cookie', sessionCookieHeader('', new Date(0), secure))
	};
}

function refuse(status: number, code: string, message: string): Response {
	return new Response(
		JSON.stringify({ error: { message, code: -32003, data: { code, httpStatus: status } } }),
		{
			status,
			headers: { 'Content-Type': 'application/json' }
		}
	);
}

/**
 * A browser sends any page's form or text/plain POST cross-site with our cookie. Mutations
 * must be JSON (which needs a CORS preflight we never grant) from our own origin.
 */
export function crossSiteRefusal(request: Request): Response | null {
	if (request.method !== 'POST') return null;
	const contentType = request.headers.get('content-type') ?? '';
	if (!contentType.toLowerCase().startsWith('application/json')) {
		return refuse(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send requests to the API as application/json.');
	}
	const origin = request.headers.get('origin');
	if (origin !== new URL(request.url).origin) {
		return refuse(403, 'FORBIDDEN', 'This request came from another site, so it was refused.');
	}
	return null;
}

export interface RequestAuth {
	db: Kysely<Database>;
	session: ResolvedSession | null;
	address: string;
}

/**
 * What a failure's log line says: the message and where it came from. Not the whole error: a
 * PostgreSQL error's `detail` quotes the row it refused ("Key (email)=(…)"), a student's data.
 */
function withoutValues(error: Error): string {
	const cause = error.cause instanceof Error ? error.cause : error;
	return cause.stack ?? cause.message;
}

/** The one tRPC mount, shared by the SvelteKit route and the integration tests' server. */
export async function handleTrpcRequest(request: Request, auth: RequestAuth): Promise<Response> {
	const refusal = crossSiteRefusal(request);
	if (refusal) return refusal;
	const secure = new URL(request.url).protocol === 'https:';
	return fetchRequestHandler({
		endpoint: TRPC_ENDPOINT,
		req: request,
		router: appRouter,
		createContext: ({ resHeaders }) => ({ ...auth, sessionCookie: headerSessionCookie(resHeaders, secure) }),
		onError({ error, path }) {
			if (error.code === 'INTERNAL_SERVER_ERROR')
				console.error(`tRPC ${path ?? '?'} failed:`, withoutValues(error));
		},
		responseMeta() {
			// Answers carry student data: never let a shared Chromebook's cache keep them.
			return { headers: new Headers({ 'Cache-Control': 'no-store' }) };
		}
	});
}
