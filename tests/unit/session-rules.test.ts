import { describe, expect, it } from 'vitest';
import { sessionEndsAt, sessionHolds, type SessionLife } from '../../src/lib/server/auth/session-rules';

const NOW = new Date('2026-11-18T18:00:00.000Z');
const minutesFromNow = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000).toISOString();

/** A staff session seen a minute ago, idle after two hours, over in ten. */
const session = (change: Partial<SessionLife> = {}): SessionLife => ({
	status: 'active',
	last_seen_at: minutesFromNow(-1),
	idle_minutes: 120,
	expires_at: minutesFromNow(600),
	...change
});

describe('whether a session still signs its person in', () => {
	it.each([
		['seen a minute ago, far from its expiry', session(), true],
		['its person deactivated', session({ status: 'inactive' }), false],
		['idle one minute short of its limit', session({ last_seen_at: minutesFromNow(-119) }), true],
		['idle exactly its limit', session({ last_seen_at: minutesFromNow(-120) }), false],
		[
			'a second before its expiry',
			session({ expires_at: new Date(NOW.getTime() + 1000).toISOString() }),
			true
		],
		['at its expiry', session({ expires_at: NOW.toISOString() }), false],
		[
			'past its expiry though seen just now',
			session({ last_seen_at: NOW.toISOString(), expires_at: minutesFromNow(-1) }),
			false
		]
	])('%s', (_, life, holds) => {
		expect(sessionHolds(life, NOW)).toBe(holds);
	});

	it('ends at its idle limit or its expiry, whichever comes first', () => {
		expect(sessionEndsAt(session())).toBe(Date.parse(minutesFromNow(119)));
		expect(sessionEndsAt(session({ expires_at: minutesFromNow(30) }))).toBe(Date.parse(minutesFromNow(30)));
	});
});
