import { expect, test } from '@playwright/test';
import { leadOpensPodNorth } from './people';

// A live page whose session ends elsewhere (signed out in another tab, here) says so and offers
// to sign in again, rather than go on showing "Live" over a stream the server has ended.

test('the board says it is signed out when its session ends in another tab', async ({ page }) => {
	await leadOpensPodNorth(page);
	const connection = page
		.getByRole('status')
		.filter({ hasText: /^(Live|Reconnecting…|Offline|Connecting…|Signed out)$/ });
	await expect(connection).toHaveText('Live');

	const otherTab = await page.context().newPage();
	await otherTab.goto('/');
	await otherTab.getByRole('button', { name: 'Sign out' }).click();
	await expect(otherTab).toHaveURL(/\/login/);

	await expect(connection).toHaveText('Signed out');
	await expect(page.getByText(/^Last update/)).toBeHidden();
	await page.getByRole('link', { name: 'Sign in again' }).click();
	await expect(page).toHaveURL(/\/login\?next=%2Fpods%2F/);
});

test("a student's page says it is signed out when its session ends in another tab", async ({ browser }) => {
	const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
	const page = await context.newPage();
	// The live stream is open before the session ends (it would be refused after, and say the same).
	const streaming = page.waitForResponse((response) => response.url().includes('playlists.live'));
	await page.goto('/join');
	await page.getByLabel('Pod code').fill('DEMO42');
	await page.getByRole('button', { name: 'Next' }).click();
	await page.getByRole('list', { name: 'Names in Pod North' }).getByRole('button').nth(70).click();
	for (const picture of ['cat', 'sun', 'tree'])
		await page.getByRole('button', { name: picture, exact: true }).click();
	await expect(page.getByRole('list', { name: 'My playlist' })).toBeVisible();
	await streaming;
	await expect(page.getByRole('alert')).toBeHidden();

	const otherTab = await context.newPage();
	await otherTab.goto('/me');
	await otherTab.getByRole('button', { name: 'Sign out' }).click();
	await expect(otherTab).toHaveURL(/\/join/);

	await expect(page.getByRole('alert')).toHaveText(/You are signed out on this device/);
	await expect(page.getByRole('link', { name: 'Sign in again' })).toHaveAttribute('href', '/join');
	await context.close();
});
