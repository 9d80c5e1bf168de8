import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousAxeViolations, snapshot } from './axe';
import { leadOpensPodNorth } from './people';

// The e2e database is shared with the other files: every check here is relative to what the
// page showed a moment before, never a global count.

test.use({ viewport: { width: 1366, height: 768 } });

const signInAsLead = leadOpensPodNorth;

// The pod's board is its roster: a student's row header opens their side panel, which links to
// their playlist page.
const board = (page: Page) => page.getByRole('grid', { name: 'Pod progress' });

async function openStudent(page: Page, name: string) {
	await board(page).getByRole('rowheader', { name, exact: true }).click();
	await page
		.getByRole('dialog', { name })
		.getByRole('link', { name: `Open ${name}'s playlist` })
		.click();
}

/** The names of one grade's students, as the board lists them. */
async function studentsInGrade(page: Page, grade: number): Promise<string[]> {
	const filter = page.getByLabel('Grade', { exact: true });
	await filter.selectOption(String(grade));
	const names = await board(page)
		.getByRole('rowheader')
		.evaluateAll((headers) => headers.map((h) => h.getAttribute('aria-label')!));
	await filter.selectOption({ label: 'All grades' });
	return names;
}

const playlistOf = (page: Page, name: string) => page.getByRole('list', { name: `Playlist for ${name}` });

test('the lead reorders, edits, adds to and removes from one student’s playlist', async ({ page }) => {
	await signInAsLead(page);
	const name = (await board(page).getByRole('rowheader').first().getAttribute('aria-label'))!;
	await openStudent(page, name);

	await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
	await expect(page.getByText(/^Grade \d+ · /)).toBeVisible();
	const items = playlistOf(page, name).getByRole('listitem');
	const count = await items.count();
	expect(count).toBeGreaterThanOrEqual(2);
	const first = (await items.first().locator('strong').textContent())!.trim();
	const second = (await items.nth(1).locator('strong').textContent())!.trim();

	// Move the first item down with its keyboard button: the order changes and is announced.
	const down = page.getByRole('button', { name: `Move ${first} down` });
	await down.focus();
	await page.keyboard.press('Enter');
	const announcement = page.getByRole('status');
	await expect(announcement).toHaveText(`${first} moved to position 2 of ${count}`);
	await expect(items.nth(0)).toContainText(second);
	await expect(items.nth(1)).toContainText(first);
	await expect(page.getByRole('button', { name: `Move ${first} down` })).toBeFocused();
	await page.reload();
	await expect(items.nth(1)).toContainText(first);

	// Drag the top item (now `second`) by its grip onto the lower half of the third.
	await items
		.nth(0)
		.getByTitle('Drag to reorder')
		.dragTo(items.nth(2), { targetPosition: { x: 300, y: 40 } });
	await expect(announcement).toHaveText(`${second} moved to position 3 of ${count}`);
	await expect(items.nth(0)).toContainText(first);
	await expect(items.nth(2)).toContainText(second);

	// Priority and due date.
	await page.getByLabel(`Priority for ${first}`).selectOption({ label: 'Aim high' });
	await expect(announcement).toHaveText(`${first}: Aim high`);
	await page.getByLabel(`Due date for ${first}`).fill('2026-12-11');
	await expect(announcement).toHaveText(`${first}: due 2026-12-11`);
	await page.reload();
	await expect(page.getByLabel(`Priority for ${first}`)).toHaveValue('aspire');
	await expect(page.getByLabel(`Due date for ${first}`)).toHaveValue('2026-12-11');

	// Add an activity that is not on the playlist yet, then take it off again.
	const activity = page.getByLabel('Activity', { exact: true });
	const title = (await activity.locator('option:not([disabled])').first().textContent())!.trim();
	await activity.selectOption({ label: title });
	await page.getByLabel('Priority', { exact: true }).selectOption({ label: 'Must do' });
	await page.getByLabel('Due date', { exact: true }).fill('2026-12-04');
	await page.getByRole('button', { name: 'Add to playlist' }).click();
	await expect(items).toHaveCount(count + 1);
	await expect(items.last()).toContainText(title);
	await expect(page.getByLabel(`Priority for ${title}`)).toHaveValue('must');
	await expect(announcement).toHaveText(`Added ${title} at the end of the playlist`);
	await expect(activity.locator('option', { hasText: title })).toHaveCount(0);
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'student-playlist');

	await page.getByRole('button', { name: `Remove ${title}` }).click();
	await expect(items).toHaveCount(count);
	await expect(announcement).toHaveText(`Removed ${title}`);
	await expect(page.getByRole('alert')).toHaveCount(0);
});

test('the lead assigns a quiz to grade 5: the preview counts, and only grade 5 gets it', async ({ page }) => {
	const quiz = 'Quiz: adding fractions';
	await signInAsLead(page);
	const [grade4] = await studentsInGrade(page, 4);
	await page.getByRole('link', { name: 'Assign to many' }).click();
	await expect(page.getByRole('heading', { name: 'Assign to many', level: 1 })).toBeVisible();

	await page.getByLabel('Find activities').fill('adding fractions');
	await page.getByRole('checkbox', { name: quiz, exact: true }).check();
	await page.getByRole('radio', { name: 'Grade', exact: true }).check();
	const preview = page.getByRole('region', { name: 'Preview' }).getByRole('status').first();
	await expect(preview).toContainText('Choose at least one grade.');
	await expect(page.getByRole('button', { name: 'Assign', exact: true })).toBeDisabled();
	await page.getByRole('checkbox', { name: /^Grade 5\b/ }).check();

	const sentence = preview.getByText(new RegExp(`^(\\d+) students? will get ${quiz}`));
	await expect(sentence).toBeVisible();
	const willGet = Number((await sentence.textContent())!.match(/^(\d+)/)![1]);
	expect(willGet).toBeGreaterThan(0);
	const sample = (await preview.getByText(/^Getting something new: /).textContent())!;
	const grade5 = sample
		.replace(/^Getting something new: /, '')
		.split(/, | and /)[0]
		.trim();
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'assign');

	await page.getByRole('button', { name: 'Assign', exact: true }).click();
	await expect(
		page.getByText(`Assigned ${quiz} to ${willGet === 1 ? '1 student' : `${willGet} students`}`)
	).toBeVisible();
	await expect(preview).toContainText(`Nobody new would get ${quiz}`);
	await expect(page.getByRole('button', { name: 'Assign', exact: true })).toBeDisabled();

	// A grade-5 student the preview named has it now; a grade-4 student does not.
	await page.getByRole('link', { name: '← Pod North' }).click();
	await openStudent(page, grade5);
	await expect(playlistOf(page, grade5).getByRole('listitem').filter({ hasText: quiz })).toHaveCount(1);
	await page.goBack();
	await openStudent(page, grade4);
	await expect(playlistOf(page, grade4)).toBeVisible();
	await expect(playlistOf(page, grade4).getByRole('listitem').filter({ hasText: quiz })).toHaveCount(0);
});
