import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousAxeViolations, snapshot } from './axe';
import { leadOpensPodNorth } from './people';

// Other browser tests share this database: everything made here has a name no one else uses.
const run = Date.now().toString(36).slice(-5).toUpperCase();

async function openLibraryAsLead(page: Page) {
	await leadOpensPodNorth(page);
	await page.getByRole('link', { name: 'Activity library' }).click();
	await expect(page.getByRole('heading', { name: 'Activity library', level: 1 })).toBeVisible();
}

test('the lead finds, creates, edits and archives an activity in the library', async ({ page }) => {
	await openLibraryAsLead(page);
	const activities = page.getByRole('table', { name: 'Activities in Pod North' });
	const filters = page.getByRole('search', { name: 'Find activities' });
	await expect(page.getByRole('link', { name: 'Back to Pod North' })).toBeVisible();
	await expect(activities.getByRole('row', { name: /Fractions practice 1/ })).toBeVisible();
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'library');

	// Search: by title, then by a skill code; the address keeps it.
	await filters.getByLabel('Search').fill('fraction strips');
	await filters.getByLabel('Search').press('Enter');
	await expect(page).toHaveURL(/search=fraction\+strips/);
	await expect(activities.getByRole('row', { name: /Equivalent fractions: fraction strips/ })).toBeVisible();
	await expect(activities.getByRole('row', { name: /Fractions practice 1/ })).toHaveCount(0);
	await filters.getByLabel('Search').fill('6.RP.3');
	await filters.getByLabel('Search').press('Enter');
	await expect(activities.getByRole('row', { name: /Ratio tables with a teacher/ })).toBeVisible();
	await expect(activities.getByRole('row', { name: /Fractions practice 1/ })).toHaveCount(0);
	await page.getByRole('link', { name: 'Clear filters' }).click();
	await expect(filters.getByLabel('Search')).toHaveValue('');

	// Filters apply as they are chosen, and a filtered view can be bookmarked.
	await filters.getByLabel('Subject').selectOption({ label: 'Science' });
	await expect(page).toHaveURL(/subject=science/);
	await filters.getByLabel('Kind').selectOption({ label: 'Assessment' });
	await filters.getByLabel('Grade', { exact: true }).selectOption({ label: '6' });
	await expect(page).toHaveURL(/kind=assessment/);
	await expect(activities.getByRole('row', { name: /Quiz: moon phases/ })).toBeVisible();
	await expect(activities.getByRole('row', { name: /Quiz: weathering and erosion/ })).toHaveCount(0);
	await expect(activities.getByRole('row', { name: /Moon phases journal/ })).toHaveCount(0);
	await page.reload();
	await expect(filters.getByLabel('Subject')).toHaveValue('science');
	await expect(filters.getByLabel('Grade', { exact: true })).toHaveValue('6');
	await expect(activities.getByRole('row', { name: /Quiz: moon phases/ })).toBeVisible();
	await filters.getByLabel('Skill').selectOption({ label: 'MS-ESS1-1 — Moon phases and eclipses' });
	await expect(activities.getByRole('row')).toHaveCount(2);
	await page.getByRole('link', { name: 'Clear filters' }).click();
	await expect(activities.getByRole('row', { name: /Fractions practice 1/ })).toBeVisible();

	// A new skill for the pod's list.
	const skills = page.getByRole('region', { name: 'Skills' });
	const code = `ESS-${run}`;
	await skills.getByLabel('Code').fill(code);
	await skills.getByLabel('Name').fill('Rocks and minerals');
	await skills.getByLabel('Subject').selectOption({ label: 'Science' });
	await skills.getByLabel('Grade').selectOption({ label: '5' });
	await skills.getByRole('button', { name: 'Add skill' }).click();
	await expect(skills.getByRole('row', { name: new RegExp(code) })).toBeVisible();
	// The same code twice is refused, in words.
	await skills.getByLabel('Code').fill(code);
	await skills.getByLabel('Name').fill('Again');
	await skills.getByRole('button', { name: 'Add skill' }).click();
	await expect(skills.getByRole('alert')).toHaveText(`Skill code ${code} is already in this pod's list`);

	// A new assessment with that skill.
	const title = `Rock cycle check ${run}`;
	await page.getByRole('button', { name: 'New activity' }).click();
	const form = page.getByRole('dialog', { name: 'New activity' });
	await expect(form).toBeVisible();
	await form.getByLabel('Title').fill(title);
	await form.getByLabel('Subject').selectOption({ label: 'Science' });
	await expect(form.getByLabel('Max score')).toHaveCount(0);
	await form.getByLabel('Kind').selectOption({ label: 'Assessment' });
	await form.getByLabel('Lowest grade').selectOption({ label: '4' });
	await form.getByLabel('Highest grade').selectOption({ label: '5' });
	await form.getByLabel('Minutes').fill('15');
	await form.getByLabel('Max score').fill('20');
	await form.getByLabel(`${code} Rocks and minerals`).check();
	await form.getByLabel('Resource link').fill('javascript:alert(1)');
	await expectNoSeriousAxeViolations(page);
	await form.getByRole('button', { name: 'Save activity' }).click();
	await expect(form.getByRole('alert')).toContainText('must be a web address starting with https://');
	await snapshot(page, 'library-form');
	await form.getByLabel('Resource link').fill('https://example.org/science/rock-cycle');
	await form.getByRole('button', { name: 'Save activity' }).click();
	await expect(form).toBeHidden();
	const row = activities.getByRole('row', { name: new RegExp(title) });
	await expect(row).toBeVisible();
	await expect(row).toContainText(code);
	await expect(row).toContainText('Assessment');
	await expect(row).toContainText('out of 20');
	await expect(row).toContainText('4–5');

	// Edit its title.
	const newTitle = `Rock cycle quiz ${run}`;
	await page.getByRole('button', { name: `Edit ${title}` }).click();
	const editForm = page.getByRole('dialog', { name: 'Edit activity' });
	await expect(editForm.getByLabel('Title')).toHaveValue(title);
	await expect(editForm.getByLabel(`${code} Rocks and minerals`)).toBeChecked();
	await editForm.getByLabel('Title').fill(newTitle);
	await editForm.getByRole('button', { name: 'Save activity' }).click();
	await expect(editForm).toBeHidden();
	await expect(activities.getByRole('row', { name: new RegExp(newTitle) })).toBeVisible();
	await expect(activities.getByRole('row', { name: new RegExp(title) })).toHaveCount(0);

	// Cancel leaves it as it was.
	await page.getByRole('button', { name: `Edit ${newTitle}` }).click();
	await editForm.getByLabel('Title').fill('Not saved');
	await editForm.getByRole('button', { name: 'Cancel' }).click();
	await expect(editForm).toBeHidden();
	await expect(activities.getByRole('row', { name: new RegExp(newTitle) })).toBeVisible();

	// Archive: gone from the default view, there under Archived, and back on restore.
	await page.getByRole('button', { name: `Archive ${newTitle}` }).click();
	await expect(page.getByRole('status').filter({ hasText: `Archived ${newTitle}` })).toBeVisible();
	await expect(activities.getByRole('row', { name: new RegExp(newTitle) })).toHaveCount(0);
	await filters.getByLabel('Show').selectOption({ label: 'Archived' });
	await expect(page).toHaveURL(/show=archived/);
	await expect(activities.getByRole('row', { name: new RegExp(newTitle) })).toBeVisible();
	await expect(page.getByRole('button', { name: `Restore ${newTitle}` })).toBeVisible();
	await expectNoSeriousAxeViolations(page);
	await page.getByRole('button', { name: `Restore ${newTitle}` }).click();
	await expect(activities.getByRole('row', { name: new RegExp(newTitle) })).toHaveCount(0);
	await filters.getByLabel('Show').selectOption({ label: 'Active' });
	await expect(activities.getByRole('row', { name: new RegExp(newTitle) })).toBeVisible();
});

test('a skill no activity uses can be deleted; one in use cannot', async ({ page }) => {
	await openLibraryAsLead(page);
	const skills = page.getByRole('region', { name: 'Skills' });
	await expect(skills.getByRole('button', { name: 'Delete 4.NF.1' })).toHaveCount(0);

	const code = `DEL-${run}`;
	await skills.getByLabel('Code').fill(code);
	await skills.getByLabel('Name').fill('A skill to delete');
	await skills.getByRole('button', { name: 'Add skill' }).click();
	await expect(skills.getByRole('row', { name: new RegExp(code) })).toBeVisible();
	await skills.getByRole('button', { name: `Delete ${code}` }).click();
	await expect(skills.getByRole('status')).toHaveText(`Deleted ${code} A skill to delete.`);
	await expect(skills.getByRole('row', { name: new RegExp(code) })).toHaveCount(0);
	await expectNoSeriousAxeViolations(page);
});
