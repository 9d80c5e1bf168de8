// The database a test runs on. The integration suite runs twice: on SQLite (in memory, the
// default), and on PostgreSQL when vitest's "integration-postgres" project sets
// PODBOARD_TEST_DIALECT=postgres. Either way each test pod is a database of its own, copied
// from a template migrated and seeded once per run (tests/support/sqlite-template.ts,
// tests/support/postgres-template.ts).
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { inject } from 'vitest';
import { createDb, type Database } from '../../src/lib/server/db';
import { dialectOf } from '../../src/lib/server/db/sql';

export type TestDialect = 'sqlite' | 'postgres';

/** Which engine this run of the suite is on. */
export const TEST_DIALECT: TestDialect =
	process.env.PODBOARD_TEST_DIALECT === 'postgres' ? 'postgres' : 'sqlite';
export const onPostgres = TEST_DIALECT === 'postgres';

/** The server's address with another database name (and anything else kept). */
export function withDatabase(serverUrl: string, database: string): string {
	const url = new URL(serverUrl);
	url.pathname = `/${database}`;
	return url.toString();
}

/** A connection to the server's maintenance database, for creating and dropping test databases. */
export function serverAdmin(serverUrl: string): Kysely<Database> {
	return createDb(serverUrl, { DATABASE_POOL_MAX: '1' });
}

/** PostgreSQL refuses to copy a template while another copy of it is being made: try again. */
export async function createDatabaseFrom(admin: Kysely<Database>, name: string, template: string) {
	for (let attempt = 1; ; attempt++) {
		try {
			await sql`create database ${sql.id(name)} template ${sql.id(template)}`.execute(admin);
			return;
		} catch (error) {
			if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
			await new Promise((resume) => setTimeout(resume, 50 * attempt));
		}
	}
}

/** The SQLite template's bytes, read once by each test file's process. */
let sqliteTemplate: Buffer | undefined;

/**
 * A fresh copy of the seeded test pods' database: on SQLite, the template's bytes opened in
 * memory; on PostgreSQL, a new database from this run's template (dropped with the others when
 * the run ends).
 */
export async function copyOfSeededDatabase(): Promise<{ db: Kysely<Database>; url: string }> {
	if (!onPostgres) {
		sqliteTemplate ??= readFileSync(inject('sqliteTemplate'));
		return { db: createDb(sqliteTemplate), url: ':memory:' };
	}
	const { serverUrl, template, prefix } = inject('postgresTemplate');
	const name = `${prefix}${randomBytes(5).toString('hex')}`;
	const admin = serverAdmin(serverUrl);
	try {
		await createDatabaseFrom(admin, name, template);
	} finally {
		await admin.destroy();
	}
	const url = withDatabase(serverUrl, name);
	return { db: createDb(url), url };
}

/**
 * An empty database for a server a test starts as a child process: a SQLite file in a folder of
 * its own, or a new PostgreSQL database. `remove` deletes it (PostgreSQL's go at the run's end).
 */
export async function freshDatabaseUrl(): Promise<{ url: string; remove: () => void }> {
	if (!onPostgres) {
		const folder = mkdtempSync(join(tmpdir(), 'podboard-'));
		return {
			url: `file:${join(folder, 'podboard.sqlite')}`,
			remove: () => rmSync(folder, { recursive: true, force: true })
		};
	}
	const { serverUrl, prefix } = inject('postgresTemplate');
	const name = `${prefix}${randomBytes(5).toString('hex')}`;
	const admin = serverAdmin(serverUrl);
	try {
		await sql`create database ${sql.id(name)}`.execute(admin);
	} finally {
		await admin.destroy();
	}
	return { url: withDatabase(serverUrl, name), remove: () => {} };
}

/** The tables a digest reads: the app's own, not Kysely's migration bookkeeping. */
export async function appTables(db: Kysely<Database>): Promise<string[]> {
	const { rows } =
		dialectOf(db) === 'postgres'
			? await sql<{ name: string }>`
				select table_name as name from information_schema.tables
				where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'kysely_%'
				order by table_name`.execute(db)
			: await sql<{ name: string }>`
				select name from sqlite_master
				where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name`.execute(db);
	return rows.map((row) => row.name);
}

/** A digest of every row of every table: equal before and after means nothing changed. */
export async function databaseDigest(db: Kysely<Database>): Promise<string> {
	const hash = createHash('sha256');
	for (const name of await appTables(db)) {
		const rows = await sql`select * from ${sql.table(name)}`.execute(db);
		const lines = rows.rows.map((row) => JSON.stringify(row)).sort();
		hash.update(`${name}:${lines.length}\n${lines.join('\n')}\n`);
	}
	return hash.digest('hex');
}

/**
 * A digest of one pod's rows: every row with its `pod_id`, the pod itself, its people, and rows
 * that hang off those by id (group members, an activity's skills, its people's sign-in attempts).
 * Equal before and after means nothing of that pod changed.
 */
export async function podDigest(db: Kysely<Database>, podId: string): Promise<string> {
	const tables = new Map<string, Record<string, unknown>[]>();
	for (const name of await appTables(db)) {
		const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
		tables.set(name, rows.rows);
	}
	// Ids of everything the pod holds, and of the people in it.
	const ids = new Set<string>([podId]);
	for (const rows of tables.values()) {
		for (const row of rows) {
			if (row.pod_id !== podId) continue;
			for (const value of [row.id, row.user_id, row.student_id])
				if (typeof value === 'string') ids.add(value);
		}
	}
	const people = [...(tables.get('pod_students') ?? []), ...(tables.get('pod_staff') ?? [])].flatMap((row) =>
		row.pod_id === podId ? [String(row.user_id)] : []
	);
	const belongs = (row: Record<string, unknown>) =>
		'pod_id' in row
			? row.pod_id === podId
			: Object.values(row).some(
					(value) =>
						typeof value === 'string' && (ids.has(value) || people.some((person) => value.includes(person)))
				);
	const hash = createHash('sha256');
	for (const [name, rows] of tables) {
		const lines = rows
			.filter(belongs)
			.map((row) => JSON.stringify(row))
			.sort();
		hash.update(`${name}:${lines.length}\n${lines.join('\n')}\n`);
	}
	return hash.digest('hex');
}

declare module 'vitest' {
	export interface ProvidedContext {
		postgresTemplate: { serverUrl: string; template: string; prefix: string };
		/** The file holding the SQLite template. */
		sqliteTemplate: string;
	}
}
