import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.
// Invitations: a one-time link (/invite/<token>) with which a staff member sets their password,
// for a new account ('invite') or a forgotten password ('reset'). The token is 256 random bits
// kept only as its SHA-256; a link works for 7 days, once. A person has at most one open link:
// issuing a new one ends the earlier ones (status 'ended'), using one marks it 'used'.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any>: they describe a schema that changes under them
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('invitations')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('purpose', 'text', (c) => c.notNull()) // 'invite' | 'reset'
		.addColumn('status', 'text', (c) => c.notNull()) // 'open' | 'used' | 'ended'
		.addColumn('issued_by', 'text', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('issued_at', 'text', (c) => c.notNull())
		.addColumn('expires_at', 'text', (c) => c.notNull())
		.addColumn('used_at', 'text')
		.addColumn('ended_at', 'text')
		.execute();
	// One open link per person: two issued at once cannot both stay open.
	await db.schema
		.createIndex('invitations_one_open')
		.on('invitations')
		.column('user_id')
		.unique()
		.where(sql.ref('status'), '=', 'open')
		.execute();
	await db.schema
		.createIndex('invitations_by_user')
		.on('invitations')
		.columns(['user_id', 'issued_at'])
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('invitations').execute();
}
