import type { Insertable, Transaction } from 'kysely';
import type { ActivityKind, Database } from '../../src/lib/server/db/schema';
import { newId } from '../../src/lib/server/ids';

// The demo's second pod, at another school: a small rural pod taught remotely by the demo's
// teacher of record (remote@demo.school), with an aide in the room. It shows the virtual-
// instruction variant on "Now": two pods, two schools, one remote teacher.

export const RIDGE = {
	schoolName: 'Ridgeway Rural School',
	podName: 'Pod Ridge',
	joinCode: 'RIDGE5',
	aide: { email: 'aide@ridgeway.school', givenName: 'Luis', familyName: 'Ortega' }
};

const STUDENTS = [
	['Ada', 'Whitehorse'],
	['Ben', 'Carver'],
	['Cora', 'Lindqvist'],
	['Dev', 'Ramesh'],
	['Ella', 'Brightwater'],
	['Finn', 'Okoro'],
	['Gia', 'Moreno'],
	['Hank', 'Dubois'],
	['Iris', 'Nakamura'],
	['Jonah', 'Pryce'],
	['Kira', 'Holm'],
	['Levi', 'Tanaka']
] as const;

const SKILLS = [
	{ code: '3.NF.1', name: 'Fractions as parts of a whole', grade: 3 },
	{ code: '4.NF.3', name: 'Adding fractions with like denominators', grade: 4 },
	{ code: '5.NBT.7', name: 'Decimal operations to hundredths', grade: 5 }
];

const ACTIVITIES: { title: string; kind: ActivityKind; skill: number; minutes: number; maxScore?: number }[] =
	[
		{ title: 'Fraction strips (video lesson)', kind: 'lesson', skill: 0, minutes: 15 },
		{ title: 'Fraction practice set', kind: 'practice', skill: 1, minutes: 20 },
		{ title: 'Decimal practice set', kind: 'practice', skill: 2, minutes: 20 },
		{ title: 'Quiz: fractions', kind: 'assessment', skill: 1, minutes: 15, maxScore: 10 }
	];

/**
 * Seed Pod Ridge in the demo's transaction: its school, pod, aide, 12 students (grades 3–5) and
 * their playlists; the remote teacher of record (already a user) leads it from afar.
 */
export async function seedRidgePod(
	trx: Transaction<Database>,
	{
		now,
		staffHash,
		pictureHash,
		remoteId
	}: { now: Date; staffHash: string; pictureHash: string; remoteId: string }
): Promise<void> {
	const longAgo = new Date(now.getTime() - 60 * 86_400_000).toISOString();
	const schoolId = newId();
	const podId = newId();
	await trx
		.insertInto('schools')
		.values({ id: schoolId, name: RIDGE.schoolName, source_id: null, created_at: longAgo })
		.execute();
	await trx
		.insertInto('pods')
		.values({
			id: podId,
			school_id: schoolId,
			name: RIDGE.podName,
			grade_low: 3,
			grade_high: 5,
			join_code: RIDGE.joinCode,
			timezone: 'America/Chicago',
			school_week: JSON.stringify(
				[1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '14:30' }))
			),
			students_per_adult: 15,
			flag_thresholds: JSON.stringify({ stuckMinutes: 20, idleMinutes: 10 }),
			created_at: longAgo
		})
		.execute();
	const aideId = newId();
	await trx
		.insertInto('users')
		.values({
			id: aideId,
			kind: 'staff',
			given_name: RIDGE.aide.givenName,
			family_name: RIDGE.aide.familyName,
			email: RIDGE.aide.email,
			password_hash: staffHash,
			picture_password_hash: null,
			is_admin: 0,
			status: 'active',
			source_id: null,
			created_at: longAgo
		})
		.execute();
	await trx
		.insertInto('pod_staff')
		.values([
			{ pod_id: podId, user_id: remoteId, role: 'lead', teacher_of_record: 1, remote: 1 },
			{ pod_id: podId, user_id: aideId, role: 'support', teacher_of_record: 0, remote: 0 }
		])
		.execute();

	const skillIds = SKILLS.map(() => newId());
	await trx
		.insertInto('skills')
		.values(SKILLS.map((skill, i) => ({ id: skillIds[i], pod_id: podId, subject: 'math', ...skill })))
		.execute();
	const activityIds = ACTIVITIES.map(() => newId());
	await trx
		.insertInto('activities')
		.values(
			ACTIVITIES.map((a, i) => ({
				id: activityIds[i],
				pod_id: podId,
				title: a.title,
				subject: 'math',
				kind: a.kind,
				grade_low: 3,
				grade_high: 5,
				estimated_minutes: a.minutes,
				resource_url: null,
				max_score: a.maxScore ?? null,
				archived_at: null,
				created_at: longAgo
			}))
		)
		.execute();
	await trx
		.insertInto('activity_skills')
		.values(ACTIVITIES.map((a, i) => ({ activity_id: activityIds[i], skill_id: skillIds[a.skill] })))
		.execute();

	// Each student's playlist, not begun: the pod's history is its own to make. (Pod North carries
	// the demo's history, dated to its own school days; a second pod seeded as of "now", in another
	// time zone, would show work at night and hands waiting since the weekend.)
	const assignments: Insertable<Database['assignments']>[] = [];
	for (const [i, [given, family]] of STUDENTS.entries()) {
		const studentId = newId();
		await trx
			.insertInto('users')
			.values({
				id: studentId,
				kind: 'student',
				given_name: given,
				family_name: family,
				email: null,
				password_hash: null,
				picture_password_hash: pictureHash,
				is_admin: 0,
				status: 'active',
				source_id: null,
				created_at: longAgo
			})
			.execute();
		await trx
			.insertInto('pod_students')
			.values({ pod_id: podId, user_id: studentId, grade_level: 3 + (i % 3), cohort: null })
			.execute();
		for (const [position, activityIndex] of [0, 1, 3].entries()) {
			assignments.push({
				id: newId(),
				pod_id: podId,
				student_id: studentId,
				activity_id: activityIds[activityIndex],
				position: position + 1,
				priority: position === 2 ? 'should' : 'must',
				due_on: null,
				assigned_by: remoteId,
				assigned_at: longAgo,
				status: 'not_started',
				score: null,
				score_source: null,
				attempts: 0,
				seconds_spent: 0,
				last_event_at: null
			});
		}
	}
	await trx.insertInto('assignments').values(assignments).execute();
}
