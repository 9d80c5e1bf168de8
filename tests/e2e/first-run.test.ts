import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousAxeViolations, snapshot } from './axe';
import { photograph, serverOfItsOwn } from './own-server';

// A real school's first day, as its IT person would go about it, following the README: the
// production build on an EMPTY database with PODBOARD_DEMO=0 (a server of this test's own, not the
// demo server the other browser tests share); `npm start` says how to make the first admin; the
// admin signs in, lands on /admin, creates a school and a pod, changes the pod code, archives the
// pod and restores it; then the whole first day: a team by invitation, two students by hand, their
// cards, a student signed in with hers, on the lead’s board. Every admin page is checked with axe,
// by keyboard where it matters, and photographed at 1366×768 and 360 px wide.

test.describe.configure({ mode: 'serial', timeout: 180_000 });
test.use({ viewport: { width: 1366, height: 768 } });

const ADMIN = { email: 'it@school.example', password: 'a long first password' };
const own = serverOfItsOwn('first-run', { demo: false });

/** The school's IT person signs in with the password `npm run admin:create` was given. */
async function adminSignsIn(page: Page) {
	await page.goto(`${own.server.origin}/login`);
	await page.getByLabel('Email').fill(ADMIN.email);
	await page.getByLabel('Password').fill(ADMIN.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
}

test('npm start on an empty database says the one command that makes the first admin', async () => {
	expect(own.server.output()).toContain('npm run admin:create -- <email>');
	expect(own.server.output()).not.toContain('podboard-demo');
	await promisify(execFile)('node_modules/.bin/tsx', ['scripts/admin-create.ts', ADMIN.email], {
		env: { ...process.env, DATABASE_URL: own.databaseUrl, PODBOARD_ADMIN_PASSWORD: ADMIN.password }
	});
});

test('the admin signs in, lands on /admin and creates a school and a pod; changes its code, archives and restores it', async ({
	page
}) => {
	await adminSignsIn(page);

	// No pods yet: straight to the admin's home.
	await expect(page).toHaveURL(`${own.server.origin}/admin`);
	await expect(page.getByRole('heading', { name: 'Pods and schools', level: 1 })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Create your first pod' })).toBeVisible();
	await expect(
		page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Pods and schools' })
	).toHaveAttribute('aria-current', 'page');
	await expectNoSeriousAxeViolations(page);
	await photograph(page, 'admin-first-run');

	// A school, by keyboard: type its name, Enter.
	await page.getByLabel('School name').fill('Lincoln Elementary');
	await page.getByLabel('School name').press('Enter');
	await expect(page.getByRole('heading', { name: 'Lincoln Elementary', level: 2 })).toBeVisible();
	await expect(page.getByRole('status').filter({ hasText: 'Lincoln Elementary is added.' })).toBeVisible();

	// The first pod, its form reached by keyboard.
	await page.getByRole('link', { name: 'Create your first pod' }).focus();
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { name: 'New pod', level: 1 })).toBeVisible();
	await expect(page.getByLabel('School', { exact: true })).toHaveValue(/.+/);
	await expect(page.getByLabel('School', { exact: true }).locator('option:checked')).toHaveText(
		'Lincoln Elementary'
	);
	await page.getByLabel('Pod name').fill('Pod West');
	await page.getByLabel('Lowest grade').selectOption('3');
	await page.getByLabel('Highest grade').selectOption('5');
	await page.getByLabel('Time zone').selectOption('America/Chicago');
	// A short Friday, and no Wednesday.
	await page.getByLabel('Friday ends').fill('12:30');
	await page.getByRole('checkbox', { name: 'Wednesday' }).uncheck();
	await expect(page.getByLabel('Wednesday starts')).toBeDisabled();
	await page.getByLabel('Students per adult').fill('22');
	await expectNoSeriousAxeViolations(page);
	await photograph(page, 'admin-new-pod');
	await page.getByRole('button', { name: 'Create pod' }).click();

	await expect(page.getByRole('heading', { name: 'Pod West', level: 1 })).toBeVisible();
	const ready = page.getByRole('status');
	await expect(ready).toContainText('Pod West is ready. Its pod code is');
	const code = (await page.locator('.big-code').textContent())!.trim();
	expect(code).toMatch(/^[ACEFGHJKMNPRTWXY34679]{6}$/);
	await expect(
		page.getByText('Lincoln Elementary · grades 3–5 · Mon, Tue, Thu 08:30–15:00; Fri 08:30–12:30')
	).toBeVisible();
	await expectNoSeriousAxeViolations(page);
	await photograph(page, 'admin-pod');

	// A new code: the old one is gone at once.
	page.once('dialog', (dialog) => dialog.accept());
	await page.getByRole('button', { name: 'New pod code' }).click();
	await expect(page.locator('.big-code')).not.toHaveText(code);
	const roster = await fetch(
		`${own.server.origin}/api/trpc/auth.joinRoster?input=${encodeURIComponent(JSON.stringify({ joinCode: code }))}`
	);
	expect(roster.status).toBe(404);

	// Archive, after a confirmation that says what it does; by keyboard, Escape first.
	await page.getByRole('button', { name: 'Archive Pod West…' }).focus();
	await page.keyboard.press('Enter');
	const dialog = page.getByRole('dialog', { name: 'Archive Pod West?' });
	await expect(dialog).toBeVisible();
	await expect(dialog).toContainText('makes it read-only');
	await expect(dialog).toContainText(
		'signs its students out, and its pod code and sign-in cards stop working'
	);
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'admin-archive-dialog-1366', { fullPage: false });
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
	await page.getByRole('button', { name: 'Archive Pod West…' }).click();
	await dialog.getByRole('button', { name: 'Archive Pod West' }).click();
	await expect(page.getByRole('heading', { name: /^Archived on / })).toBeVisible();
	await expectNoSeriousAxeViolations(page);

	// Off the lists: the admin's home shows it under Archived, and there is no pod to open.
	await page
		.getByRole('navigation', { name: 'Breadcrumb' })
		.getByRole('link', { name: 'Back to pods and schools' })
		.click();
	await expect(page.getByRole('heading', { name: 'Archived', level: 3 })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Create your first pod' })).toBeVisible();

	await page.getByRole('link', { name: 'Pod West' }).click();
	await page.getByRole('button', { name: 'Restore Pod West' }).click();
	await expect(page.getByRole('heading', { name: 'Pod code', level: 2 })).toBeVisible();
	await page.getByRole('link', { name: 'Back to pods and schools' }).click();
	const school = page.getByRole('region', { name: 'Lincoln Elementary' });
	await expect(school.getByRole('table', { name: 'Pods of Lincoln Elementary' })).toContainText('Pod West');
	await expect(school.getByRole('table', { name: 'Pods of Lincoln Elementary' })).toContainText('Grades 3–5');
	await expectNoSeriousAxeViolations(page);
	await photograph(page, 'admin-home');

	// Renaming the school, by keyboard.
	await school.getByRole('button', { name: 'Rename Lincoln Elementary' }).click();
	await expect(page.getByLabel('New name for Lincoln Elementary')).toBeFocused();
	await page.getByLabel('New name for Lincoln Elementary').fill('Lincoln Elementary School');
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { name: 'Lincoln Elementary School', level: 2 })).toBeVisible();

	// The pod's board, and its settings as the team sees them.
	await page.goto(`${own.server.origin}/pods`);
	await expect(page.getByRole('link', { name: 'Pods and schools' })).toBeVisible();
	await page.getByRole('link', { name: 'Pod West' }).click();
	await page
		.getByRole('navigation', { name: 'Pod West' })
		.getByRole('link', { name: 'Pod settings' })
		.click();
	await expect(page.getByRole('heading', { name: 'Pod settings', level: 1 })).toBeVisible();
	await expect(page.getByText('Lincoln Elementary School', { exact: true })).toBeVisible();
	await expect(page.getByText('America/Chicago')).toBeVisible();
	await expectNoSeriousAxeViolations(page);
	await photograph(page, 'pod-settings');
});

