import type { Db } from '../db';
import { isoNow, newId } from '../ids';

// Failures count within a window; a success on an account wipes its slate.
export const WINDOW_MINUTES = 15;
export const ACCOUNT_FAILURE_LIMIT = 5;
// A whole class signs in through one school address; even if every child mistypes
// twice, this is never reached. It stops one machine guessing across many accounts.
export const ADDRESS_FAILURE_LIMIT = 300;

export type ThrottleVerdict =
	{ locked: false } | { locked: true; scope: 'account' | 'address'; retryAfterSeconds: number };

export async function checkThrottle(
	db: Db,
	key: { account: string; address: string },
	now = new Date()
): Promise<ThrottleVerdict> {
	const since = isoNow(new Date(now.getTime() - WINDOW_MINUTES * 60_000));
	const lastSuccess = await db
		.selectFrom('sign_in_attempts')
		.select((eb) => eb.fn.max('at').as('at'))
		.where('account_key', '=', key.account)
		.where('succeeded', '=', 1)
		.where('at', '>=', since)
		.executeTakeFirst();
	const accountFailures = await db
		.selectFrom('sign_in_attempts')
		.select('at')
		.where('account_key', '=', key.account)
		.where('succeeded', '=', 0)
		.where('at', '>=', lastSuccess?.at && lastSuccess.at > since ? lastSuccess.at : since)
		.orderBy('at', 'desc')
		.limit(ACCOUNT_FAILURE_LIMIT)
		.execute();
	if (accountFailures.length >= ACCOUNT_FAILURE_LIMIT) {
		return lockedUntil('account', accountFailures.at(-1)!.at, now);
	}
	const addressFailures = await db
		.selectFrom('sign_in_attempts')
		.select('at')
		.where('address', '=', key.address)
		.where('succeeded', '=', 0)
		.where('at', '>=', since)
		.orderBy('at', 'desc')
		.limit(ADDRESS_FAILURE_LIMIT)
		.execute();
	if (addressFailures.length >= ADDRESS_FAILURE_LIMIT) {
		return lockedUntil('address', addressFailures.at(-1)!.at, now);
	}
	return { locked: false };
}

function lockedUntil(scope: 'account' | 'address', oldestCounted: string, now: Date): ThrottleVerdict {
	const until = Date.parse(oldestCounted) + WINDOW_MINUTES * 60_000;
	return { locked: true, scope, retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) };
}

/** Every attempt is kept: failed sign-ins are the log a school's IT person reads. */
export async function recordAttempt(
	db: Db,
	attempt: { account: string; address: string; succeeded: boolean },
	now = new Date()
): Promise<void> {
	await db
		.insertInto('sign_in_attempts')
		.values({
			id: newId(),
			account_key: attempt.account,
			address: attempt.address,
			succeeded: attempt.succeeded ? 1 : 0,
			at: isoNow(now)
		})
		.execute();
}

/** "12 minutes", "1 minute", "40 seconds": for the message on a locked account. */
export function waitInWords(seconds: number): string {
	if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
	const minutes = Math.ceil(seconds / 60);
	return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
