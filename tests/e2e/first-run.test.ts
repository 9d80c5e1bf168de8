import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import { startKillableServer, type KillableServer } from '../support/killable-server';
import { expectNoSeriousAxeViolations, snapshot } from './axe';

// A real school's first day, as its IT person would go about it, following the README: the
// production build on an EMPTY database with PODBOARD_DEMO=0 (a server of this test's own, not the
// demo server the other browser tests share); `npm start` says how to make the first admin; the
// admin signs in, lands on /admin, creates a school and a pod, changes the pod code, archives the
// pod and restores it. Every admin page is checked with axe, by keyboard where it matters, and
// photographed at 1366×768 and 360 px wide.

test.describe.configure({ mode: 'serial', timeout: 180_000 });
test.use({ viewport: { width: 1366, height: 768 } });

const ADMIN = { email: 'it@school.example', password: 'a long first password' };
let folder: string;
let databaseUrl: string;
let server: KillableServer;

test.beforeAll(async () => {
	folder = mkdtempSync(join(tmpdir(), 'podboard-first-run-'));
	databaseUrl = `file:${join(folder, 'podboard.sqlite')}`;
	server = await startKillableServer(databaseUrl, false);
});

test.afterAll(async () => {
	await server?.kill('SIGTERM');
	rmSync(folder, { recursive: true, force: true });
});

/** The page as it is, at the laptop's size and at a phone's 360 px, for a person to look at. */
async function photograph(page: Page, name: string) {
	await snapshot(page, `${name}-1366`);
	await page.setViewportSize({ width: 360, height: 740 });
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, `${name}-360`);
	await page.setViewportSize({ width: 1366, height: 768 });
}

test('npm start on an empty database says the one command that makes the first admin', async () => {
	expect(server.output()).toContain('npm run admin:create -- <email>');
	expect(server.output()).not.toContain('podboard-demo');
	await promisify(execFile)('node_modules/.bin/tsx', ['scripts/admin-create.ts', ADMIN.email], {
		env: { ...process.env, DATABASE_URL: databaseUrl, PODBOARD_ADMIN_PASSWORD: ADMIN.password }
	});
});

