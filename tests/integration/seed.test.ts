import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, hasAnyPod, seedDemoPod } from '../../db/seed/demo';
import { pictureSecret } from '../../src/lib/auth/pictures';
import { verifySecret } from '../../src/lib/server/auth/passwords';
import { createDb, migrateToLatest, type Database } from '../../src/lib/server/db/index';
import { deriveAssignmentState } from '../../src/lib/progress/derive';
import { asDerivationEvent } from '../../src/lib/server/progress/record';

// A Wednesday, 11:00 in New York: school is under way.
const NOW = new Date('2026-11-18T16:00:00Z');

async function freshDb(): Promise<Kysely<Database>> {
	const db = createDb(':memory:');
	await migrateToLatest(db);
	return db;
}

/** Names, grades, cohorts and status counts: what two seeds with the same now must share. */
async function podSnapshot(db: Kysely<Database>) {
	const rows = await db
		.selectFrom('users')
		.innerJoin('pod_students', 'pod_students.user_id', 'users.id')
		.select(['given_name', 'family_name', 'grade_level', 'cohort'])
		.orderBy('given_name')
		.orderBy('family_name')
		.execute();
	const statuses = await db
		.selectFrom('assignments')
		.select(['status', (eb) => eb.fn.countAll<number>().as('count')])
		.groupBy('status')
		.orderBy('status')
		.execute();
	return { rows, statuses };
}

