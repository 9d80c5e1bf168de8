import type { Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.
// What the interventions need beyond the first schema: a help request is resolved by
// someone with a note (a student lowering their own hand resolves it too), a student has
// at most one hand up, a group is planned for a time of day, and a flag knows its group.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any>: they describe a schema that changes under them
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('help_requests')
		.addColumn('resolved_by', 'text', (c) => c.references('users.id').onDelete('set null'))
		.execute();
	await db.schema.alterTable('help_requests').addColumn('resolution_note', 'text').execute();
	// The student's id while the hand is up, null after: one hand up per student.
	await db.schema.alterTable('help_requests').addColumn('open_key', 'text').execute();
	await db.schema
		.createIndex('help_requests_one_open')
		.on('help_requests')
		.column('open_key')
		.unique()
		.execute();
	await db.schema.alterTable('intervention_groups').addColumn('planned_start', 'text').execute(); // local 'HH:MM'
	// Every flag a group takes on, so closing the group resolves them all (a member may bring several).
	await db.schema
		.alterTable('flags')
		.addColumn('group_id', 'text', (c) => c.references('intervention_groups.id').onDelete('set null'))
		.execute();
	await db.schema.createIndex('flags_by_group').on('flags').column('group_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('flags_by_group').execute();
	await db.schema.alterTable('flags').dropColumn('group_id').execute();
	await db.schema.alterTable('intervention_groups').dropColumn('planned_start').execute();
	await db.schema.dropIndex('help_requests_one_open').execute();
	for (const column of ['open_key', 'resolution_note', 'resolved_by']) {
		await db.schema.alterTable('help_requests').dropColumn(column).execute();
	}
}
