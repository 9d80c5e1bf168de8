import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.
// A real school sets up its own pods (issue 18):
// - schools: a pod belongs to one; a district may run several, by hand or from OneRoster orgs.csv
//   (source_id is the org's sourcedId);
// - pods: school days and hours per weekday (school_week, JSON: [{ weekday, start, end }], weekday
//   1 Monday … 7 Sunday), replacing one session_start/session_end for Monday to Friday; the
//   students-per-adult ratio the pod must keep (null until an admin sets it); archived_at (an
//   archived pod is read-only and hidden, its data kept until erased).
// Pods already here keep their hours on Monday to Friday and go into one school named after them,
// which an admin renames: before this, a Podboard served one school.

const MONDAY_TO_FRIDAY = [1, 2, 3, 4, 5];
/** What a pod added without hours gets: the demo's and every earlier pod's usual day. */
const USUAL_WEEK = JSON.stringify(
	MONDAY_TO_FRIDAY.map((weekday) => ({ weekday, start: '08:30', end: '15:00' }))
);
const NAME_LIMIT = 120;

/** "School of Pod North", "School of Pod North and Pod South", "School of A, B and 3 more pods". */
function schoolNameFor(podNames: string[]): string {
	const [first, second] = podNames;
	const name =
		podNames.length === 1
			? `School of ${first}`
			: podNames.length === 2
				? `School of ${first} and ${second}`
				: `School of ${first}, ${second} and ${podNames.length - 2} more pods`;
	return name.length > NAME_LIMIT ? `${name.slice(0, NAME_LIMIT - 1)}…` : name;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any>: they describe a schema that changes under them
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('schools')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('source_id', 'text', (c) => c.unique()) // OneRoster org sourcedId
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	// Two schools an admin cannot tell apart by name would put pods in the wrong one.
	await db.schema
		.createIndex('schools_name_key')
		.on('schools')
		.unique()
		.expression(sql`lower(name)`)
		.execute();

	// SQLite adds no NOT NULL reference to a table that has rows: the pods' school is required by
	// every writer, and on PostgreSQL by the column too (below).
	await db.schema
		.alterTable('pods')
		.addColumn('school_id', 'text', (c) => c.references('schools.id'))
		.execute();
	await db.schema
		.alterTable('pods')
		.addColumn('school_week', 'text', (c) => c.notNull().defaultTo(USUAL_WEEK))
		.execute();
	await db.schema.alterTable('pods').addColumn('students_per_adult', 'integer').execute();
	await db.schema.alterTable('pods').addColumn('archived_at', 'text').execute();

	const pods: { id: string; name: string; session_start: string; session_end: string; created_at: string }[] =
		await db
			.selectFrom('pods')
			.select(['id', 'name', 'session_start', 'session_end', 'created_at'])
			.orderBy('created_at')
			.orderBy('name')
			.execute();
	for (const pod of pods) {
		const week = MONDAY_TO_FRIDAY.map((weekday) => ({
			weekday,
			start: pod.session_start,
			end: pod.session_end
		}));
		await db
			.updateTable('pods')
			.set({ school_week: JSON.stringify(week) })
			.where('id', '=', pod.id)
			.execute();
	}
	if (pods.length) {
		const schoolId = crypto.randomUUID();
		await db
			.insertInto('schools')
			.values({
				id: schoolId,
				name: schoolNameFor(pods.map((pod) => pod.name)),
				source_id: null,
				created_at: pods[0].created_at
			})
			.execute();
		await db.updateTable('pods').set({ school_id: schoolId }).execute();
	}
	if (db.getExecutor().adapter instanceof PostgresAdapter) {
		await db.schema
			.alterTable('pods')
			.alterColumn('school_id', (c) => c.setNotNull())
			.execute();
	}
	await db.schema.createIndex('pods_by_school').on('pods').column('school_id').execute();

	// One account of the hours: school_week.
	await db.schema.alterTable('pods').dropColumn('session_start').execute();
	await db.schema.alterTable('pods').dropColumn('session_end').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('pods')
		.addColumn('session_start', 'text', (c) => c.notNull().defaultTo('08:30'))
		.execute();
	await db.schema
		.alterTable('pods')
		.addColumn('session_end', 'text', (c) => c.notNull().defaultTo('15:00'))
		.execute();
	const pods: { id: string; school_week: string }[] = await db
		.selectFrom('pods')
		.select(['id', 'school_week'])
		.execute();
	for (const pod of pods) {
		// One pair of hours for every day: the first school day's.
		const [first] = JSON.parse(pod.school_week) as { start: string; end: string }[];
		if (first) {
			await db
				.updateTable('pods')
				.set({ session_start: first.start, session_end: first.end })
				.where('id', '=', pod.id)
				.execute();
		}
	}
	await db.schema.dropIndex('pods_by_school').execute();
	await db.schema.alterTable('pods').dropColumn('archived_at').execute();
	await db.schema.alterTable('pods').dropColumn('students_per_adult').execute();
	await db.schema.alterTable('pods').dropColumn('school_week').execute();
	await db.schema.alterTable('pods').dropColumn('school_id').execute();
	await db.schema.dropTable('schools').execute();
}
