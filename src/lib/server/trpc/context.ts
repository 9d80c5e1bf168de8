import type { Kysely } from 'kysely';
import type { Database } from '../db';
import type { ResolvedSession } from '../auth/sessions';

/** Sets and clears the session cookie, whether the call came over HTTP or from a page load. */
export interface SessionCookie {
	set(token: string, expiresAt: Date): void;
	clear(): void;
}

export interface Context {
	db: Kysely<Database>;
	session: ResolvedSession | null;
	/** The caller's network address, for sign-in throttling. */
	address: string;
	sessionCookie: SessionCookie;
}
