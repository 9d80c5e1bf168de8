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

/**
 * How often the time-based flag rules run, from FLAG_SWEEP_SECONDS (60 unless set; 0 never).
 * A setting that is no number stops the start: read as NaN it would turn the sweep off unseen.
 */
export function flagSweepSeconds(env: NodeJS.ProcessEnv = process.env): number {
	const setting = env.FLAG_SWEEP_SECONDS;
	if (setting === undefined || setting.trim() === '') return 60;
	const seconds = Number(setting);
	if (!Number.isFinite(seconds) || seconds < 0) {
		throw new Error(
			`FLAG_SWEEP_SECONDS "${setting}" must be a number of seconds (60 is a minute), or 0 for no sweep`
		);
	}
	return seconds;
}
