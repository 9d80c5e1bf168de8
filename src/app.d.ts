import type { ResolvedSession } from '$lib/server/auth/sessions';

declare global {
	namespace App {
		interface Locals {
			session: ResolvedSession | null;
		}
		interface Error {
			message: string;
		}
		interface PageState {
			/** /join: the name a student picked, so the browser's Back returns to the names. */
			joinAs?: { id: string; name: string };
		}
	}
}

export {};
