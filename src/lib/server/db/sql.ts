import { PostgresAdapter, sql, type Expression, type Kysely } from 'kysely';
import type { Db } from './index';

// SQL that differs between the engines lives here, not in the queries.

export type Dialect = 'sqlite' | 'postgres';

/**
 * Which engine a database handle (or a transaction on it) talks to. Takes any `Kysely`, so the
 * migrations (typed `Kysely<any>`) can ask too.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- only the executor is read; the schema does not matter
export function dialectOf(db: Kysely<any>): Dialect {
	return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * An aggregate that joins a group's texts with `separator` (`group_concat` in SQLite,
 * `string_agg` in PostgreSQL).
 */
export function joinedText(db: Db, text: Expression<string>, separator: string) {
	return dialectOf(db) === 'postgres'
		? sql<string>`string_agg(${text}, ${separator})`
		: sql<string>`group_concat(${text}, ${separator})`;
}
