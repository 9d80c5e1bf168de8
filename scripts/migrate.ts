// `npm run migrate`: bring the configured database (DATABASE_URL) up to the latest schema.
import { createDb, DEFAULT_DATABASE_URL, migrateToLatest, withoutPassword } from '../src/lib/server/db';

const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const db = createDb(url);
/** What the output names: never the database's password. */
const shown = withoutPassword(url);
try {
	const applied = await migrateToLatest(db);
	console.log(
		applied.length ? `Applied ${applied.join(', ')} to ${shown}` : `${shown} is already up to date.`
	);
} finally {
	await db.destroy();
}
