import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousAxeViolations, snapshot } from './axe';
import { LANDING } from './people';
import { photograph, serverOfItsOwn } from './own-server';

// A pod's team, as a school admin puts it together: the admin adds a lead to Pod North on the
// pod's Team page, copies the invitation link the page shows (no SMTP_URL here: nothing is
// emailed, and the page says so), and the new lead opens it in a browser of their own, sets a
// password and is on /pods. The demo database, on a server of this test's own: the other browser
// tests count Pod North's team. Each page is read by axe and photographed at 1366×768 and 360 px.

test.describe.configure({ mode: 'serial', timeout: 180_000 });
test.use({ viewport: { width: 1366, height: 768 } });

const own = serverOfItsOwn('team', { demo: true });

/** Staff sign in and land: a teacher of one pod on its board, an admin on My pods. */
async function signIn(page: Page, email: string, password = 'podboard-demo', lands = 'My pods') {
	await page.goto(`${own.server.origin}/login`);
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('heading', { name: lands, level: 1 })).toBeVisible(LANDING);
}

test('an admin adds a lead to a pod; the lead opens the invitation elsewhere, sets a password and is in', async ({
	browser
}) => {
	const adminContext = await browser.newContext({ viewport: { width: 1366, height: 768 } });
	await adminContext.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: own.server.origin });
	const page = await adminContext.newPage();
	await signIn(page, 'admin@demo.school');

	// The Staff section of the admin area: everyone, imported or not.
	await page.goto(`${own.server.origin}/admin`);
	await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Staff' }).click();
	await expect(page.getByRole('heading', { name: 'Staff', level: 1 })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Maya Okafor' })).toBeVisible();
	await expect(
		page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Staff' })
	).toHaveAttribute('aria-current', 'page');
	await expectNoSeriousAxeViolations(page);
	await photograph(page, 'admin-staff');

	// Pod North's Team page, from the pod's admin page.
	await page
		.getByRole('navigation', { name: 'Admin' })
		.getByRole('link', { name: 'Pods and schools' })
		.click();
	await page.getByRole('link', { name: 'Pod North' }).first().click();
	await page
		.getByRole('navigation', { name: "Pod North's pages" })
		.getByRole('link', { name: 'Team' })
		.click();
	await expect(page.getByRole('heading', { name: 'Team of Pod North', level: 1 })).toBeVisible();
	await expectNoSeriousAxeViolations(page);

	// A new lead: Name, Email, Role, Add to pod.
	await page.getByLabel('Name', { exact: true }).fill('Ines Moreau');
	await page.getByLabel('Email', { exact: true }).fill('ines.moreau@demo.school');
	await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Lead facilitator' });
	await page.getByRole('button', { name: 'Add to pod' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Ines Moreau has an account now' })).toBeVisible();
	const invitation = page.getByRole('region', { name: 'Invitation link for Ines Moreau' });
	await expect(invitation).toContainText(
		'Podboard does not send email here, so hand this link to Ines Moreau'
	);
	await expect(page.getByText('Lead facilitator · Invited, until')).toBeVisible();

	// Copied, as the admin would, to hand over.
	await invitation.getByRole('button', { name: 'Copy link' }).click();
	await expect(invitation.getByRole('status')).toContainText('Copied');
	const link = await page.evaluate(() => navigator.clipboard.readText());
	expect(link).toMatch(new RegExp(`^${own.server.origin}/invite/[A-Za-z0-9_-]{43}$`));
	await expect(invitation.getByLabel('Invitation link')).toHaveValue(link);
	await expectNoSeriousAxeViolations(page);
	await photograph(page, 'admin-team-invitation');

	// The lead, in a browser of their own.
	const leadContext = await browser.newContext({ viewport: { width: 1366, height: 768 } });
	const lead = await leadContext.newPage();
	await lead.goto(link);
	await expect(lead.getByRole('heading', { name: 'Set your password', level: 1 })).toBeVisible();
	await expect(lead.getByText('Ines Moreau')).toBeVisible();
	await expectNoSeriousAxeViolations(lead);
	await photograph(lead, 'invite');
	await lead.getByLabel('New password').fill('ines chose this password');
	await lead.getByLabel('Repeat password').fill('ines chose another one');
	await lead.getByRole('button', { name: 'Set password' }).click();
	await expect(lead.getByRole('alert')).toContainText('not the same');
	await lead.getByLabel('Repeat password').fill('ines chose this password');
	await lead.getByRole('button', { name: 'Set password' }).click();
	await expect(lead).toHaveURL(`${own.server.origin}/pods`);
	await expect(lead.getByRole('heading', { name: 'My pods' })).toBeVisible();
	await expect(lead.getByText('Lead facilitator')).toBeVisible();

	// The link is used up: opened again, it says so.
	const again = await (await browser.newContext()).newPage();
	await again.goto(link);
	await expect(again.getByRole('heading', { name: 'This link was already used', level: 1 })).toBeVisible();
	await expect(again.getByRole('alert')).toContainText('already used to set a password');
	await expectNoSeriousAxeViolations(again);
	await snapshot(again, 'invite-used-1366');

	// On the admin's page, Ines has a password now; Maya can go now that Ines leads too, but not
	// both: the last lead stays until another is named.
	await page.reload();
	await expect(page.getByText('Lead facilitator · Has a password')).toHaveCount(2);
	await page.getByRole('button', { name: 'Remove Ines Moreau' }).click();
	await expect(page.getByRole('button', { name: 'Remove Ines Moreau' })).toHaveCount(0);
	await page.getByRole('button', { name: 'Remove Maya Okafor' }).click();
	await expect(page.getByRole('alert')).toHaveText(
		"Maya Okafor is the pod's only lead; name another lead first."
	);

	await adminContext.close();
	await leadContext.close();
});

test("an admin resets a teacher's password by a new link, and cannot stop being the last admin", async ({
	page
}) => {
	await signIn(page, 'admin@demo.school');
	await page.goto(`${own.server.origin}/admin/staff`);
	await page.getByRole('link', { name: 'Daniel Reyes' }).click();
	await expect(page.getByRole('heading', { name: 'Daniel Reyes', level: 1 })).toBeVisible();
	await expectNoSeriousAxeViolations(page);
	await photograph(page, 'admin-staff-member');

	page.once('dialog', (dialog) => dialog.accept());
	await page.getByRole('button', { name: 'Reset password' }).click();
	const reset = page.getByRole('region', { name: 'Password reset link for Daniel Reyes' });
	await expect(reset).toContainText('hand this link to Daniel Reyes');
	await expect(reset.getByLabel('Password reset link')).toHaveValue(/\/invite\/[A-Za-z0-9_-]{43}$/);
	await expect(page.getByText('Reset link sent, until')).toBeVisible();

	await page.goto(`${own.server.origin}/admin/staff`);
	await page.getByRole('main').getByRole('link', { name: 'Sam Whitfield' }).click();
	await page.getByRole('button', { name: 'Stop being a school admin' }).click();
	await expect(page.getByRole('alert')).toHaveText(
		"Sam Whitfield is the school's last admin; make someone else an admin first."
	);
});

test('a signed-in teacher changes their own password; "Forgot your password?" without email says whom to ask', async ({
	page
}) => {
	await signIn(page, 'teacher2@demo.school', 'podboard-demo', 'Pod North');
	await page.getByRole('link', { name: 'Priya Shah' }).click();
	await expect(page.getByRole('heading', { name: 'Your account', level: 1 })).toBeVisible();
	await page.getByLabel('Current password').fill('podboard-demo');
	await page.getByLabel('New password', { exact: true }).fill('priya has a new one');
	await page.getByLabel('Repeat new password').fill('priya has a new one');
	await page.getByRole('button', { name: 'Change password' }).click();
	await expect(page.getByRole('status')).toContainText('Your password is changed. You stay signed in here');
	await expectNoSeriousAxeViolations(page);
	await photograph(page, 'account');

	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/login/);
	await page.getByRole('link', { name: 'Forgot your password?' }).click();
	await expect(page.getByRole('heading', { name: 'Forgot your password?', level: 1 })).toBeVisible();
	await expect(page.getByText('This Podboard does not send email')).toBeVisible();
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'forgot-no-email-1366');
	await signIn(page, 'teacher2@demo.school', 'priya has a new one', 'Pod North');
});
