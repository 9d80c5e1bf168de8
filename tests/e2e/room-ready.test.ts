import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectNoSeriousAxeViolations, snapshot } from './axe';
import { heatmapOf } from './board-reading';
import { leadOpensPodNorth, studentOnOwnDevice } from './people';

// The board where it is used (issue 19): a tablet on the floor puts the hands first, the room's
// wall shows nothing private, the view survives Back and reload, and a student can take back a
// "Done". Other browser tests share this demo database: the students here are the last fourth
// graders (others take fourth graders from the front), each used by one test only.

test.describe.configure({ timeout: 120_000 });

const TABLET = { width: 1024, height: 768 };
const WALL = { width: 1920, height: 1080 };

/** Fourth graders from the end of the roster whose name on /join is theirs alone. */
async function lastFourthGraders(page: Page, skip: number, count: number) {
	const heatmap = await heatmapOf(page, page.url().split('/').pop()!);
	const joinName = (name: string) => `${name.split(' ')[0]} ${name.split(' ')[1][0]}.`;
	const unique = heatmap.students.filter(
		(s) => heatmap.students.filter((o) => joinName(o.name) === joinName(s.name)).length === 1
	);
	return unique
		.filter((s) => s.grade === 4)
		.reverse()
		.slice(skip, skip + count);
}

async function raiseHand(browser: Browser, name: string): Promise<Page> {
	const device = await studentOnOwnDevice(browser, name);
	await device.getByRole('button', { name: 'Raise hand' }).click();
	await expect(device.getByRole('status').filter({ hasText: 'Your hand is up' })).toBeVisible();
	return device;
}

test('on a tablet the hands come first: the oldest hand waiting is on the first screen, and the student’s panel answers it', async ({
	browser,
	page
}) => {
	await page.setViewportSize(TABLET);
	await leadOpensPodNorth(page);
	const [first, second] = await lastFourthGraders(page, 0, 2);
	await raiseHand(browser, first.name);
	await raiseHand(browser, second.name);

	const queue = page.getByRole('region', { name: 'Help queue' });
	const hands = queue.getByRole('listitem');
	const handOf = (name: string) => hands.filter({ hasText: name });
	await expect(handOf(second.name)).toBeVisible({ timeout: 5_000 });
	// Of the two, the one waiting longest comes first, above the board, without scrolling.
	const order = async () =>
		(await hands.allInnerTexts())
			.map((text) => [first.name, second.name].find((name) => text.includes(name)))
			.filter(Boolean);
	expect(await order()).toEqual([first.name, second.name]);
	const grid = page.getByRole('grid', { name: 'Pod progress' });
	const handBox = (await handOf(first.name).boundingBox())!;
	expect(handBox.y + handBox.height).toBeLessThanOrEqual(TABLET.height);
	expect(handBox.y).toBeLessThan((await grid.boundingBox())!.y);
	await snapshot(page, 'board-1024-hands-first', { fullPage: false });

	// Someone going to the first: the hand still waiting for someone comes before it.
	await handOf(first.name)
		.getByRole('button', { name: `I'll go to ${first.name}` })
		.click();
	await expect(handOf(first.name)).toContainText('You are going');
	await expect.poll(order).toEqual([second.name, first.name]);

	// From the second student's panel: I'll go, then Helped, without closing it.
	await grid.getByRole('rowheader', { name: second.name, exact: true }).click();
	const panel = page.getByRole('dialog', { name: second.name });
	await expect(panel.getByRole('heading', { name: 'Hand up' })).toBeVisible();
	await panel.getByRole('button', { name: `I'll go to ${second.name}` }).click();
	await expect(panel).toContainText('You are going');
	await expect(handOf(second.name)).toContainText('You are going');
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'board-1024-panel-hand', { fullPage: false });
	await panel.getByRole('button', { name: `Helped ${second.name}` }).click();
	await panel.getByLabel('Note (optional)').fill('Read the question aloud with her');
	await panel.getByRole('button', { name: 'Hand down' }).click();
	await expect(panel.getByRole('heading', { name: 'Hand up' })).toHaveCount(0);
	await expect(panel).toBeVisible();
	await expect(handOf(second.name)).toHaveCount(0);
	await panel.getByRole('button', { name: 'Close' }).click();
	await handOf(first.name)
		.getByRole('button', { name: `Helped ${first.name}` })
		.click();
	await handOf(first.name).getByRole('button', { name: 'Hand down' }).click();
	await expect(handOf(first.name)).toHaveCount(0);
});

