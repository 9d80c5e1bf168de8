import { expect, test } from '@playwright/test';
import { expectNoSeriousAxeViolations, snapshot } from './axe';
import { LANDING } from './people';

test('the start page offers both ways in', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByRole('link', { name: "I'm a student" })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Staff sign in' })).toBeVisible();
	await expectNoSeriousAxeViolations(page);
});

test('a teacher who is not signed in is sent to sign in', async ({ page }) => {
	await page.goto('/pods');
	await expect(page).toHaveURL(/\/login\?next=%2Fpods/);
	await expect(page.getByRole('heading', { name: 'Staff sign in' })).toBeVisible();
});

test('a wrong password says so and signs nobody in', async ({ page }) => {
	await page.goto('/login');
	await page.getByLabel('Email').fill('lead@demo.school');
	await page.getByLabel('Password').fill('not-the-password');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('alert')).toContainText('do not match an account');
	await expect(page).toHaveURL(/\/login/);
	await expectNoSeriousAxeViolations(page);
});

test('the lead signs in, sees Pod North with its 72 students and team, and signs out', async ({ page }) => {
	// Three pages, the whole board among them, each read by axe: a busy machine needs time.
	test.setTimeout(90_000);
	await page.goto('/login');
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'login');
	await page.getByLabel('Email').fill('lead@demo.school');
	await page.getByLabel('Password').fill('podboard-demo');
	await page.getByRole('button', { name: 'Sign in' }).click();

	// The lead of one pod lands on its board; My pods still lists it.
	await expect(page.getByRole('heading', { name: 'Pod North', level: 1 })).toBeVisible(LANDING);
	await expect(page).toHaveURL(/\/pods\/[0-9a-f-]{36}$/);
	await page.getByRole('link', { name: 'My pods' }).click();
	await expect(page.getByRole('heading', { name: 'My pods' })).toBeVisible();
	await expect(page.getByText('72 students · Lead facilitator')).toBeVisible();
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'pods');

	await page.getByRole('link', { name: 'Pod North' }).click();
	await expect(page.getByRole('heading', { name: 'Pod North', level: 1 })).toBeVisible();
	await expect(page.getByText('72 students', { exact: true })).toBeVisible();
	const team = page.getByRole('region', { name: 'Team' });
	for (const name of ['Maya Okafor', 'Daniel Reyes', 'Priya Shah']) {
		await expect(team.getByText(name)).toBeVisible();
	}
	// The board is the roster now: one row per student.
	await expect(page.getByRole('grid', { name: 'Pod progress' }).getByRole('rowheader')).toHaveCount(72);
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'pod');

	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/login/);
	await page.goto('/pods');
	await expect(page).toHaveURL(/\/login/);
});
