import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.
// Printed sign-in cards: a QR link that signs one student in, and the three pictures printed
// beside it. The link's token is kept only as its SHA-256; a card that is replaced or voided
// keeps its row (who made it, when it ended) but forgets its pictures.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any>: they describe a schema that changes under them
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('sign_in_cards')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('pod_id', 'text', (c) => c.notNull().references('pods.id').onDelete('cascade'))
		.addColumn('student_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('pictures', 'text') // 'cat sun tree' while the card works; null once it ends
		.addColumn('status', 'text', (c) => c.notNull()) // 'active' | 'replaced' | 'voided'
		.addColumn('issued_by', 'text', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('issued_at', 'text', (c) => c.notNull())
		.addColumn('last_used_at', 'text')
		.addColumn('ended_by', 'text', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('ended_at', 'text')
		.execute();
	// The picture password belongs to the student, not the pod: one working card per student.
	await db.schema
		.createIndex('sign_in_cards_one_active')
		.on('sign_in_cards')
		.column('student_id')
		.unique()
		.where(sql.ref('status'), '=', 'active')
		.execute();
	await db.schema
		.createIndex('sign_in_cards_by_pod')
		.on('sign_in_cards')
		.columns(['pod_id', 'status'])
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('sign_in_cards').execute();
}
