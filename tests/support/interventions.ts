// Intervention records made directly in the database, for tests that need one to act on.
import { randomUUID } from 'node:crypto';
import type { GroupStatus } from '../../src/lib/server/db/schema';
import type { TestPod } from './pod';

const now = () => new Date().toISOString();

/** A student of the pod without a hand up, other than the test's own signed-in student. */
async function studentWithoutHandUp(pod: TestPod): Promise<string> {
	const row = await pod.db
		.selectFrom('pod_students')
		.select('user_id')
		.where('pod_id', '=', pod.podId)
		.where('user_id', '!=', pod.users.student)
		.where('user_id', 'not in', (eb) =>
			eb.selectFrom('help_requests').select('student_id').where('open_key', 'is not', null)
		)
		.orderBy('user_id')
		.executeTakeFirstOrThrow();
	return row.user_id;
}

/** A hand up (version 1), optionally already taken by a teacher. */
export async function freshHandUp(pod: TestPod, claimedBy: string | null = null) {
	const studentId = await studentWithoutHandUp(pod);
	const id = randomUUID();
	await pod.db
		.insertInto('help_requests')
		.values({
			id,
			pod_id: pod.podId,
			student_id: studentId,
			assignment_id: null,
			asked_at: now(),
			claimed_by: claimedBy,
			claimed_at: claimedBy ? now() : null,
			open_key: studentId
		})
		.execute();
	return { requestId: id, studentId, version: 1 };
}

/** A group of the test's student and a classmate (version 1), proposed or already someone's. */
export async function freshGroup(pod: TestPod, owner: { id: string; status: GroupStatus } | null = null) {
	const id = randomUUID();
	await pod.db
		.insertInto('intervention_groups')
		.values({
			id,
			pod_id: pod.podId,
			title: `Test group ${id.slice(0, 8)}`,
			focus_skill_id: null,
			owner_id: owner?.id ?? null,
			planned_block_id: null,
			planned_on: null,
			planned_start: null,
			status: owner?.status ?? 'proposed',
			outcome_note: null,
			created_by: pod.users.lead,
			created_at: now(),
			updated_at: now()
		})
		.execute();
	await pod.db
		.insertInto('group_members')
		.values([
			{ group_id: id, student_id: pod.users.student, flag_id: null },
			{ group_id: id, student_id: pod.classmateId, flag_id: null }
		])
		.execute();
	return { groupId: id, version: 1 };
}

/** An open teacher's flag on the classmate, about a fresh reason. */
export async function freshFlag(pod: TestPod) {
	const id = randomUUID();
	await pod.db
		.insertInto('flags')
		.values({
			id,
			pod_id: pod.podId,
			student_id: pod.classmateId,
			assignment_id: null,
			rule: 'manual',
			reason: 'Test flag',
			raised_by: pod.users.lead,
			// Unique per flag, so tests can make many: a real manual flag keys on student and assignment.
			open_key: `test|${id}`,
			created_at: now()
		})
		.execute();
	return id;
}

/** The six orders three teachers' claims can leave in: who sends first varies by trial. */
export const CLAIM_ORDERS = [
	[0, 1, 2],
	[0, 2, 1],
	[1, 0, 2],
	[1, 2, 0],
	[2, 0, 1],
	[2, 1, 0]
] as const;
