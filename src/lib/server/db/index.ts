import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Transaction } from 'kysely';
import { migrations } from '../../../../db/migrations/index';
import type { Database } from './schema';

export type { Database } from './schema';
/** Repository functions take either, so the caller decides the transaction. */
export type Db = Kysely<Database> | Transaction<Database>;

export const DEFAULT_DATABASE_URL = 'file:./data/podboard.sqlite';

/** Where `file:` URLs point; `:memory:` for tests. */
export function sqlitePath(databaseUrl: string): string {
	if (databaseUrl === ':memory:' || databaseUrl === 'file::memory:') return ':memory:';
	if (!databaseUrl.startsWith('file:')) {
		throw new Error(`DATABASE_URL "${databaseUrl}" is not supported yet: use file:./path/to/podboard.sqlite`);
	}
	return resolve(databaseUrl.slice('file:'.length));
}

/** The dialect factory: the one place that knows which engine we run on. */
export function createDb(databaseUrl: string = DEFAULT_DATABASE_URL): Kysely<Database> {
	const path = sqlitePath(databaseUrl);
	if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
	const sqlite = new SQLite(path);
	sqlite.pragma('journal_mode = WAL');
	// Write volume is small; an acknowledged write must survive a power cut.
	sqlite.pragma('synchronous = FULL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	return new Kysely<Database>({ dialect: new SqliteDialect({ database: reusingStatements(sqlite) }) });
}

/**
 * Kysely prepares every query anew; a board read runs nine, so keep the compiled statements
 * (by their SQL text, a few hundred at most) and reuse them. Nothing here streams rows, so a
 * statement is never busy when it is used again.
 */
function reusingStatements(sqlite: SQLite.Database, keep = 500): SQLite.Database {
	const prepared = new Map<string, SQLite.Statement>();
	const prepare = sqlite.prepare.bind(sqlite);
	sqlite.prepare = ((source: string) => {
		let statement = prepared.get(source);
		if (!statement) {
			if (prepared.size >= keep) prepared.delete(prepared.keys().next().value!);
			statement = prepare(source);
			prepared.set(source, statement);
		}
		return statement;
	}) as typeof sqlite.prepare;
	return sqlite;
}

export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
	const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
	const { error, results } = await migrator.migrateToLatest();
	if (error) throw error;
	return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

let shared: Kysely<Database> | undefined;

/** The app's one database handle, opened from DATABASE_URL on first use. */
export function getDb(): Kysely<Database> {
	shared ??= createDb(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
	return shared;
}
