import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousAxeViolations, snapshot } from './axe';
import { LANDING } from './people';

// The import adds 56 students to Pod North, and other browser tests count its 72: so this test
// runs the same production build as a server of its own, on a fresh demo database.

let server: ChildProcess;
let origin: string;
let dataDir: string;

const fixture = (variant: string) => {
	const folder = resolve('tests/fixtures/oneroster', variant);
	return readdirSync(folder).map((name) => join(folder, name));
};

function freePort(): Promise<number> {
	return new Promise((done, fail) => {
		const probe = createServer();
		probe.once('error', fail);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => done(port));
		});
	});
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	test.setTimeout(120_000);
	const port = await freePort();
	origin = `http://127.0.0.1:${port}`;
	dataDir = mkdtempSync(join(tmpdir(), 'podboard-roster-e2e-'));
	server = spawn(process.execPath, ['build/index.js'], {
		env: {
			...process.env,
			HOST: '127.0.0.1',
			PORT: String(port),
			ORIGIN: origin,
			DATABASE_URL: `file:${join(dataDir, 'podboard.sqlite')}`,
			PODBOARD_DEMO: '1'
		},
		stdio: 'ignore'
	});
	for (let tries = 0; ; tries++) {
		const up = await fetch(`${origin}/login`).then(
			(response) => response.ok,
			() => false
		);
		if (up) break;
		if (tries > 200) throw new Error('The roster test server did not start');
		await new Promise((r) => setTimeout(r, 250));
	}
});

test.afterAll(() => {
	server?.kill();
	rmSync(dataDir, { recursive: true, force: true });
});

async function leadOpensRosterImport(page: Page) {
	await page.goto(`${origin}/login`);
	await page.getByLabel('Email').fill('lead@demo.school');
	await page.getByLabel('Password').fill('podboard-demo');
	await page.getByRole('button', { name: 'Sign in' }).click();
	// The lead of one pod lands on its board.
	await expect(page.getByRole('heading', { name: 'Pod North', level: 1 })).toBeVisible(LANDING);
	await page.getByRole('navigation', { name: 'Pod North' }).getByRole('link', { name: 'Roster' }).click();
	await expect(page.getByRole('heading', { name: 'Roster', level: 1 })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Import the roster', level: 2 })).toBeVisible();
}

test('the lead imports a OneRoster export: sees the preview, applies it, and the pod has the new students', async ({
	page
}) => {
	test.setTimeout(120_000);
	await leadOpensRosterImport(page);
	const files = page.getByLabel('Roster files (.zip or .csv)');

	// A malformed export first: the exact line, and no way to apply.
	await files.setInputFiles(fixture('malformed'));
	await expect(page.getByRole('alert')).toContainText(
		"users.csv line 14: role 'studnt' is not a OneRoster role"
	);
	await expect(page.getByRole('button', { name: 'Apply the import' })).toBeDisabled();

	await files.setInputFiles(fixture('school'));
	await expect(page.getByRole('table', { name: 'Students to add (56)' })).toBeVisible();
	await expect(page.getByRole('table', { name: 'Staff to add (3)' })).toBeVisible();
	const classes = page.getByRole('table', { name: 'Classes and where they go' });
	await expect(classes.getByRole('checkbox', { name: 'Include Room 4A' })).toBeChecked();
	await expect(page.getByRole('alert')).toHaveCount(0);
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'roster-preview');

	await page.getByRole('button', { name: 'Apply the import' }).click();
	await expect(page.getByRole('status')).toContainText(
		'Imported into Pod North: 56 students added, 0 updated, 0 deactivated; 3 staff added, 0 updated.',
		{ timeout: 60_000 }
	);
	await snapshot(page, 'roster-imported', { fullPage: false });

	// The same files again: nothing to change.
	await files.setInputFiles(fixture('school'));
	await expect(page.getByText('Nothing to change.')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Apply the import' })).toBeDisabled();

	await page.getByRole('link', { name: 'Back to Pod North' }).click();
	// The whole board, now of 128 students, as the landing after sign-in may take on a busy machine.
	await expect(page.getByText('128 students', { exact: true })).toBeVisible(LANDING);
	await expect(page.getByRole('rowheader', { name: /Adele Arkwright/ })).toBeVisible();
});
