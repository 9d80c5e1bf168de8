import type { ResolvedSession } from '$lib/server/auth/sessions';

declare global {
	namespace App {
		interface Locals {
			session: ResolvedSession | null;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
