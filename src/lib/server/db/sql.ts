import { PostgresAdapter, sql, type Expression } from 'kysely';
import type { Db } from './index';

/**
 * An aggregate that joins a group's texts with `separator`: SQL that differs between the
 * engines lives here, not in the queries (`group_concat` in SQLite, `string_agg` in PostgreSQL).
 */
export function joinedText(db: Db, text: Expression<string>, separator: string) {
	return db.getExecutor().adapter instanceof PostgresAdapter
		? sql<string>`string_agg(${text}, ${separator})`
		: sql<string>`group_concat(${text}, ${separator})`;
}
