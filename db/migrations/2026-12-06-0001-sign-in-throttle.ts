import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.
// Sign-in throttling that holds under concurrency and cannot be turned against a class:
// - every attempt names the network it came from (an IPv4 address, or an IPv6 /64), so an
//   account is locked from the network that guessed, not from everywhere;
// - a lead's unlock clears failures without deleting them (the log stays whole);
// - wrong pod codes and unknown card links are counted apart, one row per network and quarter
//   hour, so they never spend the budget that real sign-ins need.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any>: they describe a schema that changes under them
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('sign_in_attempts').addColumn('network', 'text').execute();
	await db.schema.alterTable('sign_in_attempts').addColumn('cleared_at', 'text').execute();
	await db.schema
		.alterTable('sign_in_attempts')
		.addColumn('cleared_by', 'text', (c) => c.references('users.id').onDelete('set null'))
		.execute();
	// Attempts made before networks were recorded: the address was the network.
	await db
		.updateTable('sign_in_attempts')
		.set({ network: sql.ref('address') })
		.execute();
	await db.schema
		.createIndex('sign_in_attempts_by_network')
		.on('sign_in_attempts')
		.columns(['network', 'at'])
		.execute();

	await db.schema
		.createTable('sign_in_counters')
		.addColumn('bucket', 'text', (c) => c.notNull()) // 'pod-code' | 'card-link'
		.addColumn('network', 'text', (c) => c.notNull())
		.addColumn('window_start', 'text', (c) => c.notNull())
		.addColumn('count', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('sign_in_counters_key', ['bucket', 'network', 'window_start'])
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('sign_in_counters').execute();
	await db.schema.dropIndex('sign_in_attempts_by_network').execute();
	await db.schema.alterTable('sign_in_attempts').dropColumn('cleared_by').execute();
	await db.schema.alterTable('sign_in_attempts').dropColumn('cleared_at').execute();
	await db.schema.alterTable('sign_in_attempts').dropColumn('network').execute();
}
