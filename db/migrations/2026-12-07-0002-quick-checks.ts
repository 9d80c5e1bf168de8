import type { Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.
// Quick checks: an activity may carry one (its items and answer key, Podboard check JSON, see
// src/lib/server/checks/format.ts). A student's submission is kept whole (their answers, what was
// right) under the id their device made for it, so a retry is scored once; its score reaches the
// playlist item as a progress event of the same id whose source is `checked`.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any>: they describe a schema that changes under them
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('activity_checks')
		.addColumn('activity_id', 'text', (c) => c.primaryKey().references('activities.id').onDelete('cascade'))
		.addColumn('pod_id', 'text', (c) => c.notNull().references('pods.id').onDelete('cascade'))
		.addColumn('body', 'text', (c) => c.notNull()) // JSON: a Check, with its key
		.addColumn('updated_by', 'text', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('activity_checks_by_pod').on('activity_checks').column('pod_id').execute();
	await db.schema
		.createTable('check_submissions')
		.addColumn('id', 'text', (c) => c.primaryKey()) // made on the device: a retry is stored once
		.addColumn('pod_id', 'text', (c) => c.notNull().references('pods.id').onDelete('cascade'))
		.addColumn('assignment_id', 'text', (c) => c.notNull().references('assignments.id').onDelete('cascade'))
		.addColumn('student_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('answers', 'text', (c) => c.notNull()) // JSON: one answer per item
		.addColumn('results', 'text', (c) => c.notNull()) // JSON: right or not, per item
		.addColumn('points', 'integer', (c) => c.notNull())
		.addColumn('max_points', 'integer', (c) => c.notNull())
		.addColumn('occurred_at', 'text', (c) => c.notNull())
		.addColumn('received_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('check_submissions_by_assignment')
		.on('check_submissions')
		.columns(['assignment_id', 'received_at'])
		.execute();
	await db.schema
		.createIndex('check_submissions_by_pod')
		.on('check_submissions')
		.columns(['pod_id', 'student_id'])
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('check_submissions').execute();
	await db.schema.dropTable('activity_checks').execute();
}
