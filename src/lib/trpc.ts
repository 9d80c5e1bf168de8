import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '$lib/server/trpc/router';

/** The typed API client for pages in the browser. The session travels in its HttpOnly cookie. */
export const trpc = createTRPCClient<AppRouter>({
	links: [httpBatchLink({ url: '/api/trpc' })]
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
