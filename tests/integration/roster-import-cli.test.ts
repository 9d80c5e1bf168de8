import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USUAL_WEEK } from '../../src/lib/pods/school-week';
import { createDb, migrateToLatest } from '../../src/lib/server/db';
import { isoNow, newId } from '../../src/lib/server/ids';
import { fixtureZipBase64, ONEROSTER_FIXTURES } from '../support/oneroster';
import { databaseDigest } from '../support/pod';

// `npm run roster:import` as a school's nightly job runs it: a child process on a SQLite file.

let dir: string;
let databaseUrl: string;

function runImport(...args: string[]): Promise<{ code: number; output: string }> {
	return new Promise((resolve) => {
		execFile(
			'node_modules/.bin/tsx',
			['scripts/roster-import.ts', ...args],
			{ env: { ...process.env, DATABASE_URL: databaseUrl }, timeout: 60_000 },
			(error, stdout, stderr) =>
				resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr })
		);
	});
}

async function withDb<T>(work: (db: ReturnType<typeof createDb>) => Promise<T>): Promise<T> {
	const db = createDb(databaseUrl);
	try {
		return await work(db);
	} finally {
		await db.destroy();
	}
}

const studentCount = () =>
	withDb(async (db) =>
		Number(
			(
				await db
					.selectFrom('pod_students')
					.select((eb) => eb.fn.countAll<number>().as('n'))
					.executeTakeFirstOrThrow()
			).n
		)
	);

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'podboard-roster-'));
	databaseUrl = `file:${join(dir, 'podboard.sqlite')}`;
	await withDb(async (db) => {
		await migrateToLatest(db);
		const schoolId = newId();
		await db
			.insertInto('schools')
			.values({ id: schoolId, name: 'Maple School', source_id: null, created_at: isoNow() })
			.execute();
		for (const [name, code] of [
			['Pod Maple', 'MAPLE4'],
			['Pod Oak', 'OAK5']
		]) {
			await db
				.insertInto('pods')
				.values({
					id: newId(),
					school_id: schoolId,
					name,
					grade_low: 4,
					grade_high: 5,
					join_code: code,
					timezone: 'America/New_York',
					school_week: JSON.stringify(USUAL_WEEK),
					students_per_adult: null,
					flag_thresholds: '{}',
					created_at: isoNow()
				})
				.execute();
		}
	});
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run roster:import', { timeout: 120_000 }, () => {
	const school = join(ONEROSTER_FIXTURES, 'school');

	it('asks which pod when there are several', async () => {
		const { code, output } = await runImport(school, '--dry-run');
		expect(code).not.toBe(0);
		expect(output).toContain('Say which pod with --pod <join code>. Pods in');
		expect(output).toContain('MAPLE4 (Pod Maple)');
	});

	it('--dry-run prints the preview and changes nothing', async () => {
		const before = await withDb(databaseDigest);
		const { code, output } = await runImport(school, '--pod', 'maple4', '--dry-run');
		expect(code).toBe(0);
		expect(output).toContain('Import (OneRoster 1.1) into Pod Maple (pod code MAPLE4)');
		expect(output).toContain('Room 4A [class-4a], grades 04: 28 students, 2 teachers → Pod Maple');
		expect(output).toContain('Students to add (56):');
		expect(output).toContain('Staff to add (3):');
		expect(output).toContain('Dry run: nothing was changed.');
		expect(await withDb(databaseDigest)).toBe(before);
	});

	it('refuses the malformed variant with the exact line, exits non-zero, changes nothing', async () => {
		const before = await withDb(databaseDigest);
		const { code, output } = await runImport(join(ONEROSTER_FIXTURES, 'malformed'), '--pod', 'MAPLE4');
		expect(code).toBe(1);
		expect(output).toContain("users.csv line 14: role 'studnt' is not a OneRoster role");
		expect(output).toContain('Nothing was imported.');
		expect(await withDb(databaseDigest)).toBe(before);
	});

	it('imports a zip, then the same again is a no-op', async () => {
		const zip = join(dir, 'maplewood.zip');
		writeFileSync(zip, Buffer.from(fixtureZipBase64('school'), 'base64'));
		const first = await runImport(zip, '--pod', 'MAPLE4');
		expect(first.code).toBe(0);
		expect(first.output).toContain('Applied to');
		expect(await studentCount()).toBe(56);
		const before = await withDb(databaseDigest);
		const again = await runImport(school, '--pod', 'MAPLE4');
		expect(again.code).toBe(0);
		expect(again.output).toContain('Nothing to change; unchanged: 56 students, 3 staff');
		expect(await withDb(databaseDigest)).toBe(before);
	});

	it("runs as the school's admin: may bring another pod's people in, saying which pod they are also in", async () => {
		const before = await withDb(databaseDigest);
		const { code, output } = await runImport(school, '--pod', 'OAK5', '--dry-run');
		expect(code).toBe(0);
		expect(output).toContain('Students to update (56):');
		expect(output).toContain('  Adele Arkwright [s-001], grade 4, Room 4A: joins Pod Oak; also in Pod Maple');
		expect(output).toContain(
			'  Harriet Whitaker <hwhitaker@maplewood.school> [t-001]: joins the team of Pod Oak; also in Pod Maple'
		);
		expect(await withDb(databaseDigest)).toBe(before);
	});

	it("imports a school information system's own 1.1 export, courses.csv and all", async () => {
		const { code, output } = await runImport(join(ONEROSTER_FIXTURES, 'sis-export'), '--pod', 'OAK5');
		expect(code).toBe(0);
		expect(output).toContain(
			'Homeroom 4 - Alvarez [sec-4101-2027], grades 04: 4 students, 1 teachers → Pod Oak'
		);
		expect(output).toContain('Students to add (8):');
		expect(output).toContain('Applied to');
	});

	it('says so when the path or the pod is wrong', async () => {
		expect(await runImport(join(dir, 'nowhere'), '--pod', 'MAPLE4')).toMatchObject({ code: 1 });
		const wrongPod = await runImport(school, '--pod', 'ELM9', '--dry-run');
		expect(wrongPod.code).toBe(1);
		expect(wrongPod.output).toContain('No pod has the code ELM9.');
	});

	it('refuses a pod that was archived, changing nothing: the nightly job fails for IT to see', async () => {
		await withDb((db) =>
			db.updateTable('pods').set({ archived_at: isoNow() }).where('join_code', '=', 'OAK5').execute()
		);
		const before = await withDb(databaseDigest);
		const archived = await runImport(school, '--pod', 'OAK5');
		expect(archived.code).toBe(1);
		expect(archived.output).toContain(
			'Pod Oak is archived, so it is read-only: nothing was changed. A school admin can restore it on the admin page.'
		);
		expect(await withDb(databaseDigest)).toBe(before);
	});
});
