import type { Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.
// What an adult saw on the floor: a quick mark (got it, partly, not yet), a short note and the
// skills it was about. A contact with an adult, read by the student's panel and the huddle.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any>: they describe a schema that changes under them
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('observations')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('pod_id', 'text', (c) => c.notNull().references('pods.id').onDelete('cascade'))
		.addColumn('student_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('observed_by', 'text', (c) => c.references('users.id').onDelete('set null'))
		// 'got_it' | 'partly' | 'not_yet', or null for a note alone.
		.addColumn('mark', 'text')
		.addColumn('note', 'text', (c) => c.notNull())
		// The skills it was about: a JSON list of skill ids of the pod.
		.addColumn('skill_ids', 'text', (c) => c.notNull())
		.addColumn('observed_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('observations_by_student')
		.on('observations')
		.columns(['pod_id', 'student_id', 'observed_at'])
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('observations').execute();
}
