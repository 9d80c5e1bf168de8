import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { expectNoSeriousAxeViolations, snapshot } from './axe';
import { leadOpensPodNorth } from './people';

// The lead takes Pod North's progress out as a spreadsheet, and opens one student's data
// request. Nothing is deleted here: other browser tests sign in as the demo students.

test.use({ viewport: { width: 1366, height: 768 } });
test.describe.configure({ timeout: 90_000 });

test('the lead downloads the progress CSV and opens a student’s data request', async ({ page }) => {
	await leadOpensPodNorth(page);
	await page.getByRole('link', { name: 'Data and exports' }).click();
	await expect(page.getByRole('heading', { name: 'Data and exports', level: 1 })).toBeVisible();
	await expectNoSeriousAxeViolations(page);

	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: 'Download progress (CSV)' }).click()
	]);
	expect(download.suggestedFilename()).toMatch(/^pod-north-progress-\d{4}-\d{2}-\d{2}\.csv$/);
	const csv = await readFile((await download.path())!, 'utf8');
	expect(csv.charCodeAt(0)).toBe(0xfeff);
	const [header, ...rows] = csv.slice(1).trimEnd().split('\r\n');
	expect(header).toBe(
		'Student ID,Student name,Grade,Cohort,Activity,Subject,Kind,Priority,Due,Status,Score (%),Score source,Attempts,Minutes spent,Last event (UTC)'
	);
	// 72 students with about ten playlist items each.
	expect(rows.length).toBeGreaterThan(500);
	// The page is still there: a download does not navigate.
	await expect(page.getByRole('heading', { name: 'Data and exports', level: 1 })).toBeVisible();

	const picker = page.getByLabel('Student', { exact: true });
	const name = (await picker.locator('option').nth(1).textContent())!.replace(/ \(grade \d+\)$/, '');
	await picker.selectOption({ index: 1 });
	await expect(page.getByRole('button', { name: `Download everything about ${name}` })).toBeVisible();
	await expect(page.getByLabel('Given name')).toHaveValue(name.split(' ')[0]);
	const erase = page.getByRole('button', { name: `Delete ${name} for good` });
	await expect(erase).toBeDisabled();
	await page.getByLabel(`Type “${name}” to confirm`).fill('not the name');
	await expect(erase).toBeDisabled();
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'data-and-exports');
});
