import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { TRPC_ERROR_CODES_BY_KEY, type TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import type { Kysely } from 'kysely';
import type { Database } from '../db';
import { SESSION_COOKIE, type ResolvedSession } from '../auth/sessions';
import type { SessionCookie } from './context';
import type { Meta } from './init';
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

function refuse(status: number, code: TRPC_ERROR_CODE_KEY, message: string): Response {
	return new Response(
		JSON.stringify({
			error: { message, code: TRPC_ERROR_CODES_BY_KEY[code], data: { code, httpStatus: status } }
		}),
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

// tRPC keeps a flat path → procedure map at runtime; its type describes the nested routers.
const procedureMeta = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta } }>;
/** The sign-in steps, by path: each try must be its own request, so none rides in a batch. */
export const SIGN_IN_PATHS = new Set(
	Object.entries(procedureMeta).flatMap(([path, procedure]) => (procedure._def.meta?.signIn ? [path] : []))
);

/**
 * One POST may carry hundreds of calls in a tRPC batch (`/api/trpc/a,b,c?batch=1`); a sign-in
 * in one would be hundreds of guesses in one request. Refused before anything is called.
 */
export function batchedSignInRefusal(request: Request): Response | null {
	const url = new URL(request.url);
	if (!url.searchParams.has('batch')) return null;
	const paths = decodeURIComponent(url.pathname.slice(TRPC_ENDPOINT.length + 1)).split(',');
	const signIn = paths.find((path) => SIGN_IN_PATHS.has(path));
	if (!signIn) return null;
	return refuse(
		400,
		'BAD_REQUEST',
		`${signIn} must be sent on its own, not in a batch: each sign-in try is one request.`
	);
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
	const refusal = crossSiteRefusal(request) ?? batchedSignInRefusal(request);
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
