import { expect, test } from '@playwright/test';
import { expectNoSeriousAxeViolations, snapshot } from './axe';
import { leadOpensPodNorth, staffOpensPodNorth } from './people';

// The audit log as the lead reads it: a student's record opened on the board shows up as a
// read, by whom and when, and the log filters down to it. A team teacher cannot open it.

test.use({ viewport: { width: 1366, height: 768 } });

test('the lead opens a student on the board, then finds that read in the audit log, filtered', async ({
	page
}) => {
	await leadOpensPodNorth(page);
	const grid = page.getByRole('grid', { name: 'Pod progress' });
	const rowHeader = grid.getByRole('row').nth(3).getByRole('rowheader');
	const student = (await rowHeader.getAttribute('aria-label'))!;
	await rowHeader.click();
	await expect(page.getByRole('dialog', { name: student })).toBeVisible();
	await page.keyboard.press('Escape');

	await page.getByRole('link', { name: 'Audit log' }).click();
	await expect(page.getByRole('heading', { name: 'Audit log', level: 1 })).toBeVisible();
	// The filters say actions in words, not the code's names.
	await page.getByLabel('Action').selectOption({ label: 'Opened a record' });
	await page.getByLabel('Person').selectOption({ label: 'Maya Okafor' });
	await page.getByRole('button', { name: 'Show' }).click();

	// The filter lives in the address, as ids and words, never a name.
	await expect(page).toHaveURL(/\?action=read&entity=&actor=[0-9a-f-]{36}$/);
	const entries = page.getByRole('table', { name: 'Audit log entries' }).getByRole('row');
	await expect(entries.nth(1)).toContainText('Maya Okafor');
	// A sentence: who, what, and whose record, by name; no ids, no code words.
	await expect(entries.nth(1)).toContainText(`Maya Okafor opened ${student}’s record in the student panel.`);
	const rows = await entries.allInnerTexts();
	expect(rows.length).toBeGreaterThan(1);
	for (const row of rows.slice(1)) {
		expect(row).toMatch(/Maya Okafor opened .+’s record in /);
		expect(row).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|read student/);
	}
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'audit-log');

	await page.getByRole('link', { name: 'Clear' }).click();
	await expect(page).toHaveURL(/\/audit\?$/);
	await expect(page.getByLabel('Action')).toHaveValue('');
	await expect(page.getByLabel('Person')).toHaveValue('');
	await expect(page.getByRole('table', { name: 'Audit log entries' })).toContainText(
		'’s record in the student panel.'
	);
});

test('a team teacher is told the audit log is the lead’s', async ({ page }) => {
	await staffOpensPodNorth(page, 'teacher1@demo.school');
	const podPath = new URL(page.url()).pathname;
	await page.goto(`${podPath}/audit`);
	await expect(page.getByRole('heading', { name: 'Not for this account', level: 1 })).toBeVisible();
	await expect(page.getByRole('table', { name: 'Audit log entries' })).toHaveCount(0);
});
