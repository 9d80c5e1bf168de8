import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	ACCOUNT_FAILURE_LIMIT,
	ACCOUNT_WINDOW_MINUTES,
	accountLocks,
	accountVerdict,
	NETWORK_ACCOUNT_FAILURE_LIMIT,
	networkOf,
	WINDOW_MINUTES,
	type AttemptRecord
} from '../../src/lib/server/auth/throttle';

const NOW = new Date('2026-11-23T15:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();
const failed = (m: number, network = '192.0.2.1'): AttemptRecord => ({
	at: minutesAgo(m),
	network,
	succeeded: false
});
const signedIn = (m: number, network = '192.0.2.1'): AttemptRecord => ({
	at: minutesAgo(m),
	network,
	succeeded: true
});
/** Attempts as the database answers them: newest first. */
const newestFirst = (attempts: AttemptRecord[]) => [...attempts].sort((a, b) => b.at.localeCompare(a.at));

describe('the network an address counts in', () => {
	it.each([
		['an IPv4 address, as it is', '203.0.113.7', '203.0.113.7'],
		['an IPv4 address seen through IPv6', '::ffff:203.0.113.7', '203.0.113.7'],
		['an IPv6 address, by its /64', '2001:db8:abcd:12:1:2:3:4', '2001:db8:abcd:12::/64'],
		['another address of the same /64', '2001:db8:abcd:12:ffff::9', '2001:db8:abcd:12::/64'],
		['a shortened IPv6 address', '2001:db8::1', '2001:db8:0:0::/64'],
		['leading zeros and capitals', '2001:0DB8:00AB:0012::1', '2001:db8:ab:12::/64'],
		['loopback', '::1', '0:0:0:0::/64'],
		['something that is no address (a test, a socket)', 'unknown', 'unknown']
	])('%s', (_what, address, network) => {
		expect(networkOf(address)).toBe(network);
	});
});

describe("an account's lock", () => {
	it.each([
		['no tries', [], { locked: false }],
		['four wrong tries here', [1, 2, 3, 4].map((m) => failed(m)), { locked: false }],
		[
			'five wrong tries here: locked here until the oldest is 15 minutes old',
			[1, 2, 3, 4, 5].map((m) => failed(m)),
			{ locked: true, scope: 'here', retryAfterSeconds: (WINDOW_MINUTES - 5) * 60 }
		],
		[
			'five wrong tries, one older than the window',
			[1, 2, 3, 4, 16].map((m) => failed(m)),
			{ locked: false }
		],
		[
			'five wrong tries before a success here: the success wipes the slate',
			[signedIn(1), ...[2, 3, 4, 5, 6].map((m) => failed(m))],
			{ locked: false }
		],
		[
			'a success from elsewhere wipes nothing here',
			[signedIn(1, '198.51.100.1'), ...[2, 3, 4, 5, 6].map((m) => failed(m))],
			{ locked: true, scope: 'here' }
		],
		[
			'five wrong tries from another network',
			[1, 2, 3, 4, 5].map((m) => failed(m, '198.51.100.1')),
			{ locked: false }
		],
		[
			'thirty wrong tries from six networks in the hour: locked everywhere',
			Array.from({ length: 30 }, (_, i) => failed(2 + i, `198.51.100.${i % 6}`)),
			{ locked: true, scope: 'everywhere' }
		],
		[
			'twenty-nine in the hour and one older',
			[
				...Array.from({ length: 29 }, (_, i) => failed(2 + i, `198.51.100.${i % 6}`)),
				failed(61, '198.51.100.9')
			],
			{ locked: false }
		]
	])('%s', (_what, attempts, verdict) => {
		expect(accountVerdict(newestFirst(attempts), '192.0.2.1', NOW)).toMatchObject(verdict);
	});

	it('is listed for the board with how many networks it is locked from', () => {
		const attempts = newestFirst([
			...[1, 2, 3, 4, 5].map((m) => failed(m)),
			...[1, 2, 3, 4, 5].map((m) => failed(m, '198.51.100.1')),
			failed(3, '198.51.100.2')
		]);
		expect(accountLocks(attempts, NOW)).toEqual({
			everywhere: false,
			networks: 2,
			failures: 11,
			retryAfterSeconds: (WINDOW_MINUTES - 5) * 60
		});
		expect(accountLocks(newestFirst([failed(1), signedIn(0)]), NOW)).toBeNull();
	});

	it('lets no network check more than five wrong tries in 15 minutes, nor all of them more than 30 in an hour', () => {
		// A guesser's minute-by-minute tries from a few networks, each let through only if the rules allow.
		const tries = fc.array(
			fc.record({
				minute: fc.integer({ min: 0, max: 180 }),
				// Mostly one or two networks, so each one's own limit is tested as hard as the hour's.
				network: fc.oneof(
					{ weight: 6, arbitrary: fc.constantFrom('a', 'b') },
					{ weight: 1, arbitrary: fc.constantFrom('c', 'd', 'e', 'f', 'g', 'h', 'i') }
				)
			}),
			{ minLength: 20, maxLength: 400, size: 'max' }
		);
		fc.assert(
			fc.property(tries, (planned) => {
				const checked: AttemptRecord[] = [];
				const start = NOW.getTime();
				for (const { minute, network } of [...planned].sort((x, y) => x.minute - y.minute)) {
					const now = new Date(start + minute * 60_000);
					const hourAgo = now.getTime() - ACCOUNT_WINDOW_MINUTES * 60_000;
					const recent = newestFirst(checked.filter((c) => Date.parse(c.at) >= hourAgo));
					if (accountVerdict(recent, network, now).locked) continue;
					checked.push({ at: now.toISOString(), network, succeeded: false });
				}
				for (const attempt of checked) {
					const t = Date.parse(attempt.at);
					const inWindow = (minutes: number, sameNetwork: boolean) =>
						checked.filter(
							(c) =>
								Date.parse(c.at) <= t &&
								Date.parse(c.at) > t - minutes * 60_000 &&
								(!sameNetwork || c.network === attempt.network)
						).length;
					expect(inWindow(WINDOW_MINUTES, true)).toBeLessThanOrEqual(NETWORK_ACCOUNT_FAILURE_LIMIT);
					expect(inWindow(ACCOUNT_WINDOW_MINUTES, false)).toBeLessThanOrEqual(ACCOUNT_FAILURE_LIMIT);
				}
			}),
			{ numRuns: 200 }
		);
	});
});
