import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema';
import { dialectOf } from './sql';

/**
 * Work that one app server at a time may do (migrating and seeding at start, the flag sweep).
 * On PostgreSQL, several servers may share the database: a session advisory lock named after the
 * work, held on a connection of its own while it runs, and let go if that server dies. With
 * `wait: false` a server that finds the lock taken skips the work and gets `undefined`. On SQLite
 * there is one server: the work just runs.
 */
export async function asOneServer<T>(
	db: Kysely<Database>,
	name: string,
	work: () => Promise<T>,
	{ wait }: { wait: boolean }
): Promise<T | undefined> {
	if (dialectOf(db) !== 'postgres') return work();
	return db.connection().execute(async (connection) => {
		const key = sql`hashtext(${`podboard:${name}`})`;
		if (wait) await sql`select pg_advisory_lock(${key})`.execute(connection);
		else {
			const { rows } = await sql<{ got: boolean }>`select pg_try_advisory_lock(${key}) as got`.execute(
				connection
			);
			if (!rows[0].got) return undefined;
		}
		try {
			return await work();
		} finally {
			await sql`select pg_advisory_unlock(${key})`.execute(connection);
		}
	});
}

/**
 * Make the rest of a transaction take turns with every other transaction that holds one of the
 * same `names` (a check-then-insert that must hold when requests arrive together). On
 * PostgreSQL, transaction-scoped advisory locks, taken in the order given (callers always name
 * them in one order, so no two wait on each other) and let go at commit or rollback. On SQLite
 * the transaction already holds the one connection, and with it every other writer, until it ends.
 */
export async function takeTurns(trx: Transaction<Database>, names: readonly string[]): Promise<void> {
	if (dialectOf(trx) !== 'postgres') return;
	for (const name of names) {
		await sql`select pg_advisory_xact_lock(hashtext(${`podboard:${name}`}))`.execute(trx);
	}
}
