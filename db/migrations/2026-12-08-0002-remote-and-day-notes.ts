import type { Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.
// The virtual-instruction variant: a member of a pod's team may be its teacher of record, and may
// teach it remotely (several pods, at several schools). Each school day the team writes a note
// for the adults in the room (what to watch for, who to check on, which assessment to give and
// how), and each of them acknowledges it.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any>: they describe a schema that changes under them
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('pod_staff')
		.addColumn('teacher_of_record', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
	await db.schema
		.alterTable('pod_staff')
		.addColumn('remote', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();

	await db.schema
		.createTable('day_notes')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('pod_id', 'text', (c) => c.notNull().references('pods.id').onDelete('cascade'))
		// The pod's local date, 'YYYY-MM-DD'.
		.addColumn('day', 'text', (c) => c.notNull())
		.addColumn('watch_for', 'text', (c) => c.notNull())
		.addColumn('check_on', 'text', (c) => c.notNull())
		.addColumn('assessment', 'text', (c) => c.notNull())
		.addColumn('written_by', 'text', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('written_at', 'text', (c) => c.notNull())
		.addUniqueConstraint('day_notes_one_a_day', ['pod_id', 'day'])
		.execute();
	await db.schema
		.createTable('day_note_acks')
		.addColumn('note_id', 'text', (c) => c.notNull().references('day_notes.id').onDelete('cascade'))
		.addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('acknowledged_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('day_note_acks_pk', ['note_id', 'user_id'])
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('day_note_acks').execute();
	await db.schema.dropTable('day_notes').execute();
	await db.schema.alterTable('pod_staff').dropColumn('remote').execute();
	await db.schema.alterTable('pod_staff').dropColumn('teacher_of_record').execute();
}
