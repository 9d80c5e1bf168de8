import { sql, type SqlBool, type Transaction } from 'kysely';
import { endSessionsOf } from '../auth/sessions';
import type { Database, Db } from '../db';
import { NotAllowed, NotFound } from '../errors';
import { studentOfPod } from '../pods/students';

// A student's data on request: see it all, correct it, delete it for good.

export interface StudentProfile {
	id: string;
	givenName: string;
	familyName: string;
	name: string;
	grade: number;
	cohort: string | null;
	/** Other pods the student is in, by name: their data there is theirs too. */
	otherPods: string[];
}

/** The student as this pod knows them; NOT_FOUND when they are not in it. */
export async function studentProfile(db: Db, podId: string, studentId: string): Promise<StudentProfile> {
	const student = await studentOfPod(db, podId, studentId);
	if (!student) throw new NotFound('No student of this pod has that id.');
	const otherPods = await db
		.selectFrom('pod_students')
		.innerJoin('pods', 'pods.id', 'pod_students.pod_id')
		.select('pods.name')
		.where('pod_students.user_id', '=', studentId)
		.where('pod_students.pod_id', '!=', podId)
		.orderBy('pods.name')
		.execute();
	return {
		id: student.id,
		givenName: student.givenName,
		familyName: student.familyName,
		name: student.name,
		grade: student.grade,
		cohort: student.cohort,
		otherPods: otherPods.map((pod) => pod.name)
	};
}

/**
 * Seeing or deleting all of a student's data reaches every pod they are in: a lead may do it
 * for a student only in their pod; a school admin for anyone.
 */
export function requireAuthorityOverEveryPod(student: StudentProfile, caller: { isAdmin: boolean }) {
	if (student.otherPods.length && !caller.isAdmin) {
		throw new NotAllowed(
			`${student.name} is also in ${student.otherPods.join(', ')}: ask your school's Podboard admin, who can do this for every pod at once.`
		);
	}
}

/** A LIKE pattern for text anywhere in a column, its wildcards escaped (with ESCAPE '\\'). */
const likeText = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
/** The column holds the text somewhere (case-insensitive for ASCII on SQLite). */
const contains = (column: string, text: string) =>
	sql<SqlBool>`${sql.ref(column)} like ${likeText(text)} escape '\\'`;

