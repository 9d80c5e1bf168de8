import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousAxeViolations, snapshot } from './axe';
import { LANDING } from './people';
import { photograph, serverOfItsOwn } from './own-server';

// A school without OneRoster, from the lead's side of the "Done means": the lead adds two
// students by hand on the pod's Roster page, makes and prints their sign-in cards, a student signs
// in on a Chromebook with the pictures on their card, and the lead sees them on the board. Then
// the school calendar: an admin adds today as a holiday, and the board says "No school today"
// with the next school day. The demo database, on a server of this file's own: other browser
// tests count Pod North's 72 students and rely on today being a school day or not.

test.describe.configure({ mode: 'serial', timeout: 180_000 });
test.use({ viewport: { width: 1366, height: 768 } });

const own = serverOfItsOwn('by-hand', { demo: true });

/** Staff sign in and land: a lead of one pod on its board, an admin on My pods. */
async function signIn(page: Page, email: string, lands = 'My pods') {
	await page.goto(`${own.server.origin}/login`);
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill('podboard-demo');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('heading', { name: lands, level: 1 })).toBeVisible(LANDING);
}

test('the lead adds two students by hand and prints their cards; one signs in with the pictures on the card and is on the board', async ({
	browser,
	page
}) => {
	await signIn(page, 'lead@demo.school', 'Pod North');
	await page.getByRole('navigation', { name: 'Pod North' }).getByRole('link', { name: 'Roster' }).click();
	await expect(page.getByRole('heading', { name: 'Roster', level: 1 })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Import the roster', level: 2 })).toBeVisible();
	await expectNoSeriousAxeViolations(page);

	// One name field: the last word is the family name, and the hint says so.
	const name = page.getByLabel('Student name');
	await expect(name).toHaveAccessibleDescription(/the last word is the family name/);
	await name.fill('Rosa Okonkwo-Byhand');
	await page.getByLabel('Grade').selectOption({ label: 'Grade 5' });
	await page.getByLabel('Cohort (optional)').fill('Blue');
	await page.getByRole('button', { name: 'Add student' }).click();
	await expect(page.getByText('Rosa Okonkwo-Byhand is in Pod North now (grade 5).')).toBeVisible();
	// The name field is ready for the next one; the grade stays.
	await expect(name).toBeFocused();
	await name.fill('Teo Byhand');
	await page.getByLabel('Grade').selectOption({ label: 'Grade 4' });
	await page.getByRole('button', { name: 'Add student' }).click();
	await expect(page.getByText('Teo Byhand is in Pod North now (grade 4).')).toBeVisible();

	// A name with no family name is refused, saying how to write it; nothing is added.
	await name.fill('Cher');
	await page.getByRole('button', { name: 'Add student' }).click();
	await expect(page.getByRole('alert')).toHaveText(
		'Write “Cher” with a family name too, like “Ana Ruiz”: the last word is the family name.'
	);
	const students = page.getByRole('table', { name: 'Students of Pod North' });
	await expect(students.getByRole('rowheader', { name: 'Rosa Okonkwo-Byhand' })).toBeVisible();
	await expect(students.getByRole('rowheader', { name: 'Teo Byhand' })).toBeVisible();
	await expect(students.getByRole('rowheader', { name: 'Cher' })).toHaveCount(0);
	await expect(page.getByRole('heading', { name: 'Students (74)' })).toBeVisible();
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'roster-by-hand-top', { fullPage: false });
	await photograph(page, 'roster-by-hand');

	// Their cards: the page the roster points to.
	await page.getByRole('link', { name: 'make and print sign-in cards' }).click();
	await expect(page.getByRole('heading', { name: 'Sign-in cards', level: 1 })).toBeVisible();
	const pictures: Record<string, string[]> = {};
	for (const [student, given] of [
		['Rosa Okonkwo-Byhand', 'Rosa'],
		['Teo Byhand', 'Teo']
	]) {
		const card = page.getByRole('article', { name: student, exact: true });
		// Added by hand, they can sign in with pictures already; nobody has them on paper yet, and a
		// new card (which draws new pictures) asks first.
		await expect(card).toContainText('Signs in with pictures; no printed card yet');
		page.once('dialog', (dialog) => void dialog.accept());
		await card.getByRole('button', { name: 'New card' }).click();
		await expect(card.getByRole('img', { name: `QR code that signs ${given} in` })).toBeVisible();
		const items = card.getByRole('list', { name: `${given}’s pictures, in order` }).getByRole('listitem');
		await expect(items).toHaveCount(3);
		pictures[student] = (await items.allInnerTexts()).map((text) => text.replace(/^\d+\.\s*/, '').trim());
	}
	await expect(page.getByRole('button', { name: 'Print 2 new cards' })).toBeEnabled();
	await expectNoSeriousAxeViolations(page);
	await page.emulateMedia({ media: 'print' });
	await expect(page.getByRole('article', { name: 'Teo Byhand', exact: true })).toBeVisible();
	await snapshot(page, 'cards-by-hand-print');
	await page.emulateMedia({ media: 'screen' });

	// Rosa, on a Chromebook: pod code, her name, the three pictures on her card.
	const device = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
	await device.goto(`${own.server.origin}/join`);
	await device.getByLabel('Pod code').fill('DEMO42');
	await device.getByRole('button', { name: 'Next' }).click();
	await device.getByRole('button', { name: 'Rosa O.', exact: true }).click();
	for (const picture of pictures['Rosa Okonkwo-Byhand'])
		await device.getByRole('button', { name: picture, exact: true }).click();
	await expect(device.getByRole('heading', { name: 'Hi, Rosa!' })).toBeVisible();
	await expect(device.getByText('Your playlist is empty. Ask a teacher what to work on.')).toBeVisible();
	await device.context().close();

	// The lead's board has her row.
	await page.goto(`${own.server.origin}/pods`);
	await page.getByRole('link', { name: 'Pod North' }).click();
	await expect(page.getByText('74 students', { exact: true })).toBeVisible();
	const grid = page.getByRole('grid', { name: 'Pod progress' });
	await expect(grid.getByRole('rowheader', { name: /Rosa Okonkwo-Byhand/ })).toBeVisible();
});

