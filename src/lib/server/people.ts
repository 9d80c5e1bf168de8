import { sql } from 'kysely';

/** "Ada Lovelace", in SQL: how a person is named everywhere a page shows them. */
export const fullNameOf = (table: string) =>
	sql<string>`${sql.ref(`${table}.given_name`)} || ' ' || ${sql.ref(`${table}.family_name`)}`;
