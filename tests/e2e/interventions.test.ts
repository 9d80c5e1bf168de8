import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectNoSeriousAxeViolations, snapshot } from './axe';
import { leadOpensPodNorth, staffOpensPodNorth, studentOnOwnDevice } from './people';

// Other browser tests share this demo database: the students here are fourth graders no other
// test moves, chosen with no open flags so what appears is what these tests caused.

test.use({ viewport: { width: 1366, height: 768 } });
test.describe.configure({ timeout: 90_000 });

interface Student {
	id: string;
	name: string;
	grade: number;
	openFlags: number;
}

/** Fourth graders without flags whose "Given F." is theirs alone on the join page, from `skip` on. */
async function quietFourthGraders(page: Page, skip: number, count: number): Promise<Student[]> {
	const podId = page.url().split('/').pop()!;
	const input = encodeURIComponent(JSON.stringify({ podId }));
	const answer = await (await page.request.get(`/api/trpc/dashboard.heatmap?input=${input}`)).json();
	const students: Student[] = answer.result.data.students;
	const joinName = (name: string) => `${name.split(' ')[0]} ${name.split(' ')[1][0]}.`;
	return students
		.filter((s) => s.grade === 4 && s.openFlags === 0)
		.filter((s) => students.filter((o) => joinName(o.name) === joinName(s.name)).length === 1)
		.slice(skip, skip + count);
}

async function teacherOnOwnLaptop(browser: Browser, email: string): Promise<Page> {
	const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
	await staffOpensPodNorth(page, email);
	return page;
}

test('a student taps I’m stuck: the lead sees why, forms a group, and of two teachers claiming it at once one is told who has it', async ({
	browser,
	page
}) => {
	await leadOpensPodNorth(page);
	const flags = page.getByRole('region', { name: 'Flags' });
	const groups = page.getByRole('region', { name: 'Groups' });
	await expect(flags).toBeVisible();
	const [student] = await quietFourthGraders(page, 0, 1);

	const device = await studentOnOwnDevice(browser, student.name);
	const card = device
		.getByRole('list', { name: 'My playlist' })
		.getByRole('listitem')
		.filter({ has: device.getByRole('button', { name: "I'm stuck" }) })
		.first();
	const title = (await card.getByRole('heading').textContent())!.trim();
	await card.getByRole('button', { name: "I'm stuck" }).click();
	const tapped = Date.now();

	// Live, no reload: the flag, with its reason in words, within a second or so.
	// This tap's flag (the minute sweep may raise others for the student as time passes).
	const flag = flags.getByRole('listitem').filter({ hasText: student.name }).filter({ hasText: 'Tapped' });
	await expect(flag).toContainText(`Tapped “I’m stuck” on ${title} at`, { timeout: 5_000 });
	console.log(`stuck tap → lead's Flags region: ${Date.now() - tapped} ms`);
	await snapshot(page, 'board-flag-raised', { fullPage: false });

	// Form a group from that flag.
	await flag.getByRole('checkbox', { name: `Choose ${student.name}'s flag for a group` }).check();
	await flags.getByRole('button', { name: 'Form a group from 1 flag' }).click();
	const group = groups
		.getByRole('list', { name: 'Intervention groups' })
		.getByRole('listitem')
		.filter({ hasText: student.name });
	await expect(group).toContainText('No one yet');
	await expect(flag).toContainText('in a group');
	const groupTitle = (await group.locator('.title').textContent())!.replace('No one yet', '').trim();

	// Two teachers on their own laptops see the same group and claim it at the same moment.
	const [daniel, priya] = await Promise.all([
		teacherOnOwnLaptop(browser, 'teacher1@demo.school'),
		teacherOnOwnLaptop(browser, 'teacher2@demo.school')
	]);
	const claimOn = (teacher: Page) =>
		teacher
			.getByRole('region', { name: 'Groups' })
			.getByRole('button', { name: `Claim ${groupTitle}`, exact: true });
	await Promise.all([expect(claimOn(daniel)).toBeVisible(), expect(claimOn(priya)).toBeVisible()]);
	// Both buttons found first, then pressed in the same moment: waiting for each to be clickable
	// in turn let the first claim reach the other board live and take its button away, and that
	// click then waited for a button that was gone.
	const buttons = await Promise.all([claimOn(daniel).elementHandle(), claimOn(priya).elementHandle()]);
	await Promise.all(buttons.map((button) => button!.evaluate((element) => (element as HTMLElement).click())));

	const told = (teacher: Page, name: string) =>
		teacher
			.getByRole('region', { name: 'Groups' })
			.getByRole('alert')
			.filter({ hasText: `${name} has ${groupTitle}.` });
	const danielWon = await Promise.race([
		expect(told(priya, 'Daniel Reyes'))
			.toBeVisible({ timeout: 10_000 })
			.then(() => true),
		expect(told(daniel, 'Priya Shah'))
			.toBeVisible({ timeout: 10_000 })
			.then(() => false)
	]);
	const [winner, loser, winnerName] = danielWon
		? [daniel, priya, 'Daniel Reyes']
		: [priya, daniel, 'Priya Shah'];
	const winnersGroup = winner
		.getByRole('region', { name: 'Groups' })
		.getByRole('listitem')
		.filter({ hasText: student.name });
	await expect(winnersGroup).toContainText('Claimed · you');
	await expect(
		loser.getByRole('region', { name: 'Groups' }).getByRole('listitem').filter({ hasText: student.name })
	).toContainText(`Claimed · ${winnerName}`);
	// Everyone's board agrees, the lead's included.
	await expect(group).toContainText(`Claimed · ${winnerName}`);
	await snapshot(loser, 'board-claim-lost', { fullPage: false });

	// The winner runs the group and closes it: the flag goes with it.
	await winnersGroup.getByRole('button', { name: `Start ${groupTitle}` }).click();
	await expect(winnersGroup).toContainText('In session · you');
	await winnersGroup.getByRole('button', { name: `Finish ${groupTitle}` }).click();
	await winnersGroup.getByLabel('How it went').fill('Used fraction strips; ready to go on');
	await winnersGroup.getByRole('button', { name: 'Close the group' }).click();
	await expect(winnersGroup).toContainText('Outcome: Used fraction strips; ready to go on');
	await expect(flag).toHaveCount(0);
	await expectNoSeriousAxeViolations(page);
});