test('an admin moves a student to another pod of the school: the old pod’s roster loses them, the new one has them', async ({
	page
}) => {
	await signIn(page, 'admin@demo.school');
	// A second pod of Northside Demo School, grades 4–6.
	await page.goto(`${own.server.origin}/admin/pods/new`);
	await page.getByLabel('Pod name').fill('Pod East');
	await page.getByRole('button', { name: 'Create pod' }).click();
	await expect(page.getByRole('heading', { name: 'Pod East', level: 1 })).toBeVisible();

	await page.goto(`${own.server.origin}/pods`);
	await page.getByRole('link', { name: 'Pod North' }).click();
	await page.getByRole('navigation', { name: 'Pod North' }).getByRole('link', { name: 'Roster' }).click();
	await page.getByRole('button', { name: 'Move Teo Byhand' }).click();
	const form = page.getByRole('form', { name: 'Move Teo Byhand to another pod' });
	await expect(form.getByLabel('Move Teo Byhand to')).toHaveValue(/.+/);
	await expect(form.getByLabel('Grade there')).toHaveValue('4');
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'roster-move', { fullPage: false });
	await form.getByRole('button', { name: 'Move student' }).click();
	await expect(
		page.getByText(/^Teo Byhand is in Pod East now\. Their work so far stays in Pod North’s records\./)
	).toBeVisible();
	const students = page.getByRole('table', { name: 'Students of Pod North' });
	await expect(students.getByRole('rowheader', { name: 'Teo Byhand' })).toHaveCount(0);

	await page.goto(`${own.server.origin}/pods`);
	await page.getByRole('link', { name: 'Pod East' }).click();
	await page.getByRole('navigation', { name: 'Pod East' }).getByRole('link', { name: 'Roster' }).click();
	await expect(
		page.getByRole('table', { name: 'Students of Pod East' }).getByRole('rowheader', { name: 'Teo Byhand' })
	).toBeVisible();
});

test('an admin puts today on the school calendar as a holiday; the board says No school today, with the next school day', async ({
	page
}) => {
	await signIn(page, 'admin@demo.school');
	await page.goto(`${own.server.origin}/admin`);
	await page
		.getByRole('navigation', { name: 'Admin' })
		.getByRole('link', { name: 'School calendar' })
		.click();
	await expect(page.getByRole('heading', { name: 'School calendar', level: 1 })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Days off at Northside Demo School' })).toBeVisible();
	await expectNoSeriousAxeViolations(page);

	// The export's terms first: the long weekend between its semesters.
	await page
		.getByLabel('academicSessions.csv, or the export’s .zip')
		.setInputFiles(resolve('tests/fixtures/oneroster/sis-export/academicSessions.csv'));
	await expect(
		page.getByText('Add Between Fall 2026 and Spring 2027: Sat 16 Jan 2027 – Mon 18 Jan 2027')
	).toBeVisible();
	await page.getByRole('button', { name: 'Import the terms' }).click();
	await expect(page.getByText('Imported the terms: 1 day off added, 0 changed, 0 removed.')).toBeVisible();

	// Today, in the pod's time zone, by hand.
	const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date());
	await page.getByLabel('Name of the day off').fill('Snow day');
	await page.getByLabel('First day').fill(today);
	await page.getByRole('button', { name: 'Add day off' }).click();
	await expect(page.getByText(/^Snow day \(.+\) is on Northside Demo School’s calendar\.$/)).toBeVisible();
	const days = page.getByRole('list', { name: 'Days off at Northside Demo School' }).getByRole('listitem');
	await expect(days.filter({ hasText: 'Snow day' })).toContainText('Added here');
	await expect(days.filter({ hasText: 'Between Fall 2026 and Spring 2027' })).toContainText(
		'From the OneRoster terms'
	);
	await expectNoSeriousAxeViolations(page);
	await photograph(page, 'admin-calendar');

	// Pod North's board.
	await page.goto(`${own.server.origin}/pods`);
	await page.getByRole('link', { name: 'Pod North' }).click();
	const notice = page.getByRole('region', { name: 'No school today' });
	await expect(notice).toBeVisible();
	await expect(notice).toContainText('Snow day on the school calendar.');
	await expect(notice).toContainText(/The next school day is \w+day \d+ \w+, 08:30–15:00\./);
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'board-no-school-today', { fullPage: false });

	// Taken off again, the board says nothing of it (unless today is a weekend, when it says so).
	await page.goto(`${own.server.origin}/admin/calendar`);
	await page.getByRole('button', { name: 'Remove Snow day' }).click();
	await expect(page.getByText('Snow day is off the calendar: school as usual.')).toBeVisible();
	await page.goto(`${own.server.origin}/pods`);
	await page.getByRole('link', { name: 'Pod North' }).click();
	await expect(page.getByRole('heading', { name: 'Pod North', level: 1 })).toBeVisible();
	await expect(page.getByText('Snow day on the school calendar.')).toHaveCount(0);
});
