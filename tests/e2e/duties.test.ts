import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { expectNoSeriousAxeViolations, snapshot } from './axe';
import { leadOpensPodNorth, staffOpensPodNorth } from './people';

// Other browser tests share this demo database: what these tests change they put back.

test.use({ viewport: { width: 1366, height: 768 } });
test.describe.configure({ timeout: 90_000 });

async function teacherOnOwnLaptop(browser: Browser, email: string): Promise<Page> {
	const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
	await staffOpensPodNorth(page, email);
	return page;
}

async function opensDuties(page: Page) {
	await page.getByRole('link', { name: 'Duties', exact: true }).click();
	await expect(page.getByRole('heading', { name: 'Duties', level: 1 })).toBeVisible();
	await expect(page.getByText(/^Week of (Monday) \d{1,2} [A-Z][a-z]+$/)).toBeVisible();
}

/** The board's Duties region lists who does what now and next, each under its own heading. */
const rosterUnder = (region: Locator, when: 'Now' | 'Next') =>
	region.getByRole('heading', { level: 3, name: `${when} ·` }).locator('xpath=following-sibling::ul[1]');

test('the lead generates a week, swaps two duties, and the Duties region on a teacher’s board shows the change live', async ({
	browser,
	page
}) => {
	const daniel = await teacherOnOwnLaptop(browser, 'teacher1@demo.school');
	const region = daniel.getByRole('region', { name: 'Duties' });
	await expect(region.getByRole('link', { name: "The week's duties" })).toBeVisible();

	await leadOpensPodNorth(page);
	await opensDuties(page);
	await page.getByRole('button', { name: 'Generate the week' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Generated' })).toContainText(
		/Generated \d+ duties/
	);

	// The clock is real: in school hours (America/New_York) the region shows the block running
	// now; out of them, the next one; after Friday's last block, neither.
	const headings = await region.getByRole('heading', { level: 3 }).allTextContents();
	const when = headings.some((h) => h.startsWith('Now ·'))
		? 'Now'
		: headings.some((h) => h.startsWith('Next ·'))
			? 'Next'
			: null;
	test.info().annotations.push({ type: 'block', description: when ?? 'no block left this week' });

	const block = page.getByRole('combobox', { name: 'Block', exact: true });
	await expect(block).toBeVisible();
	const options = (await block.locator('option').allTextContents()).map((o) => o.trim());
	const choice = when
		? options.find((o) => o.endsWith(` · ${when.toLowerCase()}`))!
		: options[options.length - 1];
	expect(choice, `the swap form offers the ${when} block`).toBeTruthy();
	await block.selectOption({ label: choice });
	// 'Monday Afternoon 12:15–13:45 · next' → the cells' names, 'Daniel Reyes, Monday Afternoon'.
	const blockWords = choice.replace(/ \d\d:\d\d–\d\d:\d\d.*$/, '');
	const danielsCell = page.getByRole('combobox', { name: `Daniel Reyes, ${blockWords}`, exact: true });
	// Daniel trades with Priya, or, where they share a duty (both plan in a day's first block), the lead.
	const cellOf = (name: string) =>
		page.getByRole('combobox', { name: `${name}, ${blockWords}`, exact: true });
	const danielHad = await danielsCell.inputValue();
	const partner = (await cellOf('Priya Shah').inputValue()) !== danielHad ? 'Priya Shah' : 'Maya Okafor';
	const priyasCell = cellOf(partner);
	const priyaHad = await priyasCell.inputValue();
	expect(danielHad).not.toBe(priyaHad);
	const words = async (cell: Locator) => (await cell.locator('option:checked').textContent())!.trim();
	const [danielHadWords, priyaHadWords] = [await words(danielsCell), await words(priyasCell)];

	const roster = when ? rosterUnder(region, when) : null;
	if (roster) {
		await expect(roster.getByRole('listitem').filter({ hasText: 'You' })).toContainText(danielHadWords);
		await expect(roster.getByRole('listitem').filter({ hasText: partner })).toContainText(priyaHadWords);
	}

	const swap = async (first: string, second: string) => {
		await page.getByRole('combobox', { name: 'Teacher', exact: true }).selectOption({ label: first });
		await page.getByRole('combobox', { name: 'Swaps with', exact: true }).selectOption({ label: second });
		await page.getByRole('button', { name: 'Swap', exact: true }).click();
		await expect(page.getByRole('status').filter({ hasText: 'Swapped in' })).toContainText(
			`${first} now has`
		);
	};
	await swap('Daniel Reyes', partner);
	await expect(danielsCell).toHaveValue(priyaHad);
	await expect(priyasCell).toHaveValue(danielHad);

	if (roster) {
		// Live on Daniel's board, no reload.
		await expect(roster.getByRole('listitem').filter({ hasText: 'You' })).toContainText(priyaHadWords, {
			timeout: 5_000
		});
		await expect(roster.getByRole('listitem').filter({ hasText: partner })).toContainText(danielHadWords);
		await snapshot(daniel, 'duties-board-region', { fullPage: false });
	}

	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'duties', { fullPage: false });
	await snapshot(page, 'duties-whole-page');
	// The chart at the size it is drawn, for a closer look.
	await page
		.getByRole('region', { name: 'Workload' })
		.screenshot({ path: 'test-results/screens/duties-workload.png' });

	// Back as the rotation had it, for the other tests on this database.
	await swap('Daniel Reyes', partner);
	await expect(danielsCell).toHaveValue(danielHad);
	if (roster) {
		await expect(roster.getByRole('listitem').filter({ hasText: 'You' })).toContainText(danielHadWords, {
			timeout: 5_000
		});
	}
});

