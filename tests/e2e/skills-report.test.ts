import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousAxeViolations, snapshot } from './axe';
import { leadOpensPodNorth } from './people';

// The lead opens the pod's Skills report from the board: each student's level on each skill the
// demo's four days of checked and marked work evidence, this week against last; narrows it to a
// grade, prints it, downloads it as CSV, and follows a student to their skills over time. Nothing
// here changes the pod.

test.use({ viewport: { width: 1366, height: 768 } });

/** The lead signs in and opens the Skills report from the board. */
async function leadOpensSkillsReport(page: Page) {
	await leadOpensPodNorth(page);
	await page
		.getByRole('navigation', { name: 'Pod North' })
		.getByRole('link', { name: 'Skills report' })
		.click();
	await expect(page.getByRole('heading', { name: 'Skills report', level: 1 })).toBeVisible();
}
test.describe.configure({ timeout: 90_000 });

test('the Skills report shows this week against last for the demo pod, narrows by grade, prints and downloads CSV', async ({
	page
}) => {
	await leadOpensSkillsReport(page);

	// Levels this week and last: every student × skill cell once in each column.
	const spread = page.getByRole('region', { name: 'Levels this week and last' });
	const rows = spread.getByRole('row');
	await expect(rows).toHaveCount(6);
	const report = page.getByRole('table', { name: 'Skills report' });
	const students = await report.getByRole('rowheader').count();
	const skills = (await report.getByRole('columnheader').count()) - 1;
	expect(students).toBe(72);
	expect(skills).toBeGreaterThan(3);
	const column = async (index: number) =>
		(await rows.locator(`td:nth-of-type(${index})`).allTextContents()).reduce((sum, n) => sum + Number(n), 0);
	expect(await column(1)).toBe(students * skills);
	expect(await column(2)).toBe(students * skills);
	// The demo's checked quizzes show as levels with their percent.
	await expect(
		report.getByRole('cell', { name: /^(mastered|proficient|practicing|not yet) \d+%/ }).first()
	).toBeVisible();
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'skills-report');

	// One grade.
	await page.getByLabel('Grade').selectOption({ label: 'Grade 5' });
	await page.getByRole('button', { name: 'Show' }).click();
	await expect(page).toHaveURL(/grade=5/);
	await expect(page.getByText(/For grade 5, week of/)).toBeVisible();
	const fifth = await report.getByRole('rowheader').allTextContents();
	expect(fifth.length).toBeGreaterThan(0);
	expect(fifth.length).toBeLessThan(students);
	expect(fifth.every((name) => name.trim().endsWith(' 5'))).toBe(true);

	// On paper: no site header, no buttons, the whole table.
	await page.emulateMedia({ media: 'print' });
	await expect(page.getByRole('button', { name: 'Print' })).toBeHidden();
	await expect(page.getByRole('link', { name: 'Podboard' })).toBeHidden();
	await expect(report).toBeVisible();
	await page.emulateMedia({ media: 'screen' });

	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: 'Download CSV' }).click()
	]);
	expect(download.suggestedFilename()).toMatch(/^pod-north-skills-\d{4}-\d{2}-\d{2}\.csv$/);
	const [header, ...lines] = (await readFile((await download.path())!, 'utf8'))
		.slice(1)
		.trimEnd()
		.split('\r\n');
	expect(header).toBe(
		'Student,Grade,Cohort,Skill code,Skill,Level,Mastery percent,Results,Level as last week ended'
	);
	expect(lines).toHaveLength(fifth.length * ((await report.getByRole('columnheader').count()) - 1));
	expect(lines.every((line) => line.split(',')[1] === '5')).toBe(true);
});

test('from the report, a student’s page shows each skill’s level over time, with the numbers in a table', async ({
	page
}) => {
	await leadOpensSkillsReport(page);
	// The first student with a level of some skill, and that level.
	const report = page.getByRole('table', { name: 'Skills report' });
	const level = /^(mastered|proficient|practicing|not yet) (\d+)%/;
	const row = report
		.getByRole('row')
		.filter({ has: page.getByRole('cell', { name: level }) })
		.first();
	const link = row.getByRole('rowheader').getByRole('link');
	const name = (await link.textContent())!.trim();
	const shown = (await row.getByRole('cell', { name: level }).first().textContent())!.trim().match(level)!;
	await link.click();
	await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();

	const skills = page.getByRole('region', { name: 'Skills over time' });
	await expect(skills.getByText(`${shown[1]}, ${shown[2]}%`).first()).toBeVisible();
	// A screen reader has each result and the mastery after it.
	const table = skills.getByRole('table').first();
	await expect(table.getByRole('columnheader')).toHaveText(['Day', 'Result', 'Mastery after']);
	await expect(table.getByRole('row').nth(1).getByRole('cell').nth(2)).toHaveText(
		/^\d+%, (mastered|proficient|practicing|not yet)$/
	);
	await expectNoSeriousAxeViolations(page);
});