test('a student raises a hand; a teacher says they are going; the student sees who is coming', async ({
	browser,
	page
}) => {
	await leadOpensPodNorth(page);
	const queue = page.getByRole('region', { name: 'Help queue' });
	await expect(queue).toBeVisible();
	const [student] = await quietFourthGraders(page, 1, 1);

	const device = await studentOnOwnDevice(browser, student.name);
	await device.getByRole('button', { name: 'Raise hand' }).click();
	await expect(device.getByRole('status').filter({ hasText: 'Your hand is up' })).toBeVisible();

	const hand = queue.getByRole('listitem').filter({ hasText: student.name });
	await expect(hand).toContainText('waiting', { timeout: 5_000 });
	await hand.getByRole('button', { name: `I'll go to ${student.name}` }).click();
	await expect(hand).toContainText('You are going');
	await expect(device.getByText('Maya Okafor is coming.')).toBeVisible({ timeout: 5_000 });
	await snapshot(device, 'me-teacher-coming');
	await expectNoSeriousAxeViolations(device);

	await hand.getByRole('button', { name: `Helped ${student.name}` }).click();
	await hand.getByLabel('Note (optional)').fill('Showed a number line');
	await hand.getByRole('button', { name: 'Hand down' }).click();
	await expect(hand).toHaveCount(0);
	await expect(device.getByText('Maya Okafor is coming.')).toHaveCount(0, { timeout: 5_000 });
});

