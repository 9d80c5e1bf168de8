import type { Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.
// The board reads every assignment of a pod at once. An index that holds every column it
// reads answers from the index alone, without a trip to the table per assignment.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any>: they describe a schema that changes under them
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createIndex('assignments_on_the_board')
		.on('assignments')
		.columns(['pod_id', 'student_id', 'activity_id', 'status', 'score', 'priority', 'last_event_at'])
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('assignments_on_the_board').execute();
}
