import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, sql, SqliteDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { migrations } from '../../../../db/migrations/index';
import type { Database } from './schema';
import { dialectOf } from './sql';

export type { Database } from './schema';
/** Repository functions take either, so the caller decides the transaction. */
export type Db = Kysely<Database> | Transaction<Database>;

export const DEFAULT_DATABASE_URL = 'file:./data/podboard.sqlite';
/** Connections each app server keeps to PostgreSQL, unless DATABASE_POOL_MAX says otherwise. */
export const DEFAULT_POOL_MAX = 10;

export const isPostgresUrl = (databaseUrl: string) => /^postgres(ql)?:\/\//.test(databaseUrl);

/** The URL as it may appear in a message or a log: without its password. */
export function withoutPassword(databaseUrl: string): string {
	return databaseUrl.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}

function unsupported(databaseUrl: string): Error {
	return new Error(
		`DATABASE_URL "${withoutPassword(databaseUrl)}" is not supported: use file:./path/to/podboard.sqlite ` +
			'for SQLite, or postgres://user:password@host:5432/podboard for PostgreSQL'
	);
}

/** Where `file:` URLs point; `:memory:` for tests. */
export function sqlitePath(databaseUrl: string): string {
	if (databaseUrl === ':memory:' || databaseUrl === 'file::memory:') return ':memory:';
	if (isPostgresUrl(databaseUrl)) {
		throw new Error(
			`DATABASE_URL "${withoutPassword(databaseUrl)}" is a PostgreSQL database, not a SQLite file`
		);
	}
	if (!databaseUrl.startsWith('file:')) throw unsupported(databaseUrl);
	return resolve(databaseUrl.slice('file:'.length));
}

/**
 * The dialect factory: the one place that knows which engine we run on. `file:` (or
 * `:memory:`) opens SQLite; `postgres://` or `postgresql://` a pool of DATABASE_POOL_MAX
 * connections to PostgreSQL. A SQLite database's bytes (a Buffer) open as a copy in memory,
 * with the same pragmas: the tests start every test pod from one seeded template this way.
 */
export function createDb(
	databaseUrl: string | Buffer = DEFAULT_DATABASE_URL,
	env: Record<string, string | undefined> = process.env
): Kysely<Database> {
	if (typeof databaseUrl === 'string' && isPostgresUrl(databaseUrl)) {
		return createPostgresDb(databaseUrl, poolMax(env.DATABASE_POOL_MAX));
	}
	const path = typeof databaseUrl === 'string' ? sqlitePath(databaseUrl) : databaseUrl;
	if (typeof path === 'string' && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
	const sqlite = new SQLite(path);
	sqlite.pragma('journal_mode = WAL');
	// Write volume is small; an acknowledged write must survive a power cut.
	sqlite.pragma('synchronous = FULL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	return new Kysely<Database>({ dialect: new SqliteDialect({ database: reusingStatements(sqlite) }) });
}

function poolMax(setting: string | undefined): number {
	if (setting === undefined || setting.trim() === '') return DEFAULT_POOL_MAX;
	const max = Number(setting);
	if (!Number.isInteger(max) || max < 1) {
		throw new Error(`DATABASE_POOL_MAX "${setting}" must be a whole number of connections, 1 or more`);
	}
	return max;
}

function createPostgresDb(databaseUrl: string, max: number): Kysely<Database> {
	const pool = new pg.Pool({ connectionString: databaseUrl, max });
	// A connection that drops while idle (a database restart) is replaced on next use; without a
	// listener its error would end the process.
	pool.on('error', (error) => console.error('PostgreSQL connection lost while idle:', error.message));
	return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
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
	const migrator = new Migrator({
		db,
		provider: { getMigrations: async () => migrations },
		...(await migrationTableSchema(db))
	});
	const { error, results } = await migrator.migrateToLatest();
	if (error) throw error;
	return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * On PostgreSQL, Kysely looks for its migration tables in every schema of the database, so
 * another schema's (another app's, another test run's) would pass for ours: name the schema
 * the connection works in.
 */
async function migrationTableSchema(db: Kysely<Database>): Promise<{ migrationTableSchema?: string }> {
	if (dialectOf(db) !== 'postgres') return {};
	const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
	return rows[0]?.schema ? { migrationTableSchema: rows[0].schema } : {};
}

let shared: Kysely<Database> | undefined;

/** The app's one database handle, opened from DATABASE_URL on first use. */
export function getDb(): Kysely<Database> {
	shared ??= createDb(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
	return shared;
}
