import type { Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.
// A teacher away for a block of one week (a meeting, a course, a day off): the rotation
// gives them no duty there.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any>: they describe a schema that changes under them
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('duty_unavailability')
		.addColumn('pod_id', 'text', (c) => c.notNull().references('pods.id').onDelete('cascade'))
		.addColumn('week_of', 'text', (c) => c.notNull()) // the Monday, 'YYYY-MM-DD'
		.addColumn('block_id', 'text', (c) => c.notNull().references('duty_blocks.id').onDelete('cascade'))
		.addColumn('teacher_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addPrimaryKeyConstraint('duty_unavailability_pk', ['pod_id', 'week_of', 'block_id', 'teacher_id'])
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('duty_unavailability').execute();
}