/** Everything Podboard stores about one student, without password hashes or session tokens. */
export async function everythingAbout(db: Db, studentId: string) {
	const [
		user,
		pods,
		assignments,
		progressEvents,
		checkSubmissions,
		skillEvidence,
		attendance,
		observations,
		flags,
		helpRequests,
		groups,
		signInAttempts,
		sessions,
		signInCards,
		auditEntries
	] = await Promise.all([
		db
			.selectFrom('users')
			.select([
				'id',
				'kind',
				'given_name',
				'family_name',
				'email',
				'status',
				'source_id',
				'created_at',
				(eb) => eb('picture_password_hash', 'is not', null).as('has_picture_password')
			])
			.where('id', '=', studentId)
			.executeTakeFirstOrThrow(),
		db
			.selectFrom('pod_students')
			.innerJoin('pods', 'pods.id', 'pod_students.pod_id')
			.select([
				'pods.id as pod_id',
				'pods.name as pod_name',
				'pod_students.grade_level',
				'pod_students.cohort'
			])
			.where('pod_students.user_id', '=', studentId)
			.orderBy('pods.name')
			.execute(),
		db
			.selectFrom('assignments')
			.innerJoin('activities', 'activities.id', 'assignments.activity_id')
			.select([
				'assignments.id',
				'assignments.pod_id',
				'assignments.activity_id',
				'activities.title as activity_title',
				'assignments.position',
				'assignments.priority',
				'assignments.due_on',
				'assignments.assigned_by',
				'assignments.assigned_at',
				'assignments.status',
				'assignments.score',
				'assignments.score_source',
				'assignments.attempts',
				'assignments.seconds_spent',
				'assignments.last_event_at'
			])
			.where('assignments.student_id', '=', studentId)
			.orderBy('assignments.pod_id')
			.orderBy('assignments.position')
			.execute(),
		db
			.selectFrom('progress_events')
			.select([
				'id',
				'pod_id',
				'assignment_id',
				'kind',
				'score',
				'score_source',
				'occurred_at',
				'received_at',
				'recorded_by'
			])
			.where('student_id', '=', studentId)
			.orderBy('occurred_at')
			.execute(),
		db
			.selectFrom('check_submissions')
			.select([
				'id',
				'pod_id',
				'assignment_id',
				'answers',
				'results',
				'points',
				'max_points',
				'occurred_at',
				'received_at'
			])
			.where('student_id', '=', studentId)
			.orderBy('occurred_at')
			.execute(),
		db
			.selectFrom('skill_evidence')
			.innerJoin('skills', 'skills.id', 'skill_evidence.skill_id')
			.select([
				'skill_evidence.progress_event_id',
				'skill_evidence.pod_id',
				'skills.code as skill_code',
				'skill_evidence.percent',
				'skill_evidence.source',
				'skill_evidence.occurred_at'
			])
			.where('skill_evidence.student_id', '=', studentId)
			.orderBy('skill_evidence.occurred_at')
			.execute(),
		db
			.selectFrom('attendance')
			.select(['pod_id', 'day', 'status', 'marked_by', 'marked_at'])
			.where('student_id', '=', studentId)
			.orderBy('day')
			.execute(),
		db
			.selectFrom('observations')
			.select(['id', 'pod_id', 'observed_by', 'mark', 'note', 'skill_ids', 'observed_at'])
			.where('student_id', '=', studentId)
			.orderBy('observed_at')
			.execute(),
		db
			.selectFrom('flags')
			.select([
				'id',
				'pod_id',
				'assignment_id',
				'rule',
				'reason',
				'raised_by',
				'status',
				'resolved_by',
				'resolved_at',
				'resolution_note',
				'group_id',
				'created_at'
			])
			.where('student_id', '=', studentId)
			.orderBy('created_at')
			.execute(),
		db
			.selectFrom('help_requests')
			.select([
				'id',
				'pod_id',
				'assignment_id',
				'asked_at',
				'claimed_by',
				'claimed_at',
				'resolved_by',
				'resolved_at',
				'resolution_note'
			])
			.where('student_id', '=', studentId)
			.orderBy('asked_at')
			.execute(),
		db
			.selectFrom('group_members')
			.innerJoin('intervention_groups as g', 'g.id', 'group_members.group_id')
			.select([
				'g.id as group_id',
				'g.pod_id',
				'g.title',
				'g.status',
				'g.planned_on',
				'g.outcome_note',
				'group_members.flag_id',
				'g.created_at'
			])
			.where('group_members.student_id', '=', studentId)
			.orderBy('g.created_at')
			.execute(),
		db
			.selectFrom('sign_in_attempts')
			.select(['id', 'address', 'succeeded', 'at'])
			// Keyed 'student:<id>' by the sign-in: the id is unique wherever it stands in the key.
			.where(contains('account_key', studentId))
			.orderBy('at')
			.execute(),
		db
			.selectFrom('sessions')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('user_id', '=', studentId)
			.executeTakeFirstOrThrow(),
		// Which cards there were and when: never the link's token hash or the printed pictures.
		db
			.selectFrom('sign_in_cards')
			.select(['id', 'pod_id', 'status', 'issued_by', 'issued_at', 'last_used_at', 'ended_by', 'ended_at'])
			.where('student_id', '=', studentId)
			.orderBy('issued_at')
			.execute(),
		db
			.selectFrom('audit_log')
			.select(['id', 'at', 'actor_id', 'pod_id', 'action', 'entity', 'entity_id'])
			.where((eb) => eb.or([eb('actor_id', '=', studentId), eb('entity_id', '=', studentId)]))
			.orderBy('at')
			.execute()
	]);
	return {
		profile: {
			id: user.id,
			kind: user.kind,
			givenName: user.given_name,
			familyName: user.family_name,
			email: user.email,
			status: user.status,
			sourceId: user.source_id,
			createdAt: user.created_at,
			hasPicturePassword: Boolean(user.has_picture_password)
		},
		podMemberships: pods,
		assignments,
		progressEvents,
		checkSubmissions,
		skillEvidence,
		attendance,
		observations,
		flags,
		helpRequests,
		groupMemberships: groups,
		signInAttempts: signInAttempts.map((attempt) => ({ ...attempt, succeeded: Boolean(attempt.succeeded) })),
		sessionsCount: Number(sessions.n),
		signInCards,
		auditEntries
	};
}
export type StudentRecord = Awaited<ReturnType<typeof everythingAbout>>;

