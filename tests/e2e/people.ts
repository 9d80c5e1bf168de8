import { expect, type Browser, type Page } from '@playwright/test';

// How the demo pod's people get in, the way they would: by labels and button names.

/**
 * How long a sign-in may take to land: the password check and the first page's read (a whole
 * board, for a lead or teacher of one pod), one after the other, on a machine other browsers keep busy.
 */
export const LANDING = { timeout: 20_000 };

/**
 * The lead facilitator signs in and opens Pod North's board: on the lane's server, or on the one
 * at `origin` (a test file's own).
 */
export const leadOpensPodNorth = (page: Page, origin = '') =>
	staffOpensPodNorth(page, 'lead@demo.school', origin);

/** A member of Pod North's team signs in and opens the board. */
export async function staffOpensPodNorth(page: Page, email: string, origin = '') {
	await page.goto(`${origin}/login`);
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill('podboard-demo');
	await page.getByRole('button', { name: 'Sign in' }).click();
	// A lead or teacher of one pod lands on its board.
	await expect(page.getByRole('heading', { name: 'Pod North', level: 1 })).toBeVisible(LANDING);
}

/**
 * A student on their own Chromebook (a browser context of their own): code, name, pictures.
 * `baseURL` is the app server the device reaches, when it is not the one the tests start.
 */
export async function studentOnOwnDevice(
	browser: Browser,
	fullName: string,
	baseURL?: string
): Promise<Page> {
	const viewport = { width: 1366, height: 768 };
	const page = await (await browser.newContext(baseURL ? { viewport, baseURL } : { viewport })).newPage();
	const [given, ...family] = fullName.split(' ');
	await page.goto('/join');
	await page.getByLabel('Pod code').fill('DEMO42');
	await page.getByRole('button', { name: 'Next' }).click();
	await page.getByRole('button', { name: `${given} ${family.join(' ')[0]}.`, exact: true }).click();
	for (const picture of ['cat', 'sun', 'tree'])
		await page.getByRole('button', { name: picture, exact: true }).click();
	await expect(page.getByRole('list', { name: 'My playlist' })).toBeVisible();
	return page;
}
