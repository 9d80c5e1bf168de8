import type { Kysely } from 'kysely';
import { pictureSecret, type Picture } from '../../auth/pictures';
import type { Database } from '../db';
import { daysOffAround } from '../calendar/calendar';
import { endOfSchoolDay } from '../pods/clock';
import { studentOfPod } from '../pods/students';
import { decoyHash, verifySecret } from './passwords';
import { createSession, STAFF_ABSOLUTE_HOURS, STAFF_IDLE_MINUTES, STUDENT_IDLE_MINUTES } from './sessions';
import { takeTurns } from '../db/locks';
import {
	bumpCounter,
	networkOf,
	POD_CODE_LIMIT,
	readCounter,
	reserveAttempt,
	settleAttempt,
	type ThrottleVerdict
} from './throttle';
import { announceIfLocked, studentAccount } from './locks';
import { waitInWords } from '../../dashboard/words';
import { NotFound, TooMany, WrongPassword } from '../errors';

export interface SignedIn {
	token: string;
	expiresAt: Date;
	userId: string;
}

type Who = 'staff' | 'student';

function lockedMessage(verdict: ThrottleVerdict & { locked: true }, who: Who): string {
	const wait = waitInWords(verdict.retryAfterSeconds);
	// A child at a locked name needs what to do next, in their words: a grown-up now, or the wait.
	if (who === 'student') {
		switch (verdict.scope) {
			case 'here':
				return `Too many wrong tries for your name on this network. Ask a teacher to unlock you, or wait ${wait}.`;
			case 'everywhere':
				return `Too many wrong tries for your name from several places. Ask a teacher to unlock you, or wait ${wait}.`;
			case 'network':
				return `Too many wrong tries from this network. Ask a teacher to unlock sign-in, or wait ${wait}.`;
		}
	}
	switch (verdict.scope) {
		case 'here':
			return `Too many wrong tries for this account from this network. It is locked here for ${wait} — try again then, or ask your school's Podboard admin.`;
		case 'everywhere':
			return `Too many wrong tries for this account from several places. It is locked for ${wait} — ask your school's Podboard admin.`;
		case 'network':
			return `Too many wrong tries from this network. Sign-in is paused here for ${wait}.`;
	}
}

/**
 * Count the attempt before checking it, or refuse while the account (here or everywhere) or
 * the network is locked. Answers the reserved attempt, to settle once the secret is checked.
 */
export async function reserveOrRefuse(
	db: Kysely<Database>,
	key: { account: string; address: string },
	who: Who,
	now: Date
): Promise<string> {
	const reservation = await reserveAttempt(db, key, now);
	if (!reservation.ok) {
		throw new TooMany(lockedMessage(reservation.verdict, who), {
			retryAfterSeconds: reservation.verdict.retryAfterSeconds
		});
	}
	return reservation.attemptId;
}

export async function signInStaff(
	db: Kysely<Database>,
	input: { email: string; password: string; address: string },
	now = new Date()
): Promise<SignedIn> {
	const account = input.email.trim().toLowerCase();
	// Unknown emails are counted and answered like known ones: nothing tells which exist.
	const attemptId = await reserveOrRefuse(db, { account, address: input.address }, 'staff', now);
	const user = await db
		.selectFrom('users')
		.select(['id', 'password_hash', 'status'])
		.where('email', '=', account)
		.where('kind', '=', 'staff')
		.executeTakeFirst();
	// Verify against a decoy when there is no account, so timing does not reveal which emails exist.
	const ok = await verifySecret(input.password, user?.password_hash ?? (await decoyHash()));
	const accepted = ok && user !== undefined && user.status === 'active';
	if (!accepted) {
		throw new WrongPassword('That email and password do not match an account. Check both and try again.');
	}
	await settleAttempt(db, attemptId);
	const session = await createSession(
		db,
		{
			userId: user.id,
			podId: null,
			idleMinutes: STAFF_IDLE_MINUTES,
			expiresAt: new Date(now.getTime() + STAFF_ABSOLUTE_HOURS * 3_600_000)
		},
		now
	);
	return { ...session, userId: user.id };
}

