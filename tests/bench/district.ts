// A district-sized SQLite database for the heatmap figures: many pods of 80 students × 60
// activities, every student assigned every activity, statuses spread as in a real week.
import { randomUUID } from 'node:crypto';
import SQLite from 'better-sqlite3';
import { pictureSecret } from '../../src/lib/auth/pictures';
import { hashSecret } from '../../src/lib/server/auth/passwords';
import { localParts } from '../../src/lib/server/pods/clock';
import { createDb, migrateToLatest } from '../../src/lib/server/db';
import { sweepFlags } from '../../src/lib/server/flags/engine';

export const DISTRICT = { students: 80, activities: 60, skills: 10, password: 'bench-password-1' };
const STATUSES = ['not_started', 'in_progress', 'stuck', 'submitted', 'mastered'] as const;

export interface District {
	databaseUrl: string;
	podIds: string[];
	/** Admin of every pod. */
	adminEmail: string;
	/** The first pod's students, who may sign in with cat, sun, tree. */
	joinCode: string;
	/** Whether the pods are in session while the bench runs, so the flag sweep has them all to do. */
	inSession: boolean;
}

/**
 * A time zone in which today is a school day, so the district can be in session all day while
 * the bench runs (from Saturday noon to Sunday 10:00 UTC no zone has one: the pods are out).
 */
function schoolDayZone(now: Date): string {
	const zones = ['UTC', 'Pacific/Kiritimati', 'Etc/GMT+12'];
	return zones.find((zone) => localParts(now, zone).weekday <= 5) ?? 'UTC';
}

export async function buildDistrict(path: string, pods: number): Promise<District> {
	const databaseUrl = `file:${path}`;
	const kysely = createDb(databaseUrl);
	await migrateToLatest(kysely);
	await kysely.destroy();

	const [staffHash, pictureHash] = await Promise.all([
		hashSecret(DISTRICT.password),
		hashSecret(pictureSecret(['cat', 'sun', 'tree']))
	]);
	const db = new SQLite(path);
	db.pragma('journal_mode = WAL');
	const now = new Date().toISOString();
	const timezone = schoolDayZone(new Date());
	const insert = {
		pod: db.prepare(
			`insert into pods (id, name, grade_low, grade_high, join_code, timezone, session_start, session_end, flag_thresholds, created_at)
			 values (?, ?, 4, 6, ?, ?, '00:00', '23:59', '{}', ?)`
		),
		user: db.prepare(
			`insert into users (id, kind, given_name, family_name, email, password_hash, picture_password_hash, is_admin, created_at)
			 values (?, ?, ?, ?, ?, ?, ?, ?, ?)`
		),
		student: db.prepare(
			`insert into pod_students (pod_id, user_id, grade_level, cohort) values (?, ?, ?, ?)`
		),
		skill: db.prepare(
			`insert into skills (id, pod_id, code, name, subject, grade) values (?, ?, ?, ?, 'math', 5)`
		),
		activity: db.prepare(
			`insert into activities (id, pod_id, title, subject, kind, grade_low, grade_high, estimated_minutes, max_score, created_at)
			 values (?, ?, ?, 'math', ?, 4, 6, 20, ?, ?)`
		),
		activitySkill: db.prepare(`insert into activity_skills (activity_id, skill_id) values (?, ?)`),
		assignment: db.prepare(
			`insert into assignments (id, pod_id, student_id, activity_id, position, priority, assigned_at, status, score, attempts, seconds_spent, last_event_at)
			 values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`
		)
	};
	const podIds: string[] = [];
	let seed = 7;
	const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

	db.transaction(() => {
		insert.user.run(
			randomUUID(),
			'staff',
			'District',
			'Admin',
			'admin@district.bench',
			staffHash,
			null,
			1,
			now
		);
		for (let p = 0; p < pods; p++) {
			const podId = randomUUID();
			podIds.push(podId);
			insert.pod.run(podId, `Pod ${p + 1}`, `BENCH${p}`, timezone, now);
			const skills = Array.from({ length: DISTRICT.skills }, (_, s) => {
				const id = randomUUID();
				insert.skill.run(id, podId, `B.${s + 1}`, `Skill ${s + 1}`);
				return id;
			});
			const activities = Array.from({ length: DISTRICT.activities }, (_, a) => {
				const id = randomUUID();
				const assessment = a % 5 === 4;
				insert.activity.run(
					id,
					podId,
					`Activity ${a + 1}`,
					assessment ? 'assessment' : 'practice',
					assessment ? 10 : null,
					now
				);
				insert.activitySkill.run(id, skills[a % DISTRICT.skills]);
				return { id, assessment };
			});
			for (let s = 0; s < DISTRICT.students; s++) {
				const studentId = randomUUID();
				insert.user.run(
					studentId,
					'student',
					`Student${s + 1}`,
					`Pod${p + 1}`,
					null,
					null,
					pictureHash,
					0,
					now
				);
				insert.student.run(podId, studentId, 4 + (s % 3), s % 2 ? 'Cedar' : 'Maple');
				activities.forEach((activity, a) => {
					// Earlier activities are further along, as in a real week.
					const progress = random() + (1 - a / DISTRICT.activities) * 0.8;
					const band = STATUSES[Math.min(4, Math.floor(progress * 2.6))];
					// A few students are stuck on something at any moment, not one activity in five.
					const status = band === 'stuck' ? (random() < 0.03 ? 'stuck' : 'in_progress') : band;
					const scored = activity.assessment && (status === 'submitted' || status === 'mastered');
					insert.assignment.run(
						randomUUID(),
						podId,
						studentId,
						activity.id,
						a + 1,
						a < 20 ? 'must' : 'should',
						now,
						status,
						scored ? Math.round(40 + random() * 60) : null,
						status === 'submitted' || status === 'mastered' ? 1 : 0,
						status === 'not_started' ? null : now
					);
				});
			}
		}
	})();
	db.close();

	// The school day is under way: the flag rules have already raised what they raise, so the
	// server's sweeps find what a real day's do, a few changes among many students.
	const flagged = createDb(databaseUrl);
	await sweepFlags(flagged);
	await flagged.destroy();
	return {
		databaseUrl,
		podIds,
		adminEmail: 'admin@district.bench',
		joinCode: 'BENCH0',
		inSession: localParts(new Date(), timezone).weekday <= 5
	};
}
