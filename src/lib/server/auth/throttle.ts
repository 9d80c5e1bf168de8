import { isIP } from 'node:net';
import { sql, type Kysely } from 'kysely';
import type { Database, Db } from '../db';
import { takeTurns } from '../db/locks';
import { isoNow, newId } from '../ids';

// Sign-in throttling. Every attempt is counted BEFORE its password or pictures are checked, in a
// transaction that takes turns with every other attempt at the same account or from the same
// network, so a batch or a burst of 50 parallel tries gets exactly as many checks as the limits
// allow. And locks fall where the guessing came from: a classmate hammering from one network
// locks a name there, never the class signing in somewhere else.

/** Wrong tries one network may make at one account in this window; then it is locked there. */
export const NETWORK_ACCOUNT_FAILURE_LIMIT = 5;
export const WINDOW_MINUTES = 15;
/**
 * Wrong tries at one account from every network together in an hour; then it is locked
 * everywhere until the hour has passed or a lead unlocks it. One network alone can make at most
 * 4 × 5 = 20 in an hour, so one network can never lock a student out of every other.
 */
export const ACCOUNT_FAILURE_LIMIT = 30;
export const ACCOUNT_WINDOW_MINUTES = 60;
/**
 * A whole class signs in through one school address; even if every child mistypes twice, this
 * is never reached. It stops one machine guessing across many accounts.
 */
export const NETWORK_FAILURE_LIMIT = 300;
/** Wrong pod codes one network may try per quarter hour (a class's typos are a few dozen). */
export const POD_CODE_LIMIT = 100;

const minutesBefore = (now: Date, minutes: number) => new Date(now.getTime() - minutes * 60_000);

/**
 * Where an attempt comes from, as throttling counts it: an IPv4 address as it is, an IPv6
 * address by its /64 (one household or phone has the whole /64 to pick from).
 */
export function networkOf(address: string): string {
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
	if (mapped) return mapped[1];
	if (isIP(address) !== 6) return address;
	const [head, tail = ''] = address.toLowerCase().split('::');
	const left = head ? head.split(':') : [];
	const right = tail ? tail.split(':') : [];
	const groups = address.includes('::')
		? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
		: left;
	return `${groups
		.slice(0, 4)
		.map((group) => group.replace(/^0+(?=.)/, ''))
		.join(':')}::/64`;
}

/** One recorded attempt at an account, as the rules read it. */
export interface AttemptRecord {
	at: string;
	network: string;
	succeeded: boolean;
}

export type LockScope = 'here' | 'everywhere' | 'network';
export type ThrottleVerdict =
	{ locked: false } | { locked: true; scope: LockScope; retryAfterSeconds: number };

function lockedUntil(
	scope: LockScope,
	oldestCounted: string,
	windowMinutes: number,
	now: Date
): ThrottleVerdict {
	const until = Date.parse(oldestCounted) + windowMinutes * 60_000;
	return { locked: true, scope, retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) };
}

/**
 * Is this account locked for someone trying from `network`? `attempts` are the account's
 * attempts of the last hour that no one cleared, newest first. A success wipes the slate of
 * the network it came from, not of others: a student signing in at school gives nobody
 * elsewhere more guesses.
 */
export function accountVerdict(
	attempts: readonly AttemptRecord[],
	network: string,
	now: Date
): ThrottleVerdict {
	const hourAgo = minutesBefore(now, ACCOUNT_WINDOW_MINUTES).getTime();
	const failures = attempts.filter((a) => !a.succeeded && Date.parse(a.at) >= hourAgo);
	if (failures.length >= ACCOUNT_FAILURE_LIMIT) {
		return lockedUntil('everywhere', failures[ACCOUNT_FAILURE_LIMIT - 1].at, ACCOUNT_WINDOW_MINUTES, now);
	}
	const windowStart = minutesBefore(now, WINDOW_MINUTES).getTime();
	const fromHere: AttemptRecord[] = [];
	for (const attempt of attempts) {
		if (attempt.network !== network || Date.parse(attempt.at) < windowStart) continue;
		if (attempt.succeeded) break;
		fromHere.push(attempt);
	}
	if (fromHere.length >= NETWORK_ACCOUNT_FAILURE_LIMIT) {
		return lockedUntil('here', fromHere[NETWORK_ACCOUNT_FAILURE_LIMIT - 1].at, WINDOW_MINUTES, now);
	}
	return { locked: false };
}

