// A district-sized database for the heatmap and ingest figures, on SQLite or PostgreSQL: many
// pods of 80 students × 60 activities, every student assigned every activity, statuses spread
// as in a real week. The same rows go to either engine; only how they are written differs.
import { randomUUID } from 'node:crypto';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { pictureSecret } from '../../src/lib/auth/pictures';
import { hashSecret } from '../../src/lib/server/auth/passwords';
import { localParts } from '../../src/lib/server/pods/clock';
import { createDb, isPostgresUrl, migrateToLatest, sqlitePath } from '../../src/lib/server/db';
import { sweepFlags, sweepPod } from '../../src/lib/server/flags/engine';

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

type Row = Record<string, string | number | null>;
/** One pod's rows, table by table, in the order their foreign keys need. */
type PodRows = [table: string, rows: Row[]][];

/** The district's one school: every pod is in it (and a grown district's new pods too). */
const BENCH_SCHOOL_ID = '00000000-0000-4000-8000-0000000b0b0b';
/** In session all day on weekdays, so the flag sweep has every pod to do while the bench runs. */
const ALL_DAY_WEEKDAYS = JSON.stringify(
	[1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '00:00', end: '23:59' }))
);

/** Writes a pod's rows: prepared statements in one transaction on SQLite, JSON batches on PostgreSQL. */
interface Writer {
	write(rows: PodRows): Promise<void>;
	close(): Promise<void>;
}

function sqliteWriter(databaseUrl: string): Writer {
	const db = new SQLite(sqlitePath(databaseUrl));
	db.pragma('journal_mode = WAL');
	const statements = new Map<string, SQLite.Statement>();
	const statement = (table: string, row: Row) => {
		if (!statements.has(table)) {
			const columns = Object.keys(row);
			statements.set(
				table,
				db.prepare(
					`insert into ${table} (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`
				)
			);
		}
		return statements.get(table)!;
	};
	const writePod = db.transaction((pod: PodRows) => {
		for (const [table, rows] of pod) for (const row of rows) statement(table, row).run(row);
	});
	return {
		write: async (pod) => writePod(pod),
		close: async () => void db.close()
	};
}

function postgresWriter(databaseUrl: string): Writer {
	const db = createDb(databaseUrl);
	return {
		async write(pod) {
			// One statement a table: the table's own row type turns the JSON into its columns (only
			// those the rows name, so the others keep their defaults).
			await db.transaction().execute(async (trx) => {
				for (const [table, rows] of pod) {
					const columns = sql.join(Object.keys(rows[0]).map((column) => sql.ref(column)));
					await sql`insert into ${sql.table(table)} (${columns})
						select ${columns} from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)})`.execute(
						trx
					);
				}
			});
		},
		close: () => db.destroy()
	};
}

/** A pod's students, playlists and statuses; `random` spreads statuses the same way on every run. */
function podRows(
	p: number,
	context: { now: string; timezone: string; pictureHash: string; random: () => number }
): { podId: string; rows: PodRows } {
	const { now, random } = context;
	const podId = randomUUID();
	const pod: Row = {
		id: podId,
		school_id: BENCH_SCHOOL_ID,
		name: `Pod ${p + 1}`,
		grade_low: 4,
		grade_high: 6,
		join_code: `BENCH${p}`,
		timezone: context.timezone,
		school_week: ALL_DAY_WEEKDAYS,
		flag_thresholds: '{}',
		created_at: now
	};
	const skills: Row[] = Array.from({ length: DISTRICT.skills }, (_, s) => ({
		id: randomUUID(),
		pod_id: podId,
		code: `B.${s + 1}`,
		name: `Skill ${s + 1}`,
		subject: 'math',
		grade: 5
	}));
	const activities: Row[] = Array.from({ length: DISTRICT.activities }, (_, a) => {
		const assessment = a % 5 === 4;
		return {
			id: randomUUID(),
			pod_id: podId,
			title: `Activity ${a + 1}`,
			subject: 'math',
			kind: assessment ? 'assessment' : 'practice',
			grade_low: 4,
			grade_high: 6,
			estimated_minutes: 20,
			max_score: assessment ? 10 : null,
			created_at: now
		};
	});
	const activitySkills: Row[] = activities.map((activity, a) => ({
		activity_id: activity.id,
		skill_id: skills[a % DISTRICT.skills].id
	}));
	const users: Row[] = [];
	const podStudents: Row[] = [];
	const assignments: Row[] = [];
	for (let s = 0; s < DISTRICT.students; s++) {
		const studentId = randomUUID();
		users.push({
			id: studentId,
			kind: 'student',
			given_name: `Student${s + 1}`,
			family_name: `Pod${p + 1}`,
			email: null,
			password_hash: null,
			picture_password_hash: context.pictureHash,
			is_admin: 0,
			created_at: now
		});
		podStudents.push({
			pod_id: podId,
			user_id: studentId,
			grade_level: 4 + (s % 3),
			cohort: s % 2 ? 'Cedar' : 'Maple'
		});
		activities.forEach((activity, a) => {
			// Earlier activities are further along, as in a real week.
			const progress = random() + (1 - a / DISTRICT.activities) * 0.8;
			const band = STATUSES[Math.min(4, Math.floor(progress * 2.6))];
			// A few students are stuck on something at any moment, not one activity in five.
			const status = band === 'stuck' ? (random() < 0.03 ? 'stuck' : 'in_progress') : band;
			const scored = activity.kind === 'assessment' && (status === 'submitted' || status === 'mastered');
			assignments.push({
				id: randomUUID(),
				pod_id: podId,
				student_id: studentId,
				activity_id: activity.id,
				position: a + 1,
				priority: a < 20 ? 'must' : 'should',
				assigned_at: now,
				status,
				score: scored ? Math.round(40 + random() * 60) : null,
				attempts: status === 'submitted' || status === 'mastered' ? 1 : 0,
				seconds_spent: 0,
				last_event_at: status === 'not_started' ? null : now
			});
		});
	}
	return {
		podId,
		rows: [
			['pods', [pod]],
			['skills', skills],
			['activities', activities],
			['activity_skills', activitySkills],
			['users', users],
			['pod_students', podStudents],
			['assignments', assignments]
		]
	};
}

