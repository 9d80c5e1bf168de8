import type { Kysely } from 'kysely';
import { DEMO, hasAnyPod, seedDemoPod } from '../../../db/seed/demo';
import { migrateToLatest, type Database } from './db';
import { asOneServer } from './db/locks';

/**
 * Migrate, and on an empty database seed the demo pod unless PODBOARD_DEMO=0. Servers starting
 * together on one PostgreSQL database take turns, so the demo pod is seeded once.
 */
export async function prepareDatabase(db: Kysely<Database>, env: NodeJS.ProcessEnv = process.env) {
	const demoWanted = (env.PODBOARD_DEMO ?? '1') !== '0';
	const { applied, seeded } = (await asOneServer(
		db,
		'prepare-database',
		async () => {
			const applied = await migrateToLatest(db);
			const seeded = demoWanted && !(await hasAnyPod(db));
			if (seeded) await seedDemoPod(db);
			return { applied, seeded };
		},
		{ wait: true }
	))!;
	const demoPod = await db
		.selectFrom('pods')
		.select('id')
		.where('join_code', '=', DEMO.joinCode)
		.executeTakeFirst();
	return { applied, seeded, demoPresent: demoWanted && demoPod !== undefined };
}

export function demoSignInsText(origin: string): string {
	return [
		`Podboard is serving the demo pod "${DEMO.podName}" at ${origin}`,
		`  Staff sign in at ${origin}/login with password "${DEMO.staffPassword}":`,
		...DEMO.staff.map((s) => `    ${s.email}`),
		`  Students join at ${origin}/join with pod code ${DEMO.joinCode}, pick a name, then tap ${DEMO.pictures.join(', ')}.`
	].join('\n');
}