test('the admin signs in, lands on /admin and creates a school and a pod; changes its code, archives and restores it', async ({
	page
}) => {
	await page.goto(`${server.origin}/login`);
	await page.getByLabel('Email').fill(ADMIN.email);
	await page.getByLabel('Password').fill(ADMIN.password);
	await page.getByRole('button', { name: 'Sign in' }).click();

	// No pods yet: straight to the admin's home.
	await expect(page).toHaveURL(`${server.origin}/admin`);
	await expect(page.getByRole('heading', { name: 'Pods and schools', level: 1 })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Create your first pod' })).toBeVisible();
	await expect(
		page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Pods and schools' })
	).toHaveAttribute('aria-current', 'page');
	await expectNoSeriousAxeViolations(page);
	await photograph(page, 'admin-first-run');

	// A school, by keyboard: type its name, Enter.
	await page.getByLabel('School name').fill('Lincoln Elementary');
	await page.getByLabel('School name').press('Enter');
	await expect(page.getByRole('heading', { name: 'Lincoln Elementary', level: 2 })).toBeVisible();
	await expect(page.getByRole('status').filter({ hasText: 'Lincoln Elementary is added.' })).toBeVisible();

	// The first pod, its form reached by keyboard.
	await page.getByRole('link', { name: 'Create your first pod' }).focus();
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { name: 'New pod', level: 1 })).toBeVisible();
	await expect(page.getByLabel('School', { exact: true })).toHaveValue(/.+/);
	await expect(page.getByLabel('School', { exact: true }).locator('option:checked')).toHaveText(
		'Lincoln Elementary'
	);
	await page.getByLabel('Pod name').fill('Pod West');
	await page.getByLabel('Lowest grade').selectOption('3');
	await page.getByLabel('Highest grade').selectOption('5');
	await page.getByLabel('Time zone').selectOption('America/Chicago');
	// A short Friday, and no Wednesday.
	await page.getByLabel('Friday ends').fill('12:30');
	await page.getByRole('checkbox', { name: 'Wednesday' }).uncheck();
	await expect(page.getByLabel('Wednesday starts')).toBeDisabled();
	await page.getByLabel('Students per adult').fill('22');
	await expectNoSeriousAxeViolations(page);
	await photograph(page, 'admin-new-pod');
	await page.getByRole('button', { name: 'Create pod' }).click();

	await expect(page.getByRole('heading', { name: 'Pod West', level: 1 })).toBeVisible();
	const ready = page.getByRole('status');
	await expect(ready).toContainText('Pod West is ready. Its pod code is');
	const code = (await page.locator('.big-code').textContent())!.trim();
	expect(code).toMatch(/^[ACEFGHJKMNPRTWXY34679]{6}$/);
	await expect(
		page.getByText('Lincoln Elementary · grades 3–5 · Mon, Tue, Thu 08:30–15:00; Fri 08:30–12:30')
	).toBeVisible();
	await expectNoSeriousAxeViolations(page);
	await photograph(page, 'admin-pod');

	// A new code: the old one is gone at once.
	page.once('dialog', (dialog) => dialog.accept());
	await page.getByRole('button', { name: 'New pod code' }).click();
	await expect(page.locator('.big-code')).not.toHaveText(code);
	const roster = await fetch(
		`${server.origin}/api/trpc/auth.joinRoster?input=${encodeURIComponent(JSON.stringify({ joinCode: code }))}`
	);
	expect(roster.status).toBe(404);

	// Archive, after a confirmation that says what it does; by keyboard, Escape first.
	await page.getByRole('button', { name: 'Archive Pod West…' }).focus();
	await page.keyboard.press('Enter');
	const dialog = page.getByRole('dialog', { name: 'Archive Pod West?' });
	await expect(dialog).toBeVisible();
	await expect(dialog).toContainText('makes it read-only');
	await expect(dialog).toContainText(
		'signs its students out, and its pod code and sign-in cards stop working'
	);
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'admin-archive-dialog-1366', { fullPage: false });
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
	await page.getByRole('button', { name: 'Archive Pod West…' }).click();
	await dialog.getByRole('button', { name: 'Archive Pod West' }).click();
	await expect(page.getByRole('heading', { name: /^Archived on / })).toBeVisible();
	await expectNoSeriousAxeViolations(page);

	// Off the lists: the admin's home shows it under Archived, and there is no pod to open.
	await page
		.getByRole('navigation', { name: 'Breadcrumb' })
		.getByRole('link', { name: 'Back to pods and schools' })
		.click();
	await expect(page.getByRole('heading', { name: 'Archived', level: 3 })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Create your first pod' })).toBeVisible();

	await page.getByRole('link', { name: 'Pod West' }).click();
	await page.getByRole('button', { name: 'Restore Pod West' }).click();
	await expect(page.getByRole('heading', { name: 'Pod code', level: 2 })).toBeVisible();
	await page.getByRole('link', { name: 'Back to pods and schools' }).click();
	const school = page.getByRole('region', { name: 'Lincoln Elementary' });
	await expect(school.getByRole('table', { name: 'Pods of Lincoln Elementary' })).toContainText('Pod West');
	await expect(school.getByRole('table', { name: 'Pods of Lincoln Elementary' })).toContainText('Grades 3–5');
	await expectNoSeriousAxeViolations(page);
	await photograph(page, 'admin-home');

	// Renaming the school, by keyboard.
	await school.getByRole('button', { name: 'Rename Lincoln Elementary' }).click();
	await expect(page.getByLabel('New name for Lincoln Elementary')).toBeFocused();
	await page.getByLabel('New name for Lincoln Elementary').fill('Lincoln Elementary School');
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { name: 'Lincoln Elementary School', level: 2 })).toBeVisible();

	// The pod's board, and its settings as the team sees them.
	await page.goto(`${server.origin}/pods`);
	await expect(page.getByRole('link', { name: 'Pods and schools' })).toBeVisible();
	await page.getByRole('link', { name: 'Pod West' }).click();
	await page
		.getByRole('navigation', { name: 'Pod West' })
		.getByRole('link', { name: 'Pod settings' })
		.click();
	await expect(page.getByRole('heading', { name: 'Pod settings', level: 1 })).toBeVisible();
	await expect(page.getByText('Lincoln Elementary School', { exact: true })).toBeVisible();
	await expect(page.getByText('America/Chicago')).toBeVisible();
	await expectNoSeriousAxeViolations(page);
	await photograph(page, 'pod-settings');
});
