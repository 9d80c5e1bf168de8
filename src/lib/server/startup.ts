import type { Kysely } from 'kysely';
import { RIDGE } from '../../../db/seed/demo-ridge';
import { DEMO, seedDemoPod } from '../../../db/seed/demo';
import { migrateToLatest, type Database } from './db';
import { asOneServer } from './db/locks';

/**
 * Empty: no pod and no account. A school that started with PODBOARD_DEMO=0 and has made its admin
 * (but no pod yet) never gets the demo, even if a later start forgets the setting.
 */
async function isEmpty(db: Kysely<Database>): Promise<boolean> {
	const [pod, user] = await Promise.all([
		db.selectFrom('pods').select('id').limit(1).executeTakeFirst(),
		db.selectFrom('users').select('id').limit(1).executeTakeFirst()
	]);
	return pod === undefined && user === undefined;
}

/**
 * Migrate, and on an empty database seed the demo pod unless PODBOARD_DEMO=0. Servers starting
 * together on one PostgreSQL database take turns, so the demo pod is seeded once. `needsAdmin`:
 * nobody can sign in to set the school up yet (firstAdminText says how).
 */
export async function prepareDatabase(db: Kysely<Database>, env: NodeJS.ProcessEnv = process.env) {
	const demoWanted = (env.PODBOARD_DEMO ?? '1') !== '0';
	const { applied, seeded } = (await asOneServer(
		db,
		'prepare-database',
		async () => {
			const applied = await migrateToLatest(db);
			const seeded = demoWanted && (await isEmpty(db));
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
	const admin = await db
		.selectFrom('users')
		.select('id')
		.where('is_admin', '=', 1)
		.where('status', '=', 'active')
		.limit(1)
		.executeTakeFirst();
	return {
		applied,
		seeded,
		demoPresent: demoWanted && demoPod !== undefined,
		needsAdmin: admin === undefined
	};
}

/** What `npm start` prints while no admin exists: the one command that makes the first. */
export function firstAdminText(origin: string): string {
	return [
		"Podboard has no admin yet. Create your school's first admin account with:",
		'    npm run admin:create -- <email>',
		`  then sign in at ${origin}/login and create your first pod.`
	].join('\n');
}

export function demoSignInsText(origin: string): string {
	return [
		`Podboard is serving the demo pod "${DEMO.podName}" at ${origin}`,
		`  Staff sign in at ${origin}/login with password "${DEMO.staffPassword}":`,
		...DEMO.staff.map((s) => `    ${s.email}`),
		`    ${RIDGE.aide.email} (support staff in ${RIDGE.podName}, ${RIDGE.schoolName})`,
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
