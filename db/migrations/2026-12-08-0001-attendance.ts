import type { Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.
// Who is in the room each school day. A student is present unless someone on staff marked them
// otherwise, so a row is written only when a mark is made (absent, late, or back to present); an
// adult is in once they (or the lead) say so, until they say they are out.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any>: they describe a schema that changes under them
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('attendance')
		.addColumn('pod_id', 'text', (c) => c.notNull().references('pods.id').onDelete('cascade'))
		.addColumn('student_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
		// The pod's local date, 'YYYY-MM-DD'.
		.addColumn('day', 'text', (c) => c.notNull())
		// 'present' | 'absent' | 'late'
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('marked_by', 'text', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('marked_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('attendance_pk', ['pod_id', 'day', 'student_id'])
		.execute();
	await db.schema.createIndex('attendance_by_student').on('attendance').columns(['student_id']).execute();

	await db.schema
		.createTable('adults_in')
		.addColumn('pod_id', 'text', (c) => c.notNull().references('pods.id').onDelete('cascade'))
		.addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('day', 'text', (c) => c.notNull())
		.addColumn('in_at', 'text', (c) => c.notNull())
		// null while they are in the room.
		.addColumn('out_at', 'text')
		.addColumn('marked_by', 'text', (c) => c.references('users.id').onDelete('set null'))
		.addPrimaryKeyConstraint('adults_in_pk', ['pod_id', 'day', 'user_id'])
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('adults_in').execute();
	await db.schema.dropTable('attendance').execute();
}
