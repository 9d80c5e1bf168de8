// When a session stops holding: a pure rule, shared by the sign-in check on every request
// (sessions.ts) and the watchdog that ends live streams whose session has ended (live/).

/** What decides it: the session's row and its person's status. */
export interface SessionLife {
	status: string;
	expires_at: string;
	last_seen_at: string;
	idle_minutes: number;
}

/**
 * The instant the session ends if nothing else happens: its absolute expiry, or the end of its
 * idle time (counted from the person's last request), whichever comes first.
 */
export function sessionEndsAt(session: SessionLife): number {
	return Math.min(
		Date.parse(session.expires_at),
		Date.parse(session.last_seen_at) + session.idle_minutes * 60_000
	);
}

/** Whether the session still signs its person in at `now`: they are active, and it has not ended. */
export function sessionHolds(session: SessionLife, now: Date): boolean {
	return session.status === 'active' && now.getTime() < sessionEndsAt(session);
}
