import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.
// Where every score comes from: `checked` (scored by Podboard), `teacher` (marked by staff),
// `content` (reported by the activity), `self` (typed by the student). Stored with each scored
// progress event, and derived into the assignment with the score it explains. Scores before this
// were a teacher's mark when staff recorded them and the student's own otherwise. Mastery now
// rests on verified evidence by default, so work a student marked mastered by their own score
// alone reads as submitted (a pod that counts self-reported scores derives it again when the lead
// says so).

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any>: they describe a schema that changes under them
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('progress_events').addColumn('score_source', 'text').execute();
	await db.schema.alterTable('assignments').addColumn('score_source', 'text').execute();
	await sql`
		update progress_events
		set score_source = case when recorded_by is null then 'self' else 'teacher' end
		where score is not null`.execute(db);
	// The source of the latest scored event: the one whose score the assignment shows.
	await sql`
		update assignments
		set score_source = (
			select e.score_source from progress_events e
			where e.assignment_id = assignments.id and e.score is not null
			order by e.occurred_at desc, e.received_at desc
			limit 1
		)
		where score is not null`.execute(db);
	// The board reads the source with every cell: its covering index holds it too.
	await db.schema.dropIndex('assignments_on_the_board').execute();
	await db.schema
		.createIndex('assignments_on_the_board')
		.on('assignments')
		.columns([
			'pod_id',
			'student_id',
			'activity_id',
			'status',
			'score',
			'priority',
			'last_event_at',
			'score_source'
		])
		.execute();
	await sql`
		update assignments set status = 'submitted'
		where status = 'mastered' and not exists (
			select 1 from progress_events e
			where e.assignment_id = assignments.id and e.score_source = 'teacher'
		)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('assignments_on_the_board').execute();
	await db.schema
		.createIndex('assignments_on_the_board')
		.on('assignments')
		.columns(['pod_id', 'student_id', 'activity_id', 'status', 'score', 'priority', 'last_event_at'])
		.execute();
	await db.schema.alterTable('assignments').dropColumn('score_source').execute();
	await db.schema.alterTable('progress_events').dropColumn('score_source').execute();
}