/** The networks an account is locked from, and whether it is locked everywhere: for the board. */
export function accountLocks(
	attempts: readonly AttemptRecord[],
	now: Date
): { everywhere: boolean; networks: number; failures: number; retryAfterSeconds: number } | null {
	const verdicts = [...new Set(attempts.map((a) => a.network))]
		.map((network) => accountVerdict(attempts, network, now))
		.filter((v) => v.locked);
	if (!verdicts.length) return null;
	const hourAgo = minutesBefore(now, ACCOUNT_WINDOW_MINUTES).getTime();
	return {
		everywhere: verdicts.some((v) => v.scope === 'everywhere'),
		networks: verdicts.length,
		failures: attempts.filter((a) => !a.succeeded && Date.parse(a.at) >= hourAgo).length,
		retryAfterSeconds: Math.max(...verdicts.map((v) => v.retryAfterSeconds))
	};
}

/** The network's failed sign-ins of the window, newest first (at most the limit). */
export function networkVerdict(failureTimes: readonly string[], now: Date): ThrottleVerdict {
	return failureTimes.length >= NETWORK_FAILURE_LIMIT
		? lockedUntil('network', failureTimes[NETWORK_FAILURE_LIMIT - 1], WINDOW_MINUTES, now)
		: { locked: false };
}

/**
 * The account's attempts of the last hour that still count, newest first. No upper bound on
 * time: a try that waited its turn holds a `now` from before the tries it waited for, and must
 * still count them.
 */
export async function recentAttempts(
	db: Db,
	accountKeys: readonly string[],
	now: Date
): Promise<(AttemptRecord & { account: string })[]> {
	if (!accountKeys.length) return [];
	const rows = await db
		.selectFrom('sign_in_attempts')
		.select(['account_key', 'at', 'network', 'address', 'succeeded'])
		.where('account_key', 'in', accountKeys)
		.where('at', '>=', isoNow(minutesBefore(now, ACCOUNT_WINDOW_MINUTES)))
		.where('cleared_at', 'is', null)
		.orderBy('at', 'desc')
		.limit(500 * accountKeys.length)
		.execute();
	return rows.map((row) => ({
		account: row.account_key,
		at: row.at,
		network: row.network ?? row.address,
		succeeded: row.succeeded === 1
	}));
}

async function networkFailureTimes(db: Db, network: string, now: Date): Promise<string[]> {
	const rows = await db
		.selectFrom('sign_in_attempts')
		.select('at')
		.where('network', '=', network)
		.where('succeeded', '=', 0)
		.where('cleared_at', 'is', null)
		.where('at', '>=', isoNow(minutesBefore(now, WINDOW_MINUTES)))
		.orderBy('at', 'desc')
		.limit(NETWORK_FAILURE_LIMIT)
		.execute();
	return rows.map((row) => row.at);
}

export type Reservation =
	{ ok: true; attemptId: string } | { ok: false; verdict: ThrottleVerdict & { locked: true } };

/**
 * Count an attempt before it is checked: if the account and network may try again, record it as
 * a failure now (`settleAttempt` turns it into a success once the secret is right) and answer
 * its id; otherwise answer the lock, recording nothing. Attempts at the same account or from
 * the same network take turns here, on both engines, so no burst outruns the count.
 */
export async function reserveAttempt(
	db: Kysely<Database>,
	key: { account: string; address: string },
	now = new Date()
): Promise<Reservation> {
	const network = networkOf(key.address);
	return db.transaction().execute(async (trx) => {
		await takeTurns(trx, [`sign-in-account:${key.account}`, `sign-in-network:${network}`]);
		const account = accountVerdict(await recentAttempts(trx, [key.account], now), network, now);
		if (account.locked) return { ok: false, verdict: account };
		const fromNetwork = networkVerdict(await networkFailureTimes(trx, network, now), now);
		if (fromNetwork.locked) return { ok: false, verdict: fromNetwork };
		const attemptId = newId();
		await trx
			.insertInto('sign_in_attempts')
			.values({
				id: attemptId,
				account_key: key.account,
				address: key.address,
				network,
				succeeded: 0,
				at: isoNow(now)
			})
			.execute();
		return { ok: true, attemptId };
	});
}