export interface StudentCorrection {
	givenName?: string;
	familyName?: string;
	grade?: number;
	cohort?: string | null;
}

/** Set what was wrong; answers which fields really changed (none: nothing is written). */
export async function correctStudent(
	trx: Transaction<Database>,
	podId: string,
	before: StudentProfile,
	change: StudentCorrection
): Promise<string[]> {
	const user: { given_name?: string; family_name?: string } = {};
	const membership: { grade_level?: number; cohort?: string | null } = {};
	if (change.givenName !== undefined && change.givenName !== before.givenName)
		user.given_name = change.givenName;
	if (change.familyName !== undefined && change.familyName !== before.familyName)
		user.family_name = change.familyName;
	if (change.grade !== undefined && change.grade !== before.grade) membership.grade_level = change.grade;
	if (change.cohort !== undefined && change.cohort !== before.cohort) membership.cohort = change.cohort;
	if (Object.keys(user).length) {
		await trx.updateTable('users').set(user).where('id', '=', before.id).execute();
	}
	if (Object.keys(membership).length) {
		await trx
			.updateTable('pod_students')
			.set(membership)
			.where('pod_id', '=', podId)
			.where('user_id', '=', before.id)
			.execute();
	}
	const names: Record<string, string> = {
		given_name: 'givenName',
		family_name: 'familyName',
		grade_level: 'grade',
		cohort: 'cohort'
	};
	return [...Object.keys(user), ...Object.keys(membership)].map((column) => names[column]);
}

/** "  ana  díaz " and "Ana Díaz" are the same name typed. */
export const sameName = (typed: string, name: string) =>
	typed.trim().replace(/\s+/g, ' ').toLocaleLowerCase() === name.replace(/\s+/g, ' ').toLocaleLowerCase();

const ERASED = Symbol('erased');

// Letters, marks and digits of any script: what a name's edge may not touch to be a whole word.
const WORD_CHAR = String.raw`[\p{L}\p{M}\p{N}_]`;

/**
 * Where a name stands as whole words, in any case and spacing: "Ana Díaz" in "ANA  díaz," but
 * not inside "Joana Díazes". Undefined for a name with no words.
 */