test('Generate the week asks first when duties were changed by hand, saying how many', async ({ page }) => {
	await leadOpensPodNorth(page);
	await opensDuties(page);
	const generate = page.getByRole('button', { name: 'Generate the week' });
	await generate.click();
	const dialog = page.getByRole('dialog', { name: 'Replace the changes made by hand?' });
	// The week before may have been generated with no change since: then it generates at once.
	if (await dialog.isVisible())
		await dialog.getByRole('button', { name: /^Replace (it|them) and generate$/ }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Generated' })).toBeVisible();

	// One duty changed by hand.
	const cell = page.getByRole('combobox', { name: /^Daniel Reyes, Monday / }).first();
	const had = await cell.inputValue();
	const other = had === 'observation' ? 'conferences' : 'observation';
	await cell.selectOption(other);
	await expect(page.getByRole('status').filter({ hasText: 'Daniel Reyes has' })).toBeVisible();

	await generate.click();
	await expect(dialog).toBeVisible();
	await expect(dialog).toContainText('This week has 1 duty set by hand since it was generated.');
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'duties-replace-hand-changes', { fullPage: false });
	await dialog.getByRole('button', { name: 'Cancel' }).click();
	await expect(dialog).toBeHidden();
	await expect(cell).toHaveValue(other);

	await generate.click();
	await dialog.getByRole('button', { name: 'Replace it and generate' }).click();
	await expect(dialog).toBeHidden();
	await expect(page.getByRole('status').filter({ hasText: 'Generated' })).toBeVisible();
	await expect(cell).toHaveValue(had);
});

test('a team teacher reads the week’s duties but cannot change them', async ({ page }) => {
	await staffOpensPodNorth(page, 'teacher1@demo.school');
	await opensDuties(page);
	const thisWeek = await page.getByText(/^Week of /).textContent();

	await expect(page.getByRole('table').first()).toBeVisible();
	await expect(page.getByRole('table', { name: 'Minutes per duty this week' })).toBeVisible();
	await expect(
		page.getByRole('img', { name: /^Minutes of each duty this week\. .*Daniel Reyes: \d+ minutes/ })
	).toBeVisible();
	await expect(page.getByRole('combobox')).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Generate the week' })).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Swap', exact: true })).toHaveCount(0);
	await expect(page.getByRole('heading', { name: 'Set out the day' })).toHaveCount(0);
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'duties-teacher', { fullPage: false });

	await page.getByRole('link', { name: 'Next week →' }).click();
	await expect(page).toHaveURL(/\?week=\d{4}-\d{2}-\d{2}$/);
	await expect(page.getByText(/^Week of /)).not.toHaveText(thisWeek!);
	await page.getByRole('link', { name: 'This week' }).click();
	await expect(page.getByText(/^Week of /)).toHaveText(thisWeek!);
});

test('the lead sets out a day: overlapping blocks are refused with the reason, and nothing changes', async ({
	page
}) => {
	await leadOpensPodNorth(page);
	await opensDuties(page);
	const editor = page.getByRole('region', { name: 'Set out the day' });
	await editor.getByRole('combobox', { name: 'Day', exact: true }).selectOption({ label: 'Tuesday' });
	await expect(editor.getByRole('button', { name: 'Save Tuesday' })).toBeVisible();
	await expect(editor.getByLabel('Block 1 name')).toHaveValue('Morning block');

	await editor.getByRole('button', { name: 'Add a block' }).click();
	await expect(editor.getByLabel('Block 5 starts')).toHaveValue('15:00');
	await editor.getByRole('button', { name: 'Remove block 5' }).click();
	await expect(editor.getByLabel('Block 5 starts')).toHaveCount(0);

	await editor.getByLabel('Block 1 ends').fill('10:30');
	await editor.getByRole('button', { name: 'Save Tuesday' }).click();
	await expect(editor.getByRole('alert')).toHaveText('Morning block and Mid-morning overlap.');
	await snapshot(page, 'duties-set-out-day');
	await expectNoSeriousAxeViolations(page);

	// Refused means unchanged: Tuesday's table still reads as the demo set it out.
	await page.reload();
	const tuesday = page.getByRole('table', { name: /^Tuesday / });
	await expect(tuesday.getByRole('rowheader').first()).toContainText('08:30–10:00');
	await expect(tuesday.getByRole('rowheader')).toHaveCount(4);
});
