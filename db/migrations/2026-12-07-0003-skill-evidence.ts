import type { Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.
// Mastery over time: one row per result on one skill (src/lib/mastery/model.ts reads them). A
// scored submission gives each skill its activity practises the whole score; a quick check gives
// each skill its items are tagged with the share of those items right. The rows are the history a
// trend is drawn from; mastery itself is the model applied to them, so it never disagrees with
// them. Scored work from before this migration becomes evidence as the activity-wide score.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any>: they describe a schema that changes under them
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('skill_evidence')
		.addColumn('progress_event_id', 'text', (c) =>
			c.notNull().references('progress_events.id').onDelete('cascade')
		)
		.addColumn('skill_id', 'text', (c) => c.notNull().references('skills.id').onDelete('cascade'))
		.addColumn('pod_id', 'text', (c) => c.notNull().references('pods.id').onDelete('cascade'))
		.addColumn('student_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('assignment_id', 'text', (c) => c.notNull().references('assignments.id').onDelete('cascade'))
		.addColumn('percent', 'double precision', (c) => c.notNull())
		.addColumn('source', 'text', (c) => c.notNull())
		.addColumn('occurred_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('skill_evidence_pk', ['progress_event_id', 'skill_id'])
		.execute();
	// The Skills report and the board read a whole pod's; a student's page reads one student's.
	await db.schema
		.createIndex('skill_evidence_by_pod')
		.on('skill_evidence')
		.columns(['pod_id', 'student_id', 'skill_id', 'occurred_at', 'percent', 'source'])
		.execute();
	await db.schema
		.createIndex('skill_evidence_by_student')
		.on('skill_evidence')
		.columns(['student_id', 'skill_id'])
		.execute();
	const scored = await db
		.selectFrom('progress_events as e')
		.innerJoin('assignments as asg', 'asg.id', 'e.assignment_id')
		.innerJoin('activities as a', 'a.id', 'asg.activity_id')
		.innerJoin('activity_skills as s', 's.activity_id', 'a.id')
		.select([
			'e.id',
			's.skill_id',
			'e.pod_id',
			'e.student_id',
			'e.assignment_id',
			'e.score',
			'e.score_source',
			'e.occurred_at',
			'a.max_score'
		])
		.where('e.kind', '=', 'submit')
		.where('e.score', 'is not', null)
		.where('e.score_source', 'is not', null)
		.execute();
	const rows = scored.map((r) => ({
		progress_event_id: r.id,
		skill_id: r.skill_id,
		pod_id: r.pod_id,
		student_id: r.student_id,
		assignment_id: r.assignment_id,
		percent: Math.max(0, Math.min(100, r.max_score > 0 ? (r.score * 100) / r.max_score : r.score)),
		source: r.score_source,
		occurred_at: r.occurred_at
	}));
	for (let i = 0; i < rows.length; i += 500) {
		await db
			.insertInto('skill_evidence')
			.values(rows.slice(i, i + 500))
			.execute();
	}

	// Each student's mastery of each skill now, kept with the evidence so a board or a report reads
	// one row a pair: the model's percent, how many results it rests on, and, for the Skills report,
	// the percent as the week named by week_of began (null: no evidence by then).
	await db.schema
		.createTable('skill_mastery')
		.addColumn('student_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('skill_id', 'text', (c) => c.notNull().references('skills.id').onDelete('cascade'))
		.addColumn('pod_id', 'text', (c) => c.notNull().references('pods.id').onDelete('cascade'))
		.addColumn('percent', 'integer', (c) => c.notNull())
		.addColumn('results', 'integer', (c) => c.notNull())
		.addColumn('week_of', 'text', (c) => c.notNull())
		.addColumn('week_start_percent', 'integer')
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('skill_mastery_pk', ['student_id', 'skill_id'])
		.execute();
	await db.schema
		.createIndex('skill_mastery_by_pod')
		.on('skill_mastery')
		.columns(['pod_id', 'student_id', 'skill_id', 'percent', 'results', 'week_of', 'week_start_percent'])
		.execute();
	// Scored work from before: the mean of each pair's last three verified results (no pod counted
	// self-reported scores before this release). Its week is unknown (''): a report reads it as
	// unchanged since the week began.
	const pairs = new Map<string, { student: string; skill: string; pod: string; percents: number[] }>();
	const verified = rows.filter((r) => r.source !== 'self');
	verified.sort((a, b) => (a.occurred_at < b.occurred_at ? -1 : a.occurred_at > b.occurred_at ? 1 : 0));
	for (const row of verified) {
		const key = `${row.student_id} ${row.skill_id}`;
		const pair = pairs.get(key) ?? {
			student: row.student_id,
			skill: row.skill_id,
			pod: row.pod_id,
			percents: [] as number[]
		};
		pair.percents.push(row.percent);
		pairs.set(key, pair);
	}
	const now = new Date().toISOString();
	const mastery = [...pairs.values()].map((pair) => {
		const last = pair.percents.slice(-3);
		return {
			student_id: pair.student,
			skill_id: pair.skill,
			pod_id: pair.pod,
			percent: Math.round(last.reduce((sum, p) => sum + p, 0) / last.length),
			results: pair.percents.length,
			week_of: '',
			week_start_percent: null,
			updated_at: now
		};
	});
	for (let i = 0; i < mastery.length; i += 500) {
		await db
			.insertInto('skill_mastery')
			.values(mastery.slice(i, i + 500))
			.execute();
	}
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('skill_mastery').execute();
	await db.schema.dropTable('skill_evidence').execute();
}