test('the whole first day: the admin puts a lead and a teacher on the pod; the lead sets a password by the invitation, adds two students by hand and prints their cards; a student signs in with the pictures on the card and is on the lead’s board', async ({
	browser,
	page
}) => {
	await adminSignsIn(page);
	await expect(page.getByRole('heading', { name: 'My pods' })).toBeVisible();
	await page.goto(`${own.server.origin}/admin`);
	await page.getByRole('link', { name: 'Pod West' }).click();
	const code = (await page.locator('.big-code').textContent())!.trim();
	await page
		.getByRole('navigation', { name: "Pod West's pages" })
		.getByRole('link', { name: 'Team' })
		.click();

	// A lead and a teacher: Name, Email, Role, Add to pod; each gets a link to hand over.
	const links: Record<string, string> = {};
	for (const [name, email, role] of [
		['Dana Whitfield', 'dana@lincoln.example', 'Lead facilitator'],
		['Sam Ortega', 'sam@lincoln.example', 'Team teacher']
	]) {
		await page.getByLabel('Name', { exact: true }).fill(name);
		await page.getByLabel('Email', { exact: true }).fill(email);
		await page.getByLabel('Role', { exact: true }).selectOption({ label: role });
		await page.getByRole('button', { name: 'Add to pod' }).click();
		const invitation = page.getByRole('region', { name: `Invitation link for ${name}` });
		await expect(invitation.getByLabel('Invitation link')).toHaveValue(/\/invite\//);
		links[name] = await invitation.getByLabel('Invitation link').inputValue();
	}
	await expect(page.getByText('Team teacher · Invited, until')).toBeVisible();

	// The lead, in a browser of their own: the invitation, a password, signed in.
	const leadContext = await browser.newContext({ viewport: { width: 1366, height: 768 } });
	const lead = await leadContext.newPage();
	await lead.goto(links['Dana Whitfield']);
	await lead.getByLabel('New password').fill('dana chose this password');
	await lead.getByLabel('Repeat password').fill('dana chose this password');
	await lead.getByRole('button', { name: 'Set password' }).click();
	await expect(lead.getByRole('heading', { name: 'My pods' })).toBeVisible();

	// Two students by hand on the pod's Roster page, then their cards.
	await lead.getByRole('link', { name: 'Pod West' }).click();
	await lead.getByRole('navigation', { name: 'Pod West' }).getByRole('link', { name: 'Roster' }).click();
	for (const [student, grade] of [
		['Lena Fischer', 'Grade 3'],
		['Omar Haddad', 'Grade 5']
	]) {
		await lead.getByLabel('Student name').fill(student);
		await lead.getByLabel('Grade').selectOption({ label: grade });
		await lead.getByRole('button', { name: 'Add student' }).click();
		await expect(lead.getByText(`${student} is in Pod West now`)).toBeVisible();
	}
	await lead.getByRole('link', { name: 'make and print sign-in cards' }).click();
	await expect(lead.getByRole('heading', { name: 'Sign-in cards', level: 1 })).toBeVisible();
	// Students added by hand can sign in with pictures already, which nobody has printed: the cards
	// draw new ones, and the page says so before it does.
	let asked = '';
	lead.once('dialog', (dialog) => {
		asked = dialog.message();
		void dialog.accept();
	});
	await lead.getByRole('button', { name: 'Make cards for 2 students without one' }).click();
	await expect.poll(() => asked).toContain('2 of them sign in with pictures now');
	const lena = lead.getByRole('article', { name: 'Lena Fischer', exact: true });
	const lenasPictures = lena.getByRole('list', { name: 'Lena’s pictures, in order' }).getByRole('listitem');
	await expect(lenasPictures).toHaveCount(3);
	const pictures = (await lenasPictures.allInnerTexts()).map((text) => text.replace(/^\d+\.\s*/, '').trim());
	await expect(lead.getByRole('button', { name: 'Print 2 new cards' })).toBeEnabled();
	await expectNoSeriousAxeViolations(lead);

	// Lena, on a Chromebook: the pod code, her name, the pictures on her card.
	const chromebook = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
	await chromebook.goto(`${own.server.origin}/join`);
	await chromebook.getByLabel('Pod code').fill(code);
	await chromebook.getByRole('button', { name: 'Next' }).click();
	await chromebook.getByRole('button', { name: 'Lena F.', exact: true }).click();
	for (const picture of pictures)
		await chromebook.getByRole('button', { name: picture, exact: true }).click();
	await expect(chromebook.getByRole('heading', { name: 'Hi, Lena!' })).toBeVisible();
	await chromebook.context().close();

	// The lead's board has both students, Lena among them.
	await lead.goto(`${own.server.origin}/pods`);
	await lead.getByRole('link', { name: 'Pod West' }).click();
	await expect(lead.getByText('2 students', { exact: true })).toBeVisible();
	await expect(
		lead.getByRole('grid', { name: 'Pod progress' }).getByRole('rowheader', { name: /Lena Fischer/ })
	).toBeVisible();
	await expectNoSeriousAxeViolations(lead);
	await snapshot(lead, 'first-day-board-1366', { fullPage: false });
	await leadContext.close();
});