/**
 * The pod a join code opens. Look-ups from one network take turns, so the count of its wrong
 * codes is read and raised as one step: a burst of guesses learns no more than the limit allows,
 * and past it even the right code waits (or guessing would still pay) until the quarter hour
 * ends or a lead in the room unlocks the pod. Right codes are never counted.
 */
export async function findPodByJoinCode(
	db: Kysely<Database>,
	joinCode: string,
	address: string,
	now = new Date()
) {
	const code = joinCode.trim().toUpperCase();
	const found = await db.transaction().execute(async (trx) => {
		await takeTurns(trx, [`pod-code:${networkOf(address)}`]);
		const counted = await readCounter(trx, 'pod-code', address, now);
		if (counted.count >= POD_CODE_LIMIT) return { pod: undefined, paused: counted.retryAfterSeconds };
		const pod = await trx
			.selectFrom('pods')
			.select(['id', 'name', 'timezone', 'school_week'])
			.where('join_code', '=', code)
			// An archived pod's code opens nothing, as if it were wrong.
			.where('archived_at', 'is', null)
			.executeTakeFirst();
		if (!pod) await bumpCounter(trx, 'pod-code', address, now);
		return { pod, paused: null };
	});
	if (found.paused !== null) {
		throw new TooMany(
			`Too many wrong pod codes from this network. Wait ${waitInWords(found.paused)}, or ask a teacher to unlock sign-in.`,
			{ retryAfterSeconds: found.paused }
		);
	}
	if (!found.pod) {
		throw new NotFound(`Pod code ${code} not found — check the code on the board.`);
	}
	return found.pod;
}

/**
 * Students see one another only as "Given F." on the join page, with their grade: enough to find
 * your own name among 70 (the page filters by grade and by what you type).
 */
export async function joinRoster(db: Kysely<Database>, joinCode: string, address: string, now = new Date()) {
	const pod = await findPodByJoinCode(db, joinCode, address, now);
	const students = await db
		.selectFrom('pod_students')
		.innerJoin('users', 'users.id', 'pod_students.user_id')
		.select(['users.id', 'users.given_name', 'users.family_name', 'pod_students.grade_level'])
		.where('pod_students.pod_id', '=', pod.id)
		.where('users.status', '=', 'active')
		.orderBy('users.given_name')
		.orderBy('users.family_name')
		.execute();
	return {
		pod: { id: pod.id, name: pod.name },
		students: students.map((s) => ({
			id: s.id,
			name: `${s.given_name} ${s.family_name.charAt(0)}.`,
			grade: s.grade_level
		}))
	};
}

export async function signInStudent(
	db: Kysely<Database>,
	input: { joinCode: string; studentId: string; pictures: readonly Picture[]; address: string },
	now = new Date()
): Promise<SignedIn & { podId: string }> {
	const pod = await findPodByJoinCode(db, input.joinCode, input.address, now);
	const student = await studentOfPod(db, pod.id, input.studentId, { activeOnly: true });
	if (!student) {
		throw new NotFound('That name is not in this pod. Go back and pick your name again.');
	}
	const account = studentAccount(student.id);
	const attemptId = await reserveOrRefuse(db, { account, address: input.address }, 'student', now);
	const { picture_password_hash: pictureHash } = await db
		.selectFrom('users')
		.select('picture_password_hash')
		.where('id', '=', student.id)
		.executeTakeFirstOrThrow();
	const ok = pictureHash !== null && (await verifySecret(pictureSecret(input.pictures), pictureHash));
	if (!ok) {
		await announceIfLocked(db, { podId: pod.id, studentId: student.id, address: input.address }, now);
		throw new WrongPassword('Those pictures are not right. Try again, or ask a teacher.');
	}
	await settleAttempt(db, attemptId);
	// The session ends with the school day, which a day off on the calendar does not have.
	const daysOff = await daysOffAround(db, pod.id, now);
	const session = await createSession(
		db,
		{
			userId: student.id,
			podId: pod.id,
			idleMinutes: STUDENT_IDLE_MINUTES,
			expiresAt: endOfSchoolDay(pod, now, daysOff)
		},
		now
	);
	return { ...session, userId: student.id, podId: pod.id };
}