test('a student lowers their own hand, and it leaves the queue', async ({ browser, page }) => {
	await leadOpensPodNorth(page);
	const queue = page.getByRole('region', { name: 'Help queue' });
	const [student] = await quietFourthGraders(page, 2, 1);
	const device = await studentOnOwnDevice(browser, student.name);
	await device.getByRole('button', { name: 'Raise hand' }).click();
	await expect(queue.getByRole('listitem').filter({ hasText: student.name })).toBeVisible({ timeout: 5_000 });
	await device.getByRole('button', { name: 'Lower hand' }).click();
	await expect(device.getByText('Your hand is up')).toHaveCount(0);
	await expect(queue.getByRole('listitem').filter({ hasText: student.name })).toHaveCount(0, {
		timeout: 5_000
	});
});

test('the lead sets the flag rules; a team teacher reads them but cannot change them', async ({
	browser,
	page
}) => {
	await leadOpensPodNorth(page);
	await page.getByRole('link', { name: 'Flag rules' }).click();
	await expect(page.getByRole('heading', { name: 'Flag rules', level: 1 })).toBeVisible();
	const stuck = page.getByLabel('Stuck: an activity in progress with nothing new for (minutes)');
	await expect(stuck).toHaveValue('20');
	await stuck.fill('0');
	await page.getByRole('button', { name: 'Save the rules' }).click();
	// The browser itself holds back a number out of range; nothing is saved.
	expect(await stuck.evaluate((input: HTMLInputElement) => input.validity.rangeUnderflow)).toBe(true);
	await expect(page.getByRole('status')).not.toContainText('Saved.');
	await stuck.fill('25');
	await page.getByRole('button', { name: 'Save the rules' }).click();
	await expect(page.getByRole('status')).toContainText('Saved.');
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'flag-rules');

	const daniel = await teacherOnOwnLaptop(browser, 'teacher1@demo.school');
	await daniel.getByRole('link', { name: 'Flag rules' }).click();
	const seen = daniel.getByLabel('Stuck: an activity in progress with nothing new for (minutes)');
	await expect(seen).toHaveValue('25');
	await expect(seen).toBeDisabled();
	await expect(daniel.getByRole('button', { name: 'Save the rules' })).toHaveCount(0);

	// Back as the demo had it, for the other tests on this database.
	await stuck.fill('20');
	await page.getByRole('button', { name: 'Save the rules' }).click();
	await expect(page.getByRole('status')).toContainText('Saved.');
});

test('from students selected on the board: raise a flag with a reason, and form a group that meets at a set time', async ({
	page
}) => {
	await leadOpensPodNorth(page);
	const [first, second] = await quietFourthGraders(page, 3, 2);
	const grid = page.getByRole('grid', { name: 'Pod progress' });
	const select = async (name: string) => {
		const box = grid.getByRole('checkbox', { name: `Select ${name}` });
		await box.click();
		await expect(box).toBeChecked();
	};
	await select(first.name);
	await select(second.name);
	await expect(page.getByText('2 students selected')).toBeVisible();

	await page.getByRole('button', { name: 'Raise a flag' }).click();
	await page.getByLabel('Why').fill('Quiet after the fire drill; check in');
	await page.getByRole('button', { name: 'Flag', exact: true }).click();
	await expect(page.getByText('Flagged 2 students.')).toBeVisible();
	const flags = page.getByRole('region', { name: 'Flags' });
	for (const student of [first, second]) {
		await expect(
			flags.getByRole('listitem').filter({ hasText: student.name }).filter({ hasText: 'fire drill' })
		).toContainText('Quiet after the fire drill; check in — Maya Okafor');
	}

	await select(first.name);
	await select(second.name);
	await page.getByRole('button', { name: 'Form a group' }).click();
	await page.getByLabel('Meets at (optional)').fill('10:30');
	await page.getByRole('button', { name: 'Form the group' }).click();
	const group = page
		.getByRole('region', { name: 'Groups' })
		.getByRole('listitem')
		.filter({ hasText: first.name })
		.filter({ hasText: second.name });
	await expect(group).toContainText('Group of 2');
	await expect(group).toContainText('meets at 10:30');
});