export interface DistrictOptions {
	/** A district built before in the same database, to grow to `pods` rather than start anew. */
	grow?: District;
	/**
	 * The pods whose flags are raised before the bench reads them, from the first on; all of them
	 * unless a run's server never sweeps (a sweep of every pod takes minutes at district size).
	 */
	flaggedPods?: number;
}

/** Fill the database at `databaseUrl` with `pods` pods and their admin (migrating it first). */
export async function buildDistrict(
	databaseUrl: string,
	pods: number,
	{ grow, flaggedPods = pods }: DistrictOptions = {}
): Promise<District> {
	const kysely = createDb(databaseUrl);
	await migrateToLatest(kysely);
	await kysely.destroy();

	const [staffHash, pictureHash] = await Promise.all([
		hashSecret(DISTRICT.password),
		hashSecret(pictureSecret(['cat', 'sun', 'tree']))
	]);
	const now = new Date().toISOString();
	const timezone = schoolDayZone(new Date());
	let seed = 7 + (grow?.podIds.length ?? 0);
	const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
	const writer = isPostgresUrl(databaseUrl) ? postgresWriter(databaseUrl) : sqliteWriter(databaseUrl);
	const podIds = [...(grow?.podIds ?? [])];
	try {
		if (!grow) {
			await writer.write([
				[
					'schools',
					[{ id: BENCH_SCHOOL_ID, name: 'Bench District School', source_id: null, created_at: now }]
				],
				[
					'users',
					[
						{
							id: randomUUID(),
							kind: 'staff',
							given_name: 'District',
							family_name: 'Admin',
							email: 'admin@district.bench',
							password_hash: staffHash,
							picture_password_hash: null,
							is_admin: 1,
							created_at: now
						}
					]
				]
			]);
		}
		// Two pods in flight: PostgreSQL stores one while the next one's rows are made.
		let writing: Promise<void> = Promise.resolve();
		for (let p = podIds.length; p < pods; p++) {
			const pod = podRows(p, { now, timezone, pictureHash, random });
			podIds.push(pod.podId);
			await writing;
			writing = writer.write(pod.rows);
		}
		await writing;
	} finally {
		await writer.close();
	}

	// The school day is under way: the flag rules have already raised what they raise, so the
	// server's sweeps find what a real day's do, a few changes among many students.
	const flagged = createDb(databaseUrl);
	try {
		// PostgreSQL as autovacuum leaves it after a day's work: fresh statistics for the planner,
		// and a visibility map, so the board's covering index answers without visiting the table
		// (4 ms → 1 ms a board). Autovacuum would otherwise run during the measurement.
		if (isPostgresUrl(databaseUrl)) await sql`vacuum analyze`.execute(flagged);
		if (flaggedPods >= pods) await sweepFlags(flagged);
		else for (const podId of podIds.slice(0, flaggedPods)) await sweepPod(flagged, podId);
	} finally {
		await flagged.destroy();
	}
	return {
		databaseUrl,
		podIds,
		adminEmail: 'admin@district.bench',
		joinCode: 'BENCH0',
		inSession: localParts(new Date(), timezone).weekday <= 5
	};
}

/** An empty database of the bench's own on the PostgreSQL server at `serverUrl`, and its removal. */
export async function emptyPostgresDatabase(serverUrl: string) {
	const name = `podboard_bench_${process.pid}`;
	const admin = createDb(serverUrl, { DATABASE_POOL_MAX: '1' });
	await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
	await sql`create database ${sql.id(name)}`.execute(admin);
	const url = new URL(serverUrl);
	url.pathname = `/${name}`;
	return {
		databaseUrl: url.toString(),
		async drop() {
			try {
				await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
			} finally {
				await admin.destroy();
			}
		}
	};
}
