import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb } from '../../src/lib/server/db';
import { firstAdminText, flagSweepSeconds, prepareDatabase } from '../../src/lib/server/startup';

const folders: string[] = [];
function freshDatabaseUrl() {
	const folder = mkdtempSync(join(tmpdir(), 'podboard-'));
	folders.push(folder);
	return `file:${join(folder, 'nested', 'podboard.sqlite')}`;
}
afterEach(() => {
	for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('starting on a database file', () => {
	it('creates the file with durable, checked settings', async () => {
		const db = createDb(freshDatabaseUrl());
		const pragma = async (name: string) =>
			Object.values((await sql.raw(`pragma ${name}`).execute(db)).rows[0] as object)[0];
		expect(await pragma('journal_mode')).toBe('wal');
		expect(await pragma('synchronous')).toBe(2); // FULL
		expect(await pragma('foreign_keys')).toBe(1);
		expect(await pragma('busy_timeout')).toBe(5000);
		await db.destroy();
	});

	it('seeds the demo pod once, into an empty database only', async () => {
		const url = freshDatabaseUrl();
		const first = createDb(url);
		expect(await prepareDatabase(first, { PODBOARD_DEMO: '1' })).toMatchObject({
			seeded: true,
			demoPresent: true
		});
		await first.destroy();
		const again = createDb(url);
		expect(await prepareDatabase(again, { PODBOARD_DEMO: '1' })).toMatchObject({
			applied: [],
			seeded: false
		});
		// The demo: Pod North, and Pod Ridge, its remote teacher of record's other pod.
		const pods = await again.selectFrom('pods').select('name').orderBy('name').execute();
		expect(pods).toEqual([{ name: 'Pod North' }, { name: 'Pod Ridge' }]);
		await again.destroy();
	});

	it('creates no accounts at all for a real school (PODBOARD_DEMO=0)', async () => {
		const db = createDb(freshDatabaseUrl());
		expect(await prepareDatabase(db, { PODBOARD_DEMO: '0' })).toMatchObject({
			seeded: false,
			demoPresent: false
		});
		expect(await db.selectFrom('users').select('id').execute()).toEqual([]);
		expect(await db.selectFrom('pods').select('id').execute()).toEqual([]);
		await db.destroy();
	});

	it('says, while no admin exists, the one command that makes the first', async () => {
		const db = createDb(freshDatabaseUrl());
		expect(await prepareDatabase(db, { PODBOARD_DEMO: '0' })).toMatchObject({ needsAdmin: true });
		expect(firstAdminText('http://school.example')).toContain('npm run admin:create -- <email>');
		await db
			.insertInto('users')
			.values({
				id: '00000000-0000-4000-8000-00000000ad01',
				kind: 'staff',
				given_name: 'School',
				family_name: 'Admin',
				email: 'it@school.example',
				password_hash: 'not a real hash',
				picture_password_hash: null,
				is_admin: 1,
				created_at: new Date().toISOString()
			})
			.execute();
		// Made its admin, no pod yet, and a start that forgot PODBOARD_DEMO=0: no demo in a real school.
		expect(await prepareDatabase(db, { PODBOARD_DEMO: '1' })).toMatchObject({
			seeded: false,
			demoPresent: false,
			needsAdmin: false
		});
		expect(await db.selectFrom('pods').select('id').execute()).toEqual([]);
		await db.destroy();
	});

	it('needs no admin made on the demo (it has its own)', async () => {
		const db = createDb(freshDatabaseUrl());
		expect(await prepareDatabase(db, { PODBOARD_DEMO: '1' })).toMatchObject({ needsAdmin: false });
		await db.destroy();
	});

	it('refuses a DATABASE_URL it cannot use, saying what to write instead', () => {
		expect(() => createDb('mysql://school/db')).toThrow(/use file:\.\/path\/to\/podboard\.sqlite/);
	});
});

describe('the flag sweep setting', () => {
	it('is a minute unless set, and 0 turns the sweep off', () => {
		expect(flagSweepSeconds({})).toBe(60);
		expect(flagSweepSeconds({ FLAG_SWEEP_SECONDS: ' ' })).toBe(60);
		expect(flagSweepSeconds({ FLAG_SWEEP_SECONDS: '15' })).toBe(15);
		expect(flagSweepSeconds({ FLAG_SWEEP_SECONDS: '0' })).toBe(0);
	});

	it.each(['a minute', '-5', '1e999'])('refuses %j, saying what to write instead', (setting) => {
		expect(() => flagSweepSeconds({ FLAG_SWEEP_SECONDS: setting })).toThrow(
			/must be a number of seconds \(60 is a minute\), or 0 for no sweep/
		);
	});
});
