import {
	createTRPCClient,
	httpBatchLink,
	httpLink,
	httpSubscriptionLink,
	splitLink,
	TRPCClientError
} from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
// The one door from the browser to the server's code: a type, erased from the bundle.
import type { AppRouter } from '$lib/server/trpc/router';

/** What each procedure takes, as a page sends it: `RouterInputs['flags']['raise']`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** What each procedure answers, as a page reads it: `RouterOutputs['flags']['list'][number]`. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/**
 * The typed API client for pages in the browser: queries and mutations in HTTP batches,
 * subscriptions over server-sent events. The session travels in its HttpOnly cookie. Signing
 * in goes one call per request: the server refuses a sign-in that rides in a batch.
 */
export const trpc = createTRPCClient<AppRouter>({
	links: [
		splitLink({
			condition: (op) => op.type === 'subscription',
			true: httpSubscriptionLink({ url: '/api/trpc' }),
			false: splitLink({
				condition: (op) => op.path.startsWith('auth.'),
				true: httpLink({ url: '/api/trpc' }),
				false: httpBatchLink({ url: '/api/trpc' })
			})
		})
	]
});

/** A message a person can act on, whatever went wrong. */
export function messageOf(error: unknown): string {
	if (error instanceof TRPCClientError) {
		if (!error.data && /fetch|network/i.test(error.message)) {
			return 'No connection to Podboard right now. Check the Wi-Fi and try again.';
		}
		return error.message;
	}
	return 'Something went wrong. Try again.';
}

/** True when trying again later may work: no network, a server fault, or too many requests. */
export function isRetryable(error: unknown): boolean {
	if (!(error instanceof TRPCClientError)) return true;
	const status = (error.data as { httpStatus?: number } | undefined)?.httpStatus;
	return status === undefined || status >= 500 || status === 429 || status === 401;
}

/** True when the server answered that nobody is signed in (the session ended or was never there). */
export function isSignedOut(error: unknown): boolean {
	return error instanceof TRPCClientError && error.data?.code === 'UNAUTHORIZED';
}