/** The secret was right: the reserved attempt becomes a success (and wipes its network's slate). */
export async function settleAttempt(db: Db, attemptId: string): Promise<void> {
	await db.updateTable('sign_in_attempts').set({ succeeded: 1 }).where('id', '=', attemptId).execute();
}

/** A success that needed no guess (a card's link): logged, and wiping its network's slate. */
export async function recordSuccess(
	db: Db,
	attempt: { account: string; address: string },
	now = new Date()
): Promise<void> {
	await db
		.insertInto('sign_in_attempts')
		.values({
			id: newId(),
			account_key: attempt.account,
			address: attempt.address,
			network: networkOf(attempt.address),
			succeeded: 1,
			at: isoNow(now)
		})
		.execute();
}

/** Failures stop counting (they stay in the log, marked with who cleared them). */
export async function clearFailures(
	db: Db,
	accountKeys: readonly string[],
	by: string,
	now = new Date()
): Promise<number> {
	if (!accountKeys.length) return 0;
	const result = await db
		.updateTable('sign_in_attempts')
		.set({ cleared_at: isoNow(now), cleared_by: by })
		.where('account_key', 'in', accountKeys)
		.where('succeeded', '=', 0)
		.where('cleared_at', 'is', null)
		.where('at', '>=', isoNow(minutesBefore(now, ACCOUNT_WINDOW_MINUTES)))
		.executeTakeFirst();
	return Number(result.numUpdatedRows);
}

// Wrong pod codes, unknown card links and unknown invitation links are counted apart from
// sign-ins, one row per network and quarter hour: a flood of them (or an image tag on some web
// page pointing at card links) costs one upsert each and never spends the budget real sign-ins need.

export type CounterBucket = 'pod-code' | 'card-link' | 'invite-link';

function quarterHour(now: Date): { start: string; end: number } {
	const windowMs = WINDOW_MINUTES * 60_000;
	const start = Math.floor(now.getTime() / windowMs) * windowMs;
	return { start: new Date(start).toISOString(), end: start + windowMs };
}

/** The network's count in this quarter hour, and how long until the next one starts. */
export async function readCounter(
	db: Db,
	bucket: CounterBucket,
	address: string,
	now = new Date()
): Promise<{ count: number; retryAfterSeconds: number }> {
	const window = quarterHour(now);
	const row = await db
		.selectFrom('sign_in_counters')
		.select('count')
		.where('bucket', '=', bucket)
		.where('network', '=', networkOf(address))
		.where('window_start', '=', window.start)
		.executeTakeFirst();
	return {
		count: Number(row?.count ?? 0),
		retryAfterSeconds: Math.max(1, Math.ceil((window.end - now.getTime()) / 1000))
	};
}

/** One more for the network this quarter hour, in one statement (an upsert). */
export async function bumpCounter(db: Db, bucket: CounterBucket, address: string, now = new Date()) {
	const network = networkOf(address);
	const window = quarterHour(now);
	const row = await db
		.insertInto('sign_in_counters')
		.values({ bucket, network, window_start: window.start, count: 1 })
		.onConflict((oc) =>
			oc
				.columns(['bucket', 'network', 'window_start'])
				.doUpdateSet({ count: sql<number>`sign_in_counters.count + 1` })
		)
		.returning('count')
		.executeTakeFirstOrThrow();
	// Old quarter hours are of no use to anyone: the network's own go as it starts a new one.
	if (Number(row.count) === 1) {
		await db
			.deleteFrom('sign_in_counters')
			.where('network', '=', network)
			.where('window_start', '<', isoNow(minutesBefore(now, ACCOUNT_WINDOW_MINUTES)))
			.execute();
	}
}

/** A lead in the room clears the pod-code pause of the network they are on (the school's). */
export async function clearCounter(db: Db, bucket: CounterBucket, address: string): Promise<void> {
	await db
		.deleteFrom('sign_in_counters')
		.where('bucket', '=', bucket)
		.where('network', '=', networkOf(address))
		.execute();
}