test('projector mode on the wall: all 72 rows fit, nothing private shows or opens, and a reload keeps it', async ({
	page
}) => {
	await page.setViewportSize(WALL);
	await leadOpensPodNorth(page);
	const grid = page.getByRole('grid', { name: 'Pod progress' });
	await page.getByRole('button', { name: 'Projector mode' }).click();
	await expect(page).toHaveURL(/[?&]projector=on\b/);

	const wall = async () => {
		await expect(page.getByRole('button', { name: 'Projector mode' })).toHaveAttribute(
			'aria-pressed',
			'true'
		);
		// The site's bar, the board's tools and the team's rail are the team's, not the room's.
		await expect(page.getByRole('button', { name: 'Sign out' })).toBeHidden();
		await expect(page.getByRole('region', { name: 'Flags' })).toHaveCount(0);
		await expect(page.getByRole('region', { name: 'Help queue' })).toHaveCount(0);
		await expect(page.getByRole('checkbox')).toHaveCount(0);
		const rows = grid.getByRole('rowheader');
		await expect(rows).toHaveCount(72);
		const last = (await rows.last().boundingBox())!;
		expect(last.y + last.height, 'the last row on the wall without scrolling').toBeLessThanOrEqual(
			WALL.height
		);
		const text = await page.locator('body').innerText();
		expect(text).not.toMatch(/\d+ ?%|\d+\/\d+/);
		// No flag's reason in words (the day's notice may name the kinds of flag; no one's are shown).
		expect(text).not.toMatch(
			/Tapped “I’m stuck”|Scored \d|Hand up since|nothing since|Nothing on their playlist|must-dos? due/
		);
	};
	await wall();
	await page.mouse.move(0, 0);
	await snapshot(page, 'board-projector-1920', { fullPage: false });

	// A name and a cell clicked on the wall open nothing.
	await grid.getByRole('rowheader').nth(5).click();
	await grid.getByRole('gridcell').nth(40).click();
	await expect(page.getByRole('dialog')).toHaveCount(0);

	await page.reload();
	await wall();
	await page.getByRole('button', { name: 'Projector mode' }).click();
	await expect(page).not.toHaveURL(/projector=/);
	await expect(page.getByRole('region', { name: 'Flags' })).toBeVisible();
});

test('the board keeps its view in its address: a reload and Back from a student’s page return to it', async ({
	page
}) => {
	await page.setViewportSize({ width: 1440, height: 900 });
	await leadOpensPodNorth(page);
	const grid = page.getByRole('grid', { name: 'Pod progress' });
	await page.getByLabel('Sort by').selectOption({ label: 'Open flags (most first)' });
	await page.getByLabel('Grade', { exact: true }).selectOption({ index: 2 });
	const grade = await page.getByLabel('Grade', { exact: true }).inputValue();
	await page.getByRole('radio', { name: 'Skills' }).check();
	await expect(page).toHaveURL(new RegExp(`sort=flags.*grade=${grade}|grade=${grade}.*sort=flags`));
	const names = async () =>
		grid.getByRole('rowheader').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
	const shown = await names();

	const same = async () => {
		await expect(page.getByLabel('Sort by')).toHaveValue('flags');
		await expect(page.getByLabel('Grade', { exact: true })).toHaveValue(grade);
		await expect(page.getByRole('radio', { name: 'Skills' })).toBeChecked();
		await expect.poll(names).toEqual(shown);
	};
	await page.reload();
	await same();

	await grid.getByRole('rowheader').first().click();
	const name = shown[0]!;
	await page
		.getByRole('dialog', { name })
		.getByRole('link', { name: `Open ${name}'s playlist` })
		.click();
	await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
	await page.goBack();
	await same();

	// Every dropdown on the board is wide enough for its longest choice: none is cut off.
	const cut = await page.locator('main select').evaluateAll((selects) =>
		(selects as HTMLSelectElement[])
			.filter((select) => {
				const probe = document.createElement('span');
				probe.style.cssText = `position: absolute; white-space: nowrap; font: ${getComputedStyle(select).font}`;
				document.body.append(probe);
				const widest = Math.max(
					...[...select.options].map((option) => {
						probe.textContent = option.text;
						return probe.getBoundingClientRect().width;
					})
				);
				probe.remove();
				// Room for the text beside the dropdown's arrow.
				return select.clientWidth < widest + 16;
			})
			.map((select) => select.labels?.[0]?.textContent ?? select.id)
	);
	expect(cut).toEqual([]);

	// The page ends where the board does: no blank screens below it.
	const [scroll, end] = await page.evaluate(() => {
		const bottoms = [...document.querySelectorAll('main *')].map((e) => e.getBoundingClientRect().bottom);
		return [document.documentElement.scrollHeight, Math.max(...bottoms) + window.scrollY];
	});
	expect(scroll - end).toBeLessThan(100);
});

