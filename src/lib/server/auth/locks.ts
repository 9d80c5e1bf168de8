import type { Kysely } from 'kysely';
import { auditedWrite } from '../audit/log';
import type { Database, Db } from '../db';
import { writeWithEvents } from '../live/log';
import { studentsOfPod } from '../pods/students';
import {
	accountLocks,
	accountVerdict,
	clearCounter,
	clearFailures,
	networkOf,
	recentAttempts
} from './throttle';
import { NotFound } from '../errors';

// Students locked out of picture sign-in, as the lead sees them on the board, and the lead's
// unlock: for one student, or for the whole pod at once (a classmate was hammering).

/** How a student's sign-in attempts are keyed (staff by their lower-cased email). */
export const studentAccount = (studentId: string) => `student:${studentId}`;

export interface LockedStudent {
	studentId: string;
	name: string;
	/** Locked from every network (too many tries in an hour), not just the one that guessed. */
	everywhere: boolean;
	/** Wrong tries in the last hour that still count. */
	failures: number;
	retryAfterSeconds: number;
}

/** The pod's students who cannot sign in with their pictures right now, somewhere. */
export async function lockedStudents(db: Db, podId: string, now = new Date()): Promise<LockedStudent[]> {
	const students = await db
		.selectFrom('pod_students')
		.innerJoin('users', 'users.id', 'pod_students.user_id')
		.select(['users.id', 'users.given_name', 'users.family_name'])
		.where('pod_students.pod_id', '=', podId)
		.where('users.status', '=', 'active')
		.orderBy('users.given_name')
		.orderBy('users.family_name')
		.execute();
	const attempts = await recentAttempts(
		db,
		students.map((s) => studentAccount(s.id)),
		now
	);
	return students.flatMap((student) => {
		const account = studentAccount(student.id);
		const lock = accountLocks(
			attempts.filter((a) => a.account === account),
			now
		);
		return lock
			? [
					{
						studentId: student.id,
						name: `${student.given_name} ${student.family_name}`,
						everywhere: lock.everywhere,
						failures: lock.failures,
						retryAfterSeconds: lock.retryAfterSeconds
					}
				]
			: [];
	});
}

/**
 * A wrong try that locked the student (from this network, or everywhere) tells the pod's boards,
 * so the lead sees it without reloading. Only the student's id travels: names are read on the board.
 */
export async function announceIfLocked(
	db: Kysely<Database>,
	attempt: { podId: string; studentId: string; address: string },
	now = new Date()
): Promise<void> {
	const verdict = accountVerdict(
		await recentAttempts(db, [studentAccount(attempt.studentId)], now),
		networkOf(attempt.address),
		now
	);
	if (!verdict.locked) return;
	await writeWithEvents(db, async (_trx, record) => {
		await record(attempt.podId, 'signIn.locked', { lockedStudentId: attempt.studentId });
	});
}

/**
 * Let students of the pod sign in again: their failed tries stop counting (they stay in the log,
 * marked with who cleared them). Unlocking the whole pod also lifts the pod-code pause on the
 * network the lead is on, the room's. Answers how many failed tries were cleared.
 */
export function unlockStudents(
	db: Kysely<Database>,
	input: { podId: string; studentIds: readonly string[] | 'all'; by: string; address: string },
	now = new Date()
): Promise<{ studentIds: string[]; clearedTries: number }> {
	const everyone = input.studentIds === 'all';
	return auditedWrite(
		{ db, user: { id: input.by }, pod: { id: input.podId } },
		{ action: 'unlock', entity: 'signIn', at: now },
		async (trx, record) => {
			const students = await studentsOfPod(trx, input.podId, input.studentIds);
			const studentIds = students.map((s) => s.id);
			if (input.studentIds !== 'all' && studentIds.length < input.studentIds.length) {
				throw new NotFound('No student of this pod has that id.');
			}
			const clearedTries = await clearFailures(trx, studentIds.map(studentAccount), input.by, now);
			if (everyone) await clearCounter(trx, 'pod-code', input.address);
			await record(input.podId, 'signIn.unlocked', { unlockedStudentIds: studentIds });
			return { studentIds, clearedTries };
		},
		({ studentIds, clearedTries }) => ({
			entityId: everyone ? null : (studentIds[0] ?? null),
			detail: { students: everyone ? 'all' : studentIds.length, clearedTries }
		})
	);
}
