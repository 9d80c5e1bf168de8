import { TRPCError } from '@trpc/server';
import { pictureSecret, type Picture } from '../../auth/pictures';
import type { Db } from '../db';
import { endOfSchoolDay } from '../pods/clock';
import { decoyHash, verifySecret } from './passwords';
import { createSession, STAFF_ABSOLUTE_HOURS, STAFF_IDLE_MINUTES, STUDENT_IDLE_MINUTES } from './sessions';
import { checkThrottle, recordAttempt, waitInWords } from './throttle';

export interface SignedIn {
	token: string;
	expiresAt: Date;
	userId: string;
}

async function refuseWhileLocked(db: Db, account: string, address: string, now: Date) {
	const verdict = await checkThrottle(db, { account, address }, now);
	if (!verdict.locked) return;
	const wait = waitInWords(verdict.retryAfterSeconds);
	throw new TRPCError({
		code: 'TOO_MANY_REQUESTS',
		message:
			verdict.scope === 'account'
				? `Too many wrong tries for this account. It is locked for ${wait} — try again then, or ask your lead facilitator.`
				: `Too many wrong tries from this network. Sign-in is paused for ${wait}.`
	});
}

export async function signInStaff(
	db: Db,
	input: { email: string; password: string; address: string },
	now = new Date()
): Promise<SignedIn> {
	const account = input.email.trim().toLowerCase();
	await refuseWhileLocked(db, account, input.address, now);
	const user = await db
		.selectFrom('users')
		.select(['id', 'password_hash', 'status'])
		.where('email', '=', account)
		.where('kind', '=', 'staff')
		.executeTakeFirst();
	// Verify against a decoy when there is no account, so timing does not reveal which emails exist.
	const ok = await verifySecret(input.password, user?.password_hash ?? (await decoyHash()));
	const accepted = ok && user !== undefined && user.status === 'active';
	await recordAttempt(db, { account, address: input.address, succeeded: accepted }, now);
	if (!accepted) {
		throw new TRPCError({
			code: 'UNAUTHORIZED',
			message: 'That email and password do not match an account. Check both and try again.'
		});
	}
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

/** The pod a join code opens, with the names a student picks from. */
export async function findPodByJoinCode(db: Db, joinCode: string) {
	const code = joinCode.trim().toUpperCase();
	const pod = await db
		.selectFrom('pods')
		.select(['id', 'name', 'timezone', 'session_end'])
		.where('join_code', '=', code)
		.executeTakeFirst();
	if (!pod) {
		throw new TRPCError({
			code: 'NOT_FOUND',
			message: `Pod code ${code} not found — check the code on the board.`
		});
	}
	return pod;
}

/** Students see one another only as "Given F." on the join page: enough to find your own name. */
export async function joinRoster(db: Db, joinCode: string) {
	const pod = await findPodByJoinCode(db, joinCode);
	const students = await db
		.selectFrom('pod_students')
		.innerJoin('users', 'users.id', 'pod_students.user_id')
		.select(['users.id', 'users.given_name', 'users.family_name'])
		.where('pod_students.pod_id', '=', pod.id)
		.where('users.status', '=', 'active')
		.orderBy('users.given_name')
		.orderBy('users.family_name')
		.execute();
	return {
		pod: { id: pod.id, name: pod.name },
		students: students.map((s) => ({ id: s.id, name: `${s.given_name} ${s.family_name.charAt(0)}.` }))
	};
}

export async function signInStudent(
	db: Db,
	input: { joinCode: string; studentId: string; pictures: readonly Picture[]; address: string },
	now = new Date()
): Promise<SignedIn & { podId: string }> {
	const pod = await findPodByJoinCode(db, input.joinCode);
	await refuseWhileLocked(db, `student:${input.studentId}`, input.address, now);
	const student = await db
		.selectFrom('pod_students')
		.innerJoin('users', 'users.id', 'pod_students.user_id')
		.select(['users.id', 'users.picture_password_hash'])
		.where('pod_students.pod_id', '=', pod.id)
		.where('users.id', '=', input.studentId)
		.where('users.status', '=', 'active')
		.executeTakeFirst();
	if (!student) {
		throw new TRPCError({
			code: 'NOT_FOUND',
			message: 'That name is not in this pod. Go back and pick your name again.'
		});
	}
	const ok =
		student.picture_password_hash !== null &&
		(await verifySecret(pictureSecret(input.pictures), student.picture_password_hash));
	await recordAttempt(db, { account: `student:${student.id}`, address: input.address, succeeded: ok }, now);
	if (!ok) {
		throw new TRPCError({
			code: 'UNAUTHORIZED',
			message: 'Those pictures are not right. Try again, or ask a teacher.'
		});
	}
	const session = await createSession(
		db,
		{
			userId: student.id,
			podId: pod.id,
			idleMinutes: STUDENT_IDLE_MINUTES,
			expiresAt: endOfSchoolDay(pod, now)
		},
		now
	);
	return { ...session, userId: student.id, podId: pod.id };
}
