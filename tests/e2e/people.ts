import { expect, type Browser, type Page } from '@playwright/test';

// How the demo pod's people get in, the way they would: by labels and button names.

/** The lead facilitator signs in and opens Pod North's board. */
export const leadOpensPodNorth = (page: Page) => staffOpensPodNorth(page, 'lead@demo.school');

/** A member of Pod North's team signs in and opens the board. */
export async function staffOpensPodNorth(page: Page, email: string) {
	await page.goto('/login');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill('podboard-demo');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('heading', { name: 'My pods' })).toBeVisible();
	await page.getByRole('link', { name: 'Pod North' }).click();
	await expect(page.getByRole('heading', { name: 'Pod North', level: 1 })).toBeVisible();
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
