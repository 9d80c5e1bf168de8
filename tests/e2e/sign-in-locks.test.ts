import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousAxeViolations, snapshot } from './axe';
import { leadOpensPodNorth, staffOpensPodNorth } from './people';

// A child taps the wrong pictures until their name locks; the lead, walking the floor with a
// tablet, sees it on the board at once and unlocks it; the child signs in. Every browser test
// comes from one address, so the test leaves no lock behind.

type RosterEntry = { id: string; name: string; grade: number };

test.use({ viewport: { width: 1024, height: 768 } });

async function tapPictures(device: Page, pictures: string[]) {
	for (const picture of pictures) await device.getByRole('button', { name: picture, exact: true }).click();
}

test('a locked name shows on the lead’s board, live, and the lead unlocks it', async ({ browser, page }) => {
	await leadOpensPodNorth(page);
	const pods = await (await page.request.get('/api/trpc/pods.mine')).json();
	const podId: string = pods.result.data[0].id;
	const roster = await (
		await page.request.get(`/api/trpc/pods.roster?input=${encodeURIComponent(JSON.stringify({ podId }))}`)
	).json();
	// A sixth grader in the middle of the list: no other browser test signs in as them.
	const sixth = (roster.result.data as RosterEntry[]).filter((s) => s.grade === 6);
	const student = sixth.sort((a, b) => a.name.localeCompare(b.name))[Math.floor(sixth.length / 2)];
	const [given, family] = student.name.split(' ');
	await expect(page.getByRole('region', { name: /Sign-in locked/ })).toHaveCount(0);

	const device = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
	await device.goto('/join');
	await device.getByLabel('Pod code').fill('DEMO42');
	await device.getByRole('button', { name: 'Next' }).click();
	await device.getByRole('button', { name: `${given} ${family[0]}.`, exact: true }).click();
	for (let i = 0; i < 5; i++) {
		await tapPictures(device, ['moon', 'boat', 'fish']);
		await expect(
			device.getByText('Those pictures are not right. Try again, or ask a teacher.')
		).toBeVisible();
	}
	await tapPictures(device, ['cat', 'sun', 'tree']);
	await expect(
		device.getByText(
			/Too many wrong tries for your name on this network\. Ask a teacher to unlock you, or wait 1[45] minutes\./
		)
	).toBeVisible();
	await snapshot(device, 'join-locked', { fullPage: false });

	// The lead's board heard it: no reload.
	const locks = page.getByRole('region', { name: /Sign-in locked/ });
	await expect(locks).toBeVisible();
	await expect(locks.getByRole('button', { name: student.name, exact: true })).toBeVisible();
	await expect(locks).toContainText('5 wrong tries · locked on one network');
	await expectNoSeriousAxeViolations(page);
	await locks.scrollIntoViewIfNeeded();
	await snapshot(page, 'board-sign-in-locked', { fullPage: false });
	await locks.getByRole('button', { name: `Unlock ${student.name}` }).click();
	await expect(locks).toHaveCount(0);

	await tapPictures(device, ['cat', 'sun', 'tree']);
	await expect(device.getByRole('list', { name: 'My playlist' })).toBeVisible();
	await device.context().close();
});

test('a team teacher unlocks a locked student from the Roster page, in one tap', async ({
	browser,
	page
}) => {
	await staffOpensPodNorth(page, 'teacher1@demo.school');
	const podId = new URL(page.url()).pathname.split('/')[2];
	const roster = await (
		await page.request.get(`/api/trpc/pods.roster?input=${encodeURIComponent(JSON.stringify({ podId }))}`)
	).json();
	// Another sixth grader no other browser test signs in as: the one just before the middle.
	const sixth = (roster.result.data as RosterEntry[]).filter((s) => s.grade === 6);
	const student = sixth.sort((a, b) => a.name.localeCompare(b.name))[Math.floor(sixth.length / 2) - 1];

	// Five wrong tries from a device of its own lock the name here.
	const device = await browser.newContext();
	for (let i = 0; i < 5; i++) {
		const tried = await device.request.post('/api/trpc/auth.studentJoin', {
			data: { joinCode: 'DEMO42', studentId: student.id, pictures: ['moon', 'boat', 'fish'] },
			headers: { origin: 'http://127.0.0.1:4173' }
		});
		expect(tried.status()).toBe(401);
	}

	await page.getByRole('navigation', { name: 'Pod North' }).getByRole('link', { name: 'Roster' }).click();
	await expect(page.getByRole('heading', { name: 'Roster', level: 1 })).toBeVisible();
	const row = page.getByRole('row', { name: new RegExp(`^${student.name}\\b`) });
	await expect(row).toContainText(/Sign-in locked for 1[45] minutes/);
	await expectNoSeriousAxeViolations(page);
	await row.scrollIntoViewIfNeeded();
	await snapshot(page, 'roster-sign-in-locked', { fullPage: false });
	await row.getByRole('button', { name: `Unlock sign-in for ${student.name}` }).click();
	await expect(page.getByText(`${student.name} can sign in again.`)).toBeVisible();
	await expect(row.getByRole('button', { name: /^Unlock sign-in/ })).toHaveCount(0);

	const signedIn = await device.request.post('/api/trpc/auth.studentJoin', {
		data: { joinCode: 'DEMO42', studentId: student.id, pictures: ['cat', 'sun', 'tree'] },
		headers: { origin: 'http://127.0.0.1:4173' }
	});
	expect(signedIn.status()).toBe(200);
	await device.close();
});
