import { randomUUID } from 'node:crypto';
import type { TestPod } from './pod';

let made = 0;

/**
 * A new student of Pod North with two playlist items, made for one test to change or delete:
 * signs in with the demo pictures like everyone else.
 */
export async function freshStudent(
	pod: TestPod,
	{ givenName = `Zoë${++made}`, familyName = 'Fresh-Student' } = {}
): Promise<{ id: string; name: string }> {
	const id = randomUUID();
	const now = new Date().toISOString();
	const { picture_password_hash } = await pod.db
		.selectFrom('users')
		.select('picture_password_hash')
		.where('id', '=', pod.users.student)
		.executeTakeFirstOrThrow();
	await pod.db
		.insertInto('users')
		.values({
			id,
			kind: 'student',
			given_name: givenName,
			family_name: familyName,
			email: null,
			password_hash: null,
			picture_password_hash,
			created_at: now
		})
		.execute();
	await pod.db
		.insertInto('pod_students')
		.values({ pod_id: pod.podId, user_id: id, grade_level: 5, cohort: 'Fresh' })
		.execute();
	const activities = await pod.db
		.selectFrom('activities')
		.select('id')
		.where('pod_id', '=', pod.podId)
		.where('kind', '=', 'assessment')
		.orderBy('title')
		.limit(2)
		.execute();
	await pod.db
		.insertInto('assignments')
		.values(
			activities.map((activity, position) => ({
				id: randomUUID(),
				pod_id: pod.podId,
				student_id: id,
				activity_id: activity.id,
				position,
				priority: 'must' as const,
				due_on: null,
				assigned_by: pod.users.lead,
				assigned_at: now
			}))
		)
		.execute();
	return { id, name: `${givenName} ${familyName}` };
}
