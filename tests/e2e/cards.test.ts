import { expect, test } from '@playwright/test';
import { expectNoSeriousAxeViolations, snapshot } from './axe';
import { LANDING, leadOpensPodNorth } from './people';

// Sign-in cards, tried as a new lead would: make a student's card and print it, the student
// opens the card's QR link on their own Chromebook and is in, the lead voids the card and the
// link stops working. A new card changes the student's pictures, so this takes the last
// fifth grader by name, whom no other browser test signs in as (they sign in with cat, sun,
// tree); nobody else's pictures change.

type RosterEntry = { id: string; name: string; grade: number };

test.use({ viewport: { width: 1366, height: 768 } });

test('the lead prints a sign-in card, a student signs in with its link, the lead voids it and the link stops', async ({
	browser,
	page
}) => {
	await leadOpensPodNorth(page);
	const pods = await (await page.request.get('/api/trpc/pods.mine')).json();
	const podId: string = pods.result.data[0].id;
	const roster = await (
		await page.request.get(`/api/trpc/pods.roster?input=${encodeURIComponent(JSON.stringify({ podId }))}`)
	).json();
	const student = (roster.result.data as RosterEntry[])
		.filter((s) => s.grade === 5)
		.sort((a, b) => a.name.localeCompare(b.name))
		.at(-1)!;
	const given = student.name.split(' ')[0];

	await page
		.getByRole('navigation', { name: 'Pod North' })
		.getByRole('link', { name: 'Sign-in cards' })
		.click();
	await expect(page.getByRole('heading', { name: 'Sign-in cards', level: 1 })).toBeVisible();
	await expectNoSeriousAxeViolations(page);
	const card = page.getByRole('article', { name: student.name, exact: true });
	// Like every demo student, they sign in with pictures already: no "No card yet" for them.
	await expect(card).toContainText('Signs in with pictures; no printed card yet');
	await expect(card).not.toContainText('No card yet');
	// A new card replaces those pictures, so it asks first; saying no changes nothing.
	let asked = '';
	page.once('dialog', (dialog) => {
		asked = dialog.message();
		void dialog.dismiss();
	});
	await card.getByRole('button', { name: 'New card' }).click();
	await expect.poll(() => asked).toContain('signs in with pictures now');
	await expect(card).toContainText('Signs in with pictures; no printed card yet');

	// The link exists only in the answer that made the card; the page draws it as the QR code.
	page.on('dialog', (dialog) => dialog.accept());
	const issued = page.waitForResponse((response) => response.url().includes('/api/trpc/cards.issue'));
	await card.getByRole('button', { name: 'New card' }).click();
	const answer = await (await issued).json();
	// Batched: one answer per call in the batch.
	const link: string = (Array.isArray(answer) ? answer[0] : answer).result.data[0].link;
	expect(link).toMatch(/^http:\/\/127\.0\.0\.1:4173\/join\/card\/[A-Za-z0-9_-]{43}$/);
	await expect(card.getByRole('img', { name: `QR code that signs ${given} in` })).toBeVisible();
	const pictures = card.getByRole('list', { name: `${given}’s pictures, in order` }).getByRole('listitem');
	await expect(pictures).toHaveCount(3);
	await expect(card).toContainText('Pod code DEMO42');
	await expect(page.getByRole('button', { name: 'Print 1 new card' })).toBeEnabled();
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'cards', { fullPage: false });

	// On paper: the new card alone, no site header or buttons.
	await page.emulateMedia({ media: 'print' });
	await expect(page.getByRole('banner')).toBeHidden();
	await expect(card.getByRole('button', { name: 'New card' })).toBeHidden();
	await expect(card.getByRole('img', { name: `QR code that signs ${given} in` })).toBeVisible();
	await snapshot(page, 'cards-print');
	await page.emulateMedia({ media: 'screen' });

	// The lead tries the link in another tab of their laptop: asked first, and still signed in after.
	const tab = await page.context().newPage();
	await tab.goto(link);
	await expect(tab.getByRole('heading', { name: 'Sign in as a student?' })).toBeVisible();
	await expectNoSeriousAxeViolations(tab);
	await snapshot(tab, 'card-link-as-staff', { fullPage: false });
	await tab.getByRole('link', { name: /^Stay signed in as / }).click();
	await expect(tab.getByRole('heading', { name: 'My pods' })).toBeVisible();
	await tab.close();

	// The student's Chromebook opens the QR code's link: signed in, on their playlist, token gone.
	const device = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
	await device.goto(link);
	await expect(device).toHaveURL(/\/me$/);
	await expect(device.getByRole('list', { name: 'My playlist' })).toBeVisible();
	await expect(device.getByRole('heading', { name: `Hi, ${given}!` })).toBeVisible();
	await expect(card).toContainText('not used yet');

	await card.getByRole('button', { name: 'Void card' }).click();
	await expect(page.getByText(`${student.name}’s card is void.`)).toBeVisible();
	await expect(card).toContainText('Card voided');
	await expect(card.getByRole('button', { name: 'Void card' })).toHaveCount(0);

	await device.goto(link);
	await expect(device).toHaveURL(/\/join\/card\?ended$/);
	await expect(device.getByRole('heading', { name: 'This card does not work any more' })).toBeVisible();
	await expect(device.getByText('Ask your teacher for a new card.')).toBeVisible();
	await expectNoSeriousAxeViolations(device);
	await snapshot(device, 'card-void');
	// Voiding signed the student out too: a lost card may have been used already.
	await device.goto('/me');
	await expect(device).toHaveURL(/\/join/);
	await device.context().close();
});

test('a teacher who is not the lead is told the cards are the lead’s', async ({ page }) => {
	await page.goto('/login');
	await page.getByLabel('Email').fill('teacher2@demo.school');
	await page.getByLabel('Password').fill('podboard-demo');
	await page.getByRole('button', { name: 'Sign in' }).click();
	// A teacher of one pod lands on its board.
	await expect(page.getByRole('heading', { name: 'Pod North', level: 1 })).toBeVisible(LANDING);
	await page.getByRole('link', { name: 'Sign-in cards' }).click();
	await expect(page.getByText('Only the lead facilitator of Pod North can do this.')).toBeVisible();
	await expect(page.getByRole('button', { name: 'New card' })).toHaveCount(0);
});
