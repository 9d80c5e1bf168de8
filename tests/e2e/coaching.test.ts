import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectNoSeriousAxeViolations, snapshot } from './axe';
import { leadOpensPodNorth, staffOpensPodNorth } from './people';

// Peer coaching as the team would use it: the lead records a cycle for Daniel Reyes, Daniel
// reflects on it, and Priya Shah, the other team teacher, sees none of it.

test.use({ viewport: { width: 1366, height: 768 } });
test.describe.configure({ timeout: 90_000 });

const FOCUS = 'Wait time after questions';

async function openCoaching(page: Page) {
	await page.getByRole('link', { name: 'Coaching' }).click();
	await expect(page.getByRole('heading', { name: 'Coaching', level: 1 })).toBeVisible();
}

async function teacherOnOwnLaptop(browser: Browser, email: string): Promise<Page> {
	const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
	await staffOpensPodNorth(page, email);
	await openCoaching(page);
	return page;
}

test('the lead records a coaching cycle for Daniel, Daniel adds a reflection, and Priya sees none of it', async ({
	browser,
	page
}) => {
	await leadOpensPodNorth(page);
	await openCoaching(page);

	const record = page.getByRole('region', { name: 'Record a coaching cycle' });
	await record.getByLabel('Team teacher').selectOption({ label: 'Daniel Reyes' });
	await record.getByLabel('Focus').fill(FOCUS);
	await record
		.getByLabel('What I observed')
		.fill('Asked “any questions?” and moved on after about a second; two students answered all morning.');
	await record
		.getByLabel('Next step')
		.fill('Count to five before calling on anyone; try it in the fractions launch.');
	await record.getByLabel('Follow up on').fill('2026-12-04');
	await record.getByRole('button', { name: 'Record the cycle' }).click();
	await expect(record.getByRole('status')).toHaveText('Recorded a coaching cycle for Daniel Reyes.');
	// The form is ready for the next cycle.
	await expect(record.getByLabel('Focus')).toHaveValue('');

	const daniels = page.getByRole('region', { name: 'Daniel Reyes' });
	const cycle = daniels.getByRole('article', { name: FOCUS });
	await expect(cycle).toContainText('Follow up on Fri, Dec 4');
	await expect(cycle).toContainText('No reflection yet.');
	await expect(page.getByRole('region', { name: 'Priya Shah' })).toContainText(
		'No cycles with Priya Shah yet.'
	);
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'coaching-lead');

	// Daniel, on his own laptop, reads the cycle and writes his reflection.
	const daniel = await teacherOnOwnLaptop(browser, 'teacher1@demo.school');
	const mine = daniel.getByRole('list', { name: 'My coaching cycles' }).getByRole('article', { name: FOCUS });
	await expect(mine).toContainText('Count to five before calling on anyone');
	await mine
		.getByLabel('My reflection')
		.fill('I fill silences too fast. Counting felt long at first, but more hands went up.');
	await mine.getByRole('button', { name: 'Save reflection' }).click();
	await expect(mine.getByRole('status')).toHaveText('Reflection saved.');
	await expectNoSeriousAxeViolations(daniel);
	await snapshot(daniel, 'coaching-teacher');

	// Priya, the other team teacher, sees no cycle of Daniel's.
	const priya = await teacherOnOwnLaptop(browser, 'teacher2@demo.school');
	await expect(priya.getByRole('region', { name: 'My coaching cycles' })).toContainText(
		'No coaching cycles yet.'
	);
	await expect(priya.getByText(FOCUS)).toHaveCount(0);
	await expect(priya.getByRole('article')).toHaveCount(0);
	await expectNoSeriousAxeViolations(priya);

	// The lead sees Daniel's reflection, and moves the follow-up a week on.
	await page.reload();
	const read = page.getByRole('region', { name: 'Daniel Reyes' }).getByRole('article', { name: FOCUS });
	await expect(read).toContainText('I fill silences too fast.');
	await read.getByRole('button', { name: 'Edit this cycle' }).click();
	await read.getByLabel('Follow up on').fill('2026-12-11');
	await snapshot(page, 'coaching-lead-editing');
	await read.getByRole('button', { name: 'Save changes' }).click();
	await expect(read.getByRole('status')).toHaveText(`Saved the changes to “${FOCUS}”.`);
	await expect(read).toContainText('Follow up on Fri, Dec 11');
	await expect(read).toContainText('I fill silences too fast.');
});
