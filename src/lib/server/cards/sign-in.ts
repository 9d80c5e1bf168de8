import type { Kysely } from 'kysely';
import type { Database, Db } from '../db';
import { isoNow } from '../ids';
import { audit } from '../audit/log';
import { createSession, hashToken, STUDENT_IDLE_MINUTES } from '../auth/sessions';
import type { SignedIn } from '../auth/sign-in';
import { ADDRESS_FAILURE_LIMIT, recordAttempt, WINDOW_MINUTES } from '../auth/throttle';
import { endOfSchoolDay } from '../pods/clock';
import { CARD_TOKEN } from './cards';

export type CardSignIn =
	| { ok: true; signedIn: SignedIn & { podId: string } }
	| { ok: false; why: 'ended' }
	| { ok: false; why: 'paused'; retryAfterSeconds: number };

/**
 * Failed card links count against the address like failed pictures do (300 in 15 minutes), but
 * never lock an account: a 256-bit token is not guessed, and a class scanning old cards through
 * one school address must not lock out each other's picture sign-ins.
 */
const FAILED_CARD_ACCOUNT = 'card-link';

async function addressPause(db: Db, address: string, now: Date): Promise<number | null> {
	const since = isoNow(new Date(now.getTime() - WINDOW_MINUTES * 60_000));
	const failures = await db
		.selectFrom('sign_in_attempts')
		.select('at')
		.where('address', '=', address)
		.where('succeeded', '=', 0)
		.where('at', '>=', since)
		.orderBy('at', 'desc')
		.limit(ADDRESS_FAILURE_LIMIT)
		.execute();
	if (failures.length < ADDRESS_FAILURE_LIMIT) return null;
	const until = Date.parse(failures.at(-1)!.at) + WINDOW_MINUTES * 60_000;
	return Math.max(1, Math.ceil((until - now.getTime()) / 1000));
}

/**
 * A card's link signs its student in as their pictures would: a student session that lasts
 * until the end of the pod's school day, with the same attempt log and address throttle.
 * Never logs the token, and never says whether an unknown token once existed.
 */
export async function signInWithCard(
	db: Kysely<Database>,
	input: { token: string; address: string },
	now = new Date()
): Promise<CardSignIn> {
	const pause = await addressPause(db, input.address, now);
	if (pause !== null) return { ok: false, why: 'paused', retryAfterSeconds: pause };
	const card = CARD_TOKEN.test(input.token)
		? await db
				.selectFrom('sign_in_cards')
				.innerJoin('users', 'users.id', 'sign_in_cards.student_id')
				.innerJoin('pod_students', (join) =>
					join
						.onRef('pod_students.pod_id', '=', 'sign_in_cards.pod_id')
						.onRef('pod_students.user_id', '=', 'sign_in_cards.student_id')
				)
				.innerJoin('pods', 'pods.id', 'sign_in_cards.pod_id')
				.select([
					'sign_in_cards.id',
					'users.id as studentId',
					'pods.id as podId',
					'pods.timezone',
					'pods.session_end'
				])
				.where('sign_in_cards.token_hash', '=', hashToken(input.token))
				.where('sign_in_cards.status', '=', 'active')
				.where('users.status', '=', 'active')
				.executeTakeFirst()
		: undefined;
	if (!card) {
		await recordAttempt(db, { account: FAILED_CARD_ACCOUNT, address: input.address, succeeded: false }, now);
		return { ok: false, why: 'ended' };
	}
	const signedIn = await db.transaction().execute(async (trx) => {
		const session = await createSession(
			trx,
			{
				userId: card.studentId,
				podId: card.podId,
				idleMinutes: STUDENT_IDLE_MINUTES,
				expiresAt: endOfSchoolDay({ timezone: card.timezone, session_end: card.session_end }, now)
			},
			now
		);
		await recordAttempt(
			trx,
			{ account: `student:${card.studentId}`, address: input.address, succeeded: true },
			now
		);
		await trx
			.updateTable('sign_in_cards')
			.set({ last_used_at: isoNow(now) })
			.where('id', '=', card.id)
			.execute();
		await audit(
			trx,
			{
				actorId: card.studentId,
				podId: card.podId,
				action: 'signIn',
				entity: 'session',
				detail: { as: 'student', with: 'card', cardId: card.id }
			},
			now
		);
		return session;
	});
	return { ok: true, signedIn: { ...signedIn, userId: card.studentId, podId: card.podId } };
}