test('a student takes back a Done within minutes; a double tap records one event', async ({
	browser,
	page
}) => {
	await leadOpensPodNorth(page);
	const podId = page.url().split('/').pop()!;
	const [student] = await lastFourthGraders(page, 2, 1);
	const heatmap = await heatmapOf(page, podId);
	// Work without points to enter (the demo scores only its assessments): one tap on Done hands it in.
	const activityOf = (id: string) => heatmap.activities.find((a) => a.id === id)!;
	const cell = heatmap.cells.find(
		(c) =>
			c.studentId === student.id &&
			c.status === 'not_started' &&
			activityOf(c.activityId).kind !== 'assessment'
	)!;
	const title = activityOf(cell.activityId).title;

	const device = await studentOnOwnDevice(browser, student.name);
	await device.setViewportSize({ width: 360, height: 740 });
	const card = device.getByRole('list', { name: 'My playlist' }).getByRole('listitem', { name: title });
	// What the board's panel has of this student, newest first.
	const recent = async () => {
		const input = encodeURIComponent(JSON.stringify({ podId, studentId: student.id }));
		const panel = (await (await page.request.get(`/api/trpc/dashboard.student?input=${input}`)).json()).result
			.data as { recentEvents: { kind: string; title: string }[] };
		return panel.recentEvents.map((e) => `${e.kind} ${e.title}`);
	};
	const saved = () => expect(device.getByText('All your work is saved.')).toBeVisible({ timeout: 10_000 });

	// A double tap on Start: at the first tap Start becomes I'm stuck, right under the finger; the
	// second tap is the same tap, not "I'm stuck". Started, the card offers I'm stuck and, apart, Done.
	await card.getByRole('button', { name: 'Start' }).dblclick();
	await saved();
	await expect(card.getByRole('button', { name: 'Start' })).toHaveCount(0);
	await expect(card.getByRole('button', { name: "I'm stuck" })).toBeVisible();
	await expect(card).toContainText('Working on it');
	await expect.poll(async () => (await recent())[0]).toBe(`start ${title}`);
	expect((await recent()).filter((event) => event.endsWith(` ${title}`))).toEqual([`start ${title}`]);
	const before = await recent();

	// A double tap on Done: the card moves to Done at the first tap, and the second lands where it
	// was, on whatever slid there. One Done, and nothing else.
	await card.getByRole('button', { name: 'Done' }).dblclick();
	await saved();
	const undo = card.getByRole('button', { name: 'Undo Done' });
	await expect(undo).toBeVisible();
	await expect.poll(recent).toEqual([`submit ${title}`, ...before].slice(0, 15));
	await expectNoSeriousAxeViolations(device);
	await snapshot(device, 'me-360-undo-done', { fullPage: false });

	await undo.click();
	await expect(device.getByText('All your work is saved.')).toBeVisible({ timeout: 10_000 });
	await expect(card.getByRole('button', { name: 'Done' })).toBeVisible();
	await expect(card.getByRole('button', { name: 'Undo Done' })).toHaveCount(0);
	await expect
		.poll(async () => (await recent()).slice(0, 3))
		.toEqual([`undo_submit ${title}`, `submit ${title}`, `start ${title}`]);
	const grid = page.getByRole('grid', { name: 'Pod progress' });
	await expect(grid.getByRole('gridcell', { name: `${student.name} — ${title}: in progress` })).toBeVisible({
		timeout: 5_000
	});
});