export function nameInText(name: string): RegExp | undefined {
	const words = name.trim().split(/\s+/).filter(Boolean);
	if (!words.length) return undefined;
	// Only syntax characters may be escaped in a /u pattern.
	const literal = words.map((word) => word.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')).join(String.raw`\s+`);
	return new RegExp(`(?<!${WORD_CHAR})${literal}(?!${WORD_CHAR})`, 'giu');
}

/** The text with the student's name, as whole words, replaced by "a student". */
export function withoutName(text: string, name: string): string {
	const pattern = nameInText(name);
	return pattern ? text.replace(pattern, 'a student') : text;
}

/**
 * A logged value without the student: their id dropped from lists and keys (an entry in a
 * list that names them goes with it), set to null where it stood alone; their name replaced.
 */
export function withoutStudent(value: unknown, studentId: string, name: string): unknown {
	const scrub = (v: unknown): unknown => {
		if (typeof v === 'string') return v === studentId ? ERASED : withoutName(v, name);
		if (Array.isArray(v)) {
			return v
				.filter(
					(item) => !(item !== null && typeof item === 'object' && JSON.stringify(item).includes(studentId))
				)
				.map(scrub)
				.filter((item) => item !== ERASED);
		}
		if (v !== null && typeof v === 'object') {
			return Object.fromEntries(
				Object.entries(v)
					.filter(([key]) => key !== studentId)
					.map(([key, item]) => {
						const clean = scrub(item);
						return [key, clean === ERASED ? null : clean];
					})
			);
		}
		return v;
	};
	const clean = scrub(value);
	return clean === ERASED ? null : clean;
}

/**
 * The column may hold the name, whatever its case: its ASCII letters and digits in order, the
 * rest left open. Both engines' lower() fold ASCII, so this finds a superset of the rows that
 * `nameInText` matches, and only those are read. (k and s stand open too: the Kelvin sign and
 * the long s match them in any case, and SQLite's lower() leaves those two alone.)
 */
const mayHoldName = (column: string, name: string) => {
	const pattern = `%${name
		.replace(/[^A-Za-z0-9]+/g, '%')
		.toLowerCase()
		.replace(/[ks]/g, '_')}%`;
	return sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern.replace(/%+/g, '%')}`;
};

/**
 * Free text teachers write, where a student's name may stand: kept, with the name taken out, in
 * the rows that can be about the student — the pods they are in, and within those the groups
 * they were in. A flag's reason is a teacher's words only when it was raised by hand.
 */
const FREE_TEXT: {
	table: 'flags' | 'help_requests' | 'intervention_groups' | 'coaching_notes';
	column: string;
	rows: 'their pods' | 'their groups';
	onlyManual?: boolean;
}[] = [
	{ table: 'flags', column: 'reason', rows: 'their pods', onlyManual: true },
	{ table: 'flags', column: 'resolution_note', rows: 'their pods' },
	{ table: 'help_requests', column: 'resolution_note', rows: 'their pods' },
	{ table: 'intervention_groups', column: 'title', rows: 'their groups' },
	{ table: 'intervention_groups', column: 'outcome_note', rows: 'their groups' },
	{ table: 'coaching_notes', column: 'focus', rows: 'their pods' },
	{ table: 'coaching_notes', column: 'evidence', rows: 'their pods' },
	{ table: 'coaching_notes', column: 'next_step', rows: 'their pods' },
	{ table: 'coaching_notes', column: 'reflection', rows: 'their pods' }
];

/** Every pod where the student is, or has left anything. */
async function podsOf(trx: Transaction<Database>, studentId: string): Promise<string[]> {
	const rows = await trx
		.selectFrom('pod_students')
		.select('pod_id')
		.where('user_id', '=', studentId)
		.union(trx.selectFrom('assignments').select('pod_id').where('student_id', '=', studentId))
		.union(trx.selectFrom('flags').select('pod_id').where('student_id', '=', studentId))
		.union(trx.selectFrom('help_requests').select('pod_id').where('student_id', '=', studentId))
		.union(trx.selectFrom('attendance').select('pod_id').where('student_id', '=', studentId))
		.union(trx.selectFrom('observations').select('pod_id').where('student_id', '=', studentId))
		.union(trx.selectFrom('sign_in_cards').select('pod_id').where('student_id', '=', studentId))
		.union(
			trx
				.selectFrom('group_members')
				.innerJoin('intervention_groups', 'intervention_groups.id', 'group_members.group_id')
				.select('intervention_groups.pod_id')
				.where('group_members.student_id', '=', studentId)
		)
		.execute();
	return rows.map((row) => row.pod_id);
}

export type ErasedCounts = Record<string, number>;

/**
 * Delete the student for good, in the caller's transaction. Rows that name them go, whether or
 * not a foreign key would cascade (sign-in attempts have none); the pod's event log and the
 * audit log keep their entries with the student taken out. Text is scrubbed only where it can be
 * about this student (their pods, their groups, entries naming their id): a namesake in another
 * pod, or words that merely contain the name, stay as they were.
 */
export async function eraseStudent(
	trx: Transaction<Database>,
	student: StudentProfile
): Promise<ErasedCounts> {
	const id = student.id;
	const counts: ErasedCounts = {};
	const count = (table: string, result: { numDeletedRows?: bigint; numUpdatedRows?: bigint }) => {
		const n = Number(result.numDeletedRows ?? result.numUpdatedRows ?? 0);
		if (n) counts[table] = (counts[table] ?? 0) + n;
	};

	// Where their name may stand in others' rows, found before their own rows go.
	const pods = await podsOf(trx, id);
	const groups = (
		await trx.selectFrom('group_members').select('group_id').where('student_id', '=', id).execute()
	).map((member) => member.group_id);

	// Children before parents, so each count is the student's own rows, not a cascade's.
	count(
		'group_members',
		await trx.deleteFrom('group_members').where('student_id', '=', id).executeTakeFirst()
	);
	count(
		'help_requests',
		await trx.deleteFrom('help_requests').where('student_id', '=', id).executeTakeFirst()
	);
	count('flags', await trx.deleteFrom('flags').where('student_id', '=', id).executeTakeFirst());
	count('attendance', await trx.deleteFrom('attendance').where('student_id', '=', id).executeTakeFirst());
	count('observations', await trx.deleteFrom('observations').where('student_id', '=', id).executeTakeFirst());
	count(
		'skill_mastery',
		await trx.deleteFrom('skill_mastery').where('student_id', '=', id).executeTakeFirst()
	);
	count(
		'skill_evidence',
		await trx.deleteFrom('skill_evidence').where('student_id', '=', id).executeTakeFirst()
	);
	count(
		'check_submissions',
		await trx.deleteFrom('check_submissions').where('student_id', '=', id).executeTakeFirst()
	);
	count(
		'progress_events',
		await trx.deleteFrom('progress_events').where('student_id', '=', id).executeTakeFirst()
	);
	count('assignments', await trx.deleteFrom('assignments').where('student_id', '=', id).executeTakeFirst());
	count('pod_students', await trx.deleteFrom('pod_students').where('user_id', '=', id).executeTakeFirst());
	// Signed out on every device; their live page ends once the erase commits.
	count('sessions', { numDeletedRows: BigInt(await endSessionsOf(trx, [id])) });
	// A student's sign-in attempts are keyed by their id ('student:<id>'), with no foreign key to cascade.
	count(
		'sign_in_attempts',
		await trx.deleteFrom('sign_in_attempts').where(contains('account_key', id)).executeTakeFirst()
	);

	for (const { table, column, rows, onlyManual } of FREE_TEXT) {
		const scope = rows === 'their groups' ? { key: 'id', ids: groups } : { key: 'pod_id', ids: pods };
		if (!scope.ids.length) continue;
		const found = await sql<{ id: string; text: string }>`
			select id, ${sql.ref(column)} as text from ${sql.table(table)}
			where ${sql.ref(scope.key)} in (${sql.join(scope.ids)})
			and ${mayHoldName(column, student.name)}
			${onlyManual ? sql`and rule = 'manual'` : sql``}
		`.execute(trx);
		for (const row of found.rows) {
			const text = withoutName(row.text, student.name);
			if (text === row.text) continue;
			await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${text} where id = ${row.id}`.execute(
				trx
			);
			count(`${table}.${column}`, { numUpdatedRows: 1n });
		}
	}

	// A log entry of one of their pods that may name them (none when they are in no pod).
	const nameInTheirPods = (column: string) =>
		pods.length
			? sql<SqlBool>`(pod_id in (${sql.join(pods)}) and ${mayHoldName(column, student.name)})`
			: sql<SqlBool>`1 = 0`;

	const events = await trx
		.selectFrom('pod_events')
		.select(['pod_id', 'seq', 'payload'])
		.where((eb) => eb.or([contains('payload', id), nameInTheirPods('payload')]))
		.execute();
	for (const event of events) {
		const payload = JSON.stringify(withoutStudent(JSON.parse(event.payload), id, student.name));
		if (payload === event.payload) continue;
		await trx
			.updateTable('pod_events')
			.set({ payload })
			.where('pod_id', '=', event.pod_id)
			.where('seq', '=', event.seq)
			.execute();
		count('pod_events', { numUpdatedRows: 1n });
	}

	const entries = await trx
		.selectFrom('audit_log')
		.select(['id', 'actor_id', 'entity_id', 'detail'])
		.where((eb) =>
			eb.or([
				eb('actor_id', '=', id),
				eb('entity_id', '=', id),
				contains('detail', id),
				nameInTheirPods('detail')
			])
		)
		.execute();
	for (const entry of entries) {
		const detail = JSON.stringify(withoutStudent(JSON.parse(entry.detail), id, student.name));
		if (entry.actor_id !== id && entry.entity_id !== id && detail === entry.detail) continue;
		await trx
			.updateTable('audit_log')
			.set({
				actor_id: entry.actor_id === id ? null : entry.actor_id,
				entity_id: entry.entity_id === id ? null : entry.entity_id,
				detail
			})
			.where('id', '=', entry.id)
			.execute();
		count('audit_log', { numUpdatedRows: 1n });
	}

	count('users', await trx.deleteFrom('users').where('id', '=', id).executeTakeFirst());
	return counts;
}
