import type { Kysely } from 'kysely';
import type { Database } from '../db';
import { isoNow } from '../ids';
import { auditedWrite } from '../audit/log';
import { createSession, hashToken, STUDENT_IDLE_MINUTES } from '../auth/sessions';
import type { SignedIn } from '../auth/sign-in';
import { studentAccount } from '../auth/locks';
import { bumpCounter, recordSuccess } from '../auth/throttle';
import { daysOffAround } from '../calendar/calendar';
import { endOfSchoolDay } from '../pods/clock';
import { CARD_TOKEN } from './cards';

export type CardSignIn = { ok: true; signedIn: SignedIn & { podId: string } } | { ok: false; why: 'ended' };

/**
 * A card's link signs its student in as their pictures would: a student session that lasts
 * until the end of the pod's school day, logged like any sign-in. An unknown link is counted
 * apart (one upsert), and pauses nothing: a 256-bit token is not guessed, and pausing on them
 * would let any web page with a few hundred image tags stop a school's sign-ins.
 * Never logs the token, and never says whether an unknown token once existed.
 */
export async function signInWithCard(
	db: Kysely<Database>,
	input: { token: string; address: string },
	now = new Date()
): Promise<CardSignIn> {
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
					'pods.school_week'
				])
				.where('sign_in_cards.token_hash', '=', hashToken(input.token))
				.where('sign_in_cards.status', '=', 'active')
				.where('users.status', '=', 'active')
				.where('pods.archived_at', 'is', null)
				.executeTakeFirst()
		: undefined;
	if (!card) {
		await bumpCounter(db, 'card-link', input.address, now);
		return { ok: false, why: 'ended' };
	}
	// The session ends with the school day, which a day off on the calendar does not have.
	const daysOff = await daysOffAround(db, card.podId, now);
	const signedIn = await auditedWrite(
		{ db, user: { id: card.studentId }, pod: { id: card.podId } },
		{ action: 'signIn', entity: 'session', at: now },
		async (trx) => {
			const session = await createSession(
				trx,
				{
					userId: card.studentId,
					podId: card.podId,
					idleMinutes: STUDENT_IDLE_MINUTES,
					expiresAt: endOfSchoolDay({ timezone: card.timezone, school_week: card.school_week }, now, daysOff)
				},
				now
			);
			await recordSuccess(trx, { account: studentAccount(card.studentId), address: input.address }, now);
			await trx
				.updateTable('sign_in_cards')
				.set({ last_used_at: isoNow(now) })
				.where('id', '=', card.id)
				.execute();
			return session;
		},
		() => ({ detail: { as: 'student', with: 'card', cardId: card.id } })
	);
	return { ok: true, signedIn: { ...signedIn, userId: card.studentId, podId: card.podId } };
}
