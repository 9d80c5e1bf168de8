import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.
// The school calendar: each school's days without school (holidays, breaks, teacher days), one
// date or a range of local dates 'YYYY-MM-DD', both ends included, with a name. An admin adds
// them by hand (source 'hand'), or they come from the terms of a OneRoster export (source
// 'oneroster', source_key naming the sessions they come from, so the next import finds them).
// The flag rules on the clock, the duties, the board and the student's sign-in read them.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any>: they describe a schema that changes under them
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('school_days_off')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('school_id', 'text', (c) => c.notNull().references('schools.id').onDelete('cascade'))
		.addColumn('first_day', 'text', (c) => c.notNull())
		.addColumn('last_day', 'text', (c) => c.notNull())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('source', 'text', (c) => c.notNull()) // 'hand' | 'oneroster'
		.addColumn('source_key', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addCheckConstraint('school_days_off_in_order', sql`first_day <= last_day`)
		.execute();
	// What a day, a week or the next school day asks: the school's days off that end on or after a date.
	await db.schema
		.createIndex('school_days_off_by_school')
		.on('school_days_off')
		.columns(['school_id', 'last_day'])
		.execute();
	// An imported day off is found again by its sessions: two imports at once cannot add it twice.
	await db.schema
		.createIndex('school_days_off_imported')
		.on('school_days_off')
		.columns(['school_id', 'source_key'])
		.unique()
		.where(sql.ref('source_key'), 'is not', null)
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('school_days_off').execute();
}