describe('demo pod seed', () => {
	let db: Kysely<Database>;
	let podId: string;

	beforeAll(async () => {
		db = await freshDb();
		({ podId } = await seedDemoPod(db, { now: NOW }));
	});

	afterAll(async () => {
		await db.destroy();
	});

	it('reports that a pod now exists', async () => {
		expect(await hasAnyPod(db)).toBe(true);
	});

	it('creates Pod North with join code DEMO42', async () => {
		const pod = await db.selectFrom('pods').selectAll().where('id', '=', podId).executeTakeFirstOrThrow();
		expect(pod).toMatchObject({
			name: DEMO.podName,
			join_code: 'DEMO42',
			grade_low: 4,
			grade_high: 6,
			timezone: 'America/New_York'
		});
		expect(JSON.parse(pod.school_week)).toEqual(
			[1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:30', end: '15:00' }))
		);
		expect(JSON.parse(pod.flag_thresholds)).toMatchObject({ stuckMinutes: 20, idleMinutes: 10 });
	});

	it('enrols 72 students across grades 4–6 with distinct join-page names', async () => {
		const students = await db
			.selectFrom('pod_students')
			.innerJoin('users', 'users.id', 'pod_students.user_id')
			.select(['grade_level', 'kind', 'email', 'password_hash', 'given_name', 'family_name'])
			.where('pod_id', '=', podId)
			.execute();
		expect(students).toHaveLength(72);
		expect(new Set(students.map((s) => s.grade_level))).toEqual(new Set([4, 5, 6]));
		for (const student of students) {
			expect(student).toMatchObject({ kind: 'student', email: null, password_hash: null });
		}
		const shortNames = students.map((s) => `${s.given_name} ${s.family_name[0]}.`);
		expect(new Set(shortNames).size).toBe(72);
	});

	it('gives Pod North a lead, two teachers, a support adult and a remote teacher of record, and the admin no pod', async () => {
		const staff = await db
			.selectFrom('users')
			.leftJoin('pod_staff', (join) =>
				join.onRef('pod_staff.user_id', '=', 'users.id').on('pod_staff.pod_id', '=', podId)
			)
			.select(['email', 'role', 'is_admin', 'teacher_of_record', 'remote'])
			.where('kind', '=', 'staff')
			.where('email', 'like', '%@demo.school')
			.orderBy('email')
			.execute();
		expect(staff).toEqual([
			{ email: 'admin@demo.school', role: null, is_admin: 1, teacher_of_record: null, remote: null },
			{ email: 'lead@demo.school', role: 'lead', is_admin: 0, teacher_of_record: 0, remote: 0 },
			{ email: 'remote@demo.school', role: 'teacher', is_admin: 0, teacher_of_record: 1, remote: 1 },
			{ email: 'support@demo.school', role: 'support', is_admin: 0, teacher_of_record: 0, remote: 0 },
			{ email: 'teacher1@demo.school', role: 'teacher', is_admin: 0, teacher_of_record: 0, remote: 0 },
			{ email: 'teacher2@demo.school', role: 'teacher', is_admin: 0, teacher_of_record: 0, remote: 0 }
		]);
	});

	it('fills a library of about 40 activities, each linked to a skill', async () => {
		const activities = await db.selectFrom('activities').select('id').where('pod_id', '=', podId).execute();
		expect(activities.length).toBeGreaterThanOrEqual(35);
		expect(activities.length).toBeLessThanOrEqual(45);
		const unlinked = await db
			.selectFrom('activities')
			.leftJoin('activity_skills', 'activity_skills.activity_id', 'activities.id')
			.select('activities.id')
			.where('activity_skills.skill_id', 'is', null)
			.execute();
		expect(unlinked).toEqual([]);
	});

	it('gives every student a playlist of 6+ items numbered 1..n that fit their grade', async () => {
		const rows = await db
			.selectFrom('assignments')
			.innerJoin('pod_students', 'pod_students.user_id', 'assignments.student_id')
			.innerJoin('activities', 'activities.id', 'assignments.activity_id')
			.select([
				'assignments.student_id',
				'assignments.position',
				'pod_students.grade_level',
				'activities.grade_low',
				'activities.grade_high'
			])
			.where('assignments.pod_id', '=', podId)
			.orderBy('assignments.student_id')
			.orderBy('assignments.position')
			.execute();
		const positions = new Map<string, number[]>();
		for (const row of rows) {
			positions.set(row.student_id, [...(positions.get(row.student_id) ?? []), row.position]);
			expect(row.grade_level).toBeGreaterThanOrEqual(row.grade_low);
			expect(row.grade_level).toBeLessThanOrEqual(row.grade_high);
		}
		expect(positions.size).toBe(72);
		for (const list of positions.values()) {
			expect(list.length).toBeGreaterThanOrEqual(6);
			expect(list).toEqual(list.map((_, i) => i + 1));
		}
	});

	it('never records an event after now', async () => {
		const latest = await db
			.selectFrom('progress_events')
			.select((eb) => [eb.fn.max('occurred_at').as('occurred'), eb.fn.max('received_at').as('received')])
			.executeTakeFirstOrThrow();
		expect(latest.occurred).not.toBeNull();
		expect(String(latest.occurred) <= NOW.toISOString()).toBe(true);
		expect(String(latest.received) <= NOW.toISOString()).toBe(true);
	});

	it('leaves several students stuck and some work mastered', async () => {
		const { statuses } = await podSnapshot(db);
		const count = (status: string) => Number(statuses.find((s) => s.status === status)?.count ?? 0);
		expect(count('stuck')).toBeGreaterThanOrEqual(5);
		expect(count('stuck')).toBeLessThanOrEqual(8);
		expect(count('mastered')).toBeGreaterThan(0);
		expect(count('submitted')).toBeGreaterThan(0);
		expect(count('not_started')).toBeGreaterThan(0);
	});

	it('has quiz scores a teacher marked and scores students typed, and mastery only from the marks', async () => {
		const scored = await db
			.selectFrom('assignments')
			.select(['score_source', 'status'])
			.where('pod_id', '=', podId)
			.where('score', 'is not', null)
			.execute();
		const bySource = (source: string) => scored.filter((a) => a.score_source === source);
		expect(bySource('teacher').length).toBeGreaterThan(bySource('self').length);
		expect(bySource('self').length).toBeGreaterThan(10);
		expect(bySource('teacher').some((a) => a.status === 'mastered')).toBe(true);
		// The demo pod believes verified scores only.
		expect(bySource('self').filter((a) => a.status === 'mastered')).toEqual([]);
		expect(scored.every((a) => a.score_source !== null)).toBe(true);
	});

	it('stores derived columns that match a re-derivation from the events', async () => {
		const assignments = await db
			.selectFrom('assignments')
			.innerJoin('activities', 'activities.id', 'assignments.activity_id')
			.select([
				'assignments.id',
				'assignments.status',
				'assignments.score',
				'assignments.score_source',
				'assignments.attempts',
				'assignments.seconds_spent',
				'assignments.last_event_at',
				'activities.kind',
				'activities.max_score'
			])
			.where('assignments.pod_id', '=', podId)
			.execute();
		const events = await db
			.selectFrom('progress_events')
			.select(['assignment_id', 'kind', 'score', 'score_source', 'occurred_at', 'recorded_by'])
			.where('pod_id', '=', podId)
			.execute();
		const byAssignment = new Map<string, typeof events>();
		for (const e of events)
			byAssignment.set(e.assignment_id, [...(byAssignment.get(e.assignment_id) ?? []), e]);
		for (const a of assignments) {
			const derived = deriveAssignmentState((byAssignment.get(a.id) ?? []).map(asDerivationEvent), {
				kind: a.kind,
				maxScore: a.max_score
			});
			expect({
				status: a.status,
				score: a.score,
				scoreSource: a.score_source,
				attempts: a.attempts,
				secondsSpent: a.seconds_spent,
				lastEventAt: a.last_event_at
			}).toEqual(derived);
		}
	});

	it('lets staff sign in with podboard-demo and students with cat, sun, tree', async () => {
		const lead = await db
			.selectFrom('users')
			.select('password_hash')
			.where('email', '=', 'lead@demo.school')
			.executeTakeFirstOrThrow();
		expect(await verifySecret('podboard-demo', lead.password_hash ?? '')).toBe(true);
		const student = await db
			.selectFrom('users')
			.select('picture_password_hash')
			.where('kind', '=', 'student')
			.executeTakeFirstOrThrow();
		expect(
			await verifySecret(pictureSecret(['cat', 'sun', 'tree']), student.picture_password_hash ?? '')
		).toBe(true);
	});

	it('makes the same pod again for the same now', async () => {
		const again = await freshDb();
		try {
			expect(await hasAnyPod(again)).toBe(false);
			await seedDemoPod(again, { now: NOW });
			expect(await podSnapshot(again)).toEqual(await podSnapshot(db));
		} finally {
			await again.destroy();
		}
	});
});
