import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectNoSeriousAxeViolations, snapshot } from './axe';
import { CELL_NAME, cellName, heatmapOf, pickStudents, tap, type Status } from './board-reading';
import { leadOpensPodNorth, studentOnOwnDevice } from './people';
import { podTimeText } from '../../src/lib/pods/times';

// Other browser tests share this demo database and run before and after these: every check
// reads the board as it is now, and every student these tests move is one no other test uses.

const CHROMEBOOK = { width: 1366, height: 768 };
test.use({ viewport: CHROMEBOOK });
// Each test opens the whole board (72 students × their activities): a busy machine needs time.
test.describe.configure({ timeout: 120_000 });

async function openBoard(page: Page): Promise<{ podId: string; grid: Locator }> {
	await leadOpensPodNorth(page);
	const grid = page.getByRole('grid', { name: 'Pod progress' });
	await expect(grid).toBeVisible();
	await expect(page.getByText('Live', { exact: true })).toBeVisible();
	return { podId: page.url().split('/').pop()!, grid };
}

/** The accessible name of whatever has focus. */
const focusedName = (page: Page) =>
	page.evaluate(() => {
		const el = document.activeElement;
		return el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? null;
	});

const rowNames = (grid: Locator) =>
	grid.getByRole('rowheader').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));

test('the lead sees the whole pod on one board, named for a screen reader and moved through by keyboard', async ({
	page
}) => {
	const { podId, grid } = await openBoard(page);
	const heatmap = await heatmapOf(page, podId);

	await expect(page.getByRole('heading', { name: 'Pod North', level: 1 })).toBeVisible();
	await expect(page.getByText('72 students', { exact: true })).toBeVisible();
	await expect(grid.getByRole('rowheader')).toHaveCount(72);
	await expect(grid.getByRole('columnheader')).toHaveCount(heatmap.activities.length + 1);
	for (const activity of heatmap.activities.slice(0, 3)) {
		await expect(grid.getByRole('columnheader', { name: activity.title, exact: true })).toHaveCount(1);
	}

	// Every cell is named "<student> — <activity>: <status>[, <score>%[, self-reported]]", assigned or not.
	const names = await grid
		.getByRole('gridcell')
		.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
	expect(names).toHaveLength(72 * heatmap.activities.length);
	expect(names.filter((name) => !CELL_NAME.test(name ?? ''))).toEqual([]);
	// A score a teacher marked, and one a student typed, which reads (and looks) self-reported.
	for (const source of ['teacher', 'self'] as const) {
		const scored = heatmap.cells.find((c) => c.score !== null && c.scoreSource === source)!;
		const student = heatmap.students.find((s) => s.id === scored.studentId)!;
		const activity = heatmap.activities.find((a) => a.id === scored.activityId)!;
		const cell = grid.getByRole('gridcell', {
			name: cellName(student.name, activity.title, scored.status, scored.score, source),
			exact: true
		});
		await expect(cell).toHaveCount(1);
		await expect(cell).toHaveCSS('font-style', source === 'self' ? 'italic' : 'normal');
	}

	// One cell in the tab order; arrow keys, Home and End move it.
	await expect(grid.locator('[tabindex="0"]')).toHaveCount(1);
	const firstRow = grid.getByRole('row').nth(1);
	const secondRow = grid.getByRole('row').nth(2);
	await firstRow.getByRole('gridcell').first().focus();
	expect(await focusedName(page)).toBe(
		await firstRow.getByRole('gridcell').first().getAttribute('aria-label')
	);
	await page.keyboard.press('ArrowRight');
	expect(await focusedName(page)).toBe(
		await firstRow.getByRole('gridcell').nth(1).getAttribute('aria-label')
	);
	await page.keyboard.press('ArrowDown');
	expect(await focusedName(page)).toBe(
		await secondRow.getByRole('gridcell').nth(1).getAttribute('aria-label')
	);
	await page.keyboard.press('ArrowLeft');
	await page.keyboard.press('ArrowLeft');
	expect(await focusedName(page)).toBe(await secondRow.getByRole('rowheader').getAttribute('aria-label'));
	await page.keyboard.press('End');
	expect(await focusedName(page)).toBe(
		await secondRow.getByRole('gridcell').last().getAttribute('aria-label')
	);
	await page.keyboard.press('Home');
	expect(await focusedName(page)).toBe(await secondRow.getByRole('rowheader').getAttribute('aria-label'));
	await page.keyboard.press('ArrowUp');
	await page.keyboard.press('ArrowUp');
	expect(await focusedName(page)).toBe('Student Must-dos');
	await expect(grid.locator('[tabindex="0"]')).toHaveCount(1);

	// The first render is timed for the benchmark.
	const measured = await page.evaluate(
		() => performance.getEntriesByName('podboard:board-first-render').length
	);
	expect(measured).toBe(1);

	await expectNoSeriousAxeViolations(page);
	await page.mouse.move(0, 0);
	await snapshot(page, 'board');
});

test('the board sorts, filters, groups by grade and switches to skills', async ({ page }) => {
	const { podId, grid } = await openBoard(page);
	const heatmap = await heatmapOf(page, podId);
	const gradeOf = new Map(heatmap.students.map((s) => [s.name, s.grade]));

	const byName = [...heatmap.students.map((s) => s.name)].sort((a, b) =>
		a.localeCompare(b, 'en', { sensitivity: 'base' })
	);
	expect(await rowNames(grid)).toEqual(byName);

	await page.getByLabel('Sort by').selectOption({ label: 'Grade' });
	const grades = (await rowNames(grid)).map((name) => gradeOf.get(name!)!);
	expect(grades).toEqual([...grades].sort((a, b) => a - b));
	expect(new Set(grades).size).toBe(3);

	const fifth = heatmap.students.filter((s) => s.grade === 5);
	await page.getByLabel('Grade', { exact: true }).selectOption({ label: `Grade 5 (${fifth.length})` });
	await expect(grid.getByRole('rowheader')).toHaveCount(fifth.length);
	expect((await rowNames(grid)).every((name) => gradeOf.get(name!) === 5)).toBe(true);

	// A status keeps the students with at least one activity in it.
	await page.getByLabel('Grade', { exact: true }).selectOption({ label: 'All grades' });
	await page.getByLabel('Status').selectOption({ label: 'Stuck' });
	const stuck = new Set(heatmap.cells.filter((c) => c.status === 'stuck').map((c) => c.studentId));
	await expect(grid.getByRole('rowheader')).toHaveCount(stuck.size);
	await page.getByRole('button', { name: 'Clear filters' }).click();
	await expect(grid.getByRole('rowheader')).toHaveCount(72);

	await page.getByLabel('Group by grade').check();
	for (const grade of [4, 5, 6]) {
		await expect(
			grid.getByRole('rowheader', { name: new RegExp(`^Grade ${grade} · \\d+ students$`) })
		).toHaveCount(1);
	}
	await page.getByLabel('Group by grade').uncheck();

	await page.getByRole('radio', { name: 'Skills' }).check();
	const practised = heatmap.skills.filter((k) => heatmap.activities.some((a) => a.skillIds.includes(k.id)));
	await expect(grid.getByRole('columnheader')).toHaveCount(practised.length + 1);
	const skill = practised[0];
	await expect(
		grid.getByRole('columnheader', { name: `${skill.code} ${skill.name}`, exact: true })
	).toHaveCount(1);
	const skillNames = await grid
		.getByRole('gridcell')
		.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
	expect(skillNames).toHaveLength(72 * practised.length);
	// "<student> — <code> <skill>: 1/2 1 below — 1 mastered, 1 below the bar": what the cell
	// shows, then each kind of work; failed work is below the bar, not done. With checked or
	// marked results, the student's mastery first: "72% proficient — 1 mastered, 1 not started".
	const work = '(not assigned|\\d+ [a-z ]+(, \\d+ [a-z ]+)*)';
	const skillName = new RegExp(
		`^[^—]+ — \\S+ .+: (not assigned|\\d+/\\d+( \\d+ below)? — ${work}|\\d+% (mastered|proficient|practicing|not yet) — ${work})$`
	);
	expect(skillNames.filter((name) => !skillName.test(name ?? ''))).toEqual([]);
	for (const shows of [/: \d+% (mastered|proficient|practicing|not yet) — /, /: \d+\/\d+ /]) {
		const cell = grid.getByRole('gridcell', { name: shows });
		expect(await cell.count()).toBeGreaterThan(0);
		// On screen: a row far down is not rendered until it is (its text reads empty).
		await cell.first().scrollIntoViewIfNeeded();
		const [shown, named] = await cell
			.first()
			.evaluate((e) => [(e as HTMLElement).innerText, e.getAttribute('aria-label')]);
		expect(named).toContain(`: ${shown.replace('\n', ' ')} `);
	}
	await expectNoSeriousAxeViolations(page, { experimental: ['label-content-name-mismatch'] });
	await page.setViewportSize({ width: 1440, height: 900 });
	await page.mouse.move(0, 0);
	await snapshot(page, 'board-skills-1440', { fullPage: false });
	await page.setViewportSize(CHROMEBOOK);
	await page.getByRole('radio', { name: 'Activities' }).check();
	await expect(grid.getByRole('columnheader')).toHaveCount(heatmap.activities.length + 1);
});

test('projector mode shows first names and initials, and no scores', async ({ page }) => {
	const { podId, grid } = await openBoard(page);
	const heatmap = await heatmapOf(page, podId);
	const cellTexts = () =>
		grid.getByRole('gridcell').evaluateAll((els) => els.map((e) => e.textContent!.trim()).filter(Boolean));
	expect((await cellTexts()).length).toBeGreaterThan(0);

	const projector = page.getByRole('button', { name: 'Projector mode' });
	await expect(projector).toHaveAttribute('aria-pressed', 'false');
	await projector.click();
	await expect(projector).toHaveAttribute('aria-pressed', 'true');

	const first = grid.getByRole('rowheader').first();
	const full = (await first.getAttribute('aria-label'))!;
	const [given, family] = [full.split(' ')[0], full.split(' ').slice(1).join(' ')];
	await expect(first).toHaveText(new RegExp(`^${given} ${family[0]}[a-z]*\\.?$`), { useInnerText: true });
	expect(await cellTexts()).toEqual([]);
	// No per-student numbers beside the names either: must-dos done, open flags.
	const shown = await grid
		.getByRole('rowheader')
		.evaluateAll((els) => els.map((e) => (e as HTMLElement).innerText.trim()));
	expect(shown.filter((text) => /\d/.test(text) && !/^Grade \d+/.test(text))).toEqual([]);
	// Names for a screen reader stay whole.
	expect(heatmap.students.map((s) => s.name)).toContain(full);

	await expectNoSeriousAxeViolations(page);
	await page.mouse.move(0, 0);
	await snapshot(page, 'board-projector');
	await projector.click();
	expect((await cellTexts()).length).toBeGreaterThan(0);
});

test('a cell opens the student in a side panel; Escape closes it and returns to the cell', async ({
	page
}) => {
	const { podId, grid } = await openBoard(page);
	const row = grid.getByRole('row').nth(3);
	const name = (await row.getByRole('rowheader').getAttribute('aria-label'))!;
	const cell = row.getByRole('gridcell').nth(4);
	const cellLabel = await cell.getAttribute('aria-label');

	await cell.click();
	const panel = page.getByRole('dialog', { name });
	await expect(panel).toBeVisible();
	await expect(page).toHaveURL(new RegExp(`/pods/${podId}$`));
	await expect(panel.getByRole('heading', { name: 'Playlist' })).toBeVisible();
	await expect(panel.getByRole('heading', { name: 'Recent activity' })).toBeVisible();
	await expect(panel.getByRole('heading', { name: 'Open flags' })).toBeVisible();
	await expect(panel.getByRole('listitem').first()).toBeVisible();
	const link = panel.getByRole('link', { name: `Open ${name}'s playlist` });
	await expect(link).toHaveAttribute('href', new RegExp(`^/pods/${podId}/students/[0-9a-f-]{36}$`));
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'board-panel');

	await page.keyboard.press('Escape');
	await expect(panel).toBeHidden();
	expect(await focusedName(page)).toBe(cellLabel);

	// From the keyboard: Enter on a row header opens it, Close closes it.
	await page.keyboard.press('Home');
	await page.keyboard.press('Enter');
	await expect(panel).toBeVisible();
	await panel.getByRole('button', { name: 'Close' }).click();
	await expect(panel).toBeHidden();
	expect(await focusedName(page)).toBe(name);

	await row.getByRole('rowheader').click();
	await page
		.getByRole('dialog', { name })
		.getByRole('link', { name: `Open ${name}'s playlist` })
		.click();
	await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
});

test('the side panel gives scores as percents and times on the pod’s clock, on a device in another time zone', async ({
	browser,
	page
}) => {
	// Pod North keeps New York time; this teacher's laptop is set to Tokyo's.
	const { podId } = await openBoard(page);
	const heatmap = await heatmapOf(page, podId);
	type Panel = {
		recentEvents: {
			kind: string;
			title: string;
			score: number | null;
			maxScore: number | null;
			at: string;
		}[];
	};
	const panelOf = async (studentId: string): Promise<Panel> => {
		const input = encodeURIComponent(JSON.stringify({ podId, studentId }));
		return (await (await page.request.get(`/api/trpc/dashboard.student?input=${input}`)).json()).result.data;
	};
	// A student whose recent activity has a quiz handed in for points (out of 10 or 20).
	let found: { name: string; title: string; percent: number; at: string } | undefined;
	for (const student of heatmap.students) {
		const scored = heatmap.cells.some(
			(c) =>
				c.studentId === student.id &&
				c.score !== null &&
				/^(Quiz|Unit test):/.test(heatmap.activities.find((a) => a.id === c.activityId)!.title)
		);
		if (!scored) continue;
		const submit = (await panelOf(student.id)).recentEvents.find(
			(e) => e.kind === 'submit' && e.score !== null && e.maxScore !== null && e.maxScore !== 100
		);
		if (submit) {
			const percent = Math.round((submit.score! / submit.maxScore!) * 100);
			found = { name: student.name, title: submit.title, percent, at: submit.at };
			break;
		}
	}
	expect(found, 'a student with a quiz handed in').toBeDefined();
	const { name, title, percent, at } = found!;

	const tokyo = await browser.newContext({ viewport: CHROMEBOOK, timezoneId: 'Asia/Tokyo' });
	const laptop = await tokyo.newPage();
	await leadOpensPodNorth(laptop);
	await laptop
		.getByRole('grid', { name: 'Pod progress' })
		.getByRole('rowheader', { name, exact: true })
		.click();
	const panel = laptop.getByRole('dialog', { name });
	const event = panel
		.getByRole('listitem')
		.filter({ hasText: `Finished ${title}, ${percent}%` })
		.first();
	await expect(event).toBeVisible();
	// The pod's wall clock, not the laptop's: "14:23" today, "Sat 14:23" another day.
	const shown = podTimeText(at, new Date(), 'America/New_York');
	expect(shown).not.toBe(podTimeText(at, new Date(), 'Asia/Tokyo'));
	await expect(event).toContainText(shown);
	await expectNoSeriousAxeViolations(laptop);
	await snapshot(laptop, 'board-panel-tokyo', { fullPage: false });
	await tokyo.close();
});

test('students selected on the board go to the assign page chosen', async ({ page }) => {
	const { grid } = await openBoard(page);
	const names = (await rowNames(grid)) as string[];

	await grid.getByRole('checkbox', { name: `Select ${names[0]}` }).click();
	await expect(page.getByText('1 student selected')).toBeVisible();
	await grid.getByRole('checkbox', { name: `Select ${names[2]}` }).click({ modifiers: ['Shift'] });
	await expect(page.getByText('3 students selected')).toBeVisible();
	await expect(grid.getByRole('row', { selected: true })).toHaveCount(3);
	await page.getByRole('button', { name: 'Clear selection' }).click();
	await expect(grid.getByRole('row', { selected: true })).toHaveCount(0);

	// The mouse on one, Space on a focused cell for another.
	await grid.getByRole('checkbox', { name: `Select ${names[1]}` }).click();
	await grid.getByRole('row').nth(5).getByRole('gridcell').nth(2).focus();
	await page.keyboard.press('Space');
	await expect(page.getByText('2 students selected')).toBeVisible();
	await expect(grid.getByRole('checkbox', { name: `Select ${names[4]}` })).toBeChecked();

	await page.getByRole('link', { name: 'Assign an activity' }).click();
	await expect(page).toHaveURL(/\/assign\?student=[0-9a-f-]{36}&student=[0-9a-f-]{36}$/);
	await expect(page.getByText('2 students chosen')).toBeVisible();
	const students = page.getByRole('list', { name: 'Students' });
	for (const name of [names[1], names[4]]) {
		await expect(students.getByRole('checkbox', { name: new RegExp(`^${name} ·`) })).toBeChecked();
	}
});

test('a student starting an activity changes that cell on the board, live', async ({ browser, page }) => {
	const { podId, grid } = await openBoard(page);
	const [{ student, activity }] = pickStudents(await heatmapOf(page, podId), 1, 0);
	const cell = (status: Status) =>
		grid.getByRole('gridcell', { name: cellName(student.name, activity.title, status) });
	await expect(cell('not_started')).toHaveCount(1);
	await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

	const device = await studentOnOwnDevice(browser, student.name);
	await tap(device, activity.title, 'Start');

	await expect(cell('in_progress')).toHaveCount(1, { timeout: 5_000 });
	await expect(cell('not_started')).toHaveCount(0);
	expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
	const changes = await page.evaluate(() => performance.getEntriesByName('podboard:live-change').length);
	expect(changes).toBeGreaterThan(0);
	await device.context().close();
});

test('a board that lost its connection catches up on everything it missed, without a reload', async ({
	browser,
	page
}) => {
	const { podId, grid } = await openBoard(page);
	const picks = pickStudents(await heatmapOf(page, podId), 3, 3);
	expect(picks).toHaveLength(3);
	const devices = [];
	for (const { student } of picks) devices.push(await studentOnOwnDevice(browser, student.name));
	await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
	const connection = page
		.getByRole('status')
		.filter({ hasText: /^(Live|Reconnecting…|Offline|Connecting…)$/ });
	await expect(connection).toHaveText('Live');

	const dropped = Date.now();
	await page.context().setOffline(true);
	await expect(connection).toHaveText(/^(Offline|Reconnecting…)$/);
	const actions: { status: Status; button: 'Start' | "I'm stuck" }[] = [
		{ status: 'in_progress', button: 'Start' },
		{ status: 'stuck', button: "I'm stuck" },
		{ status: 'in_progress', button: 'Start' }
	];
	for (const [i, { activity }] of picks.entries()) await tap(devices[i], activity.title, actions[i].button);
	await page.waitForTimeout(Math.max(0, 10_000 - (Date.now() - dropped)));
	// Nothing reached the board while it was offline.
	for (const { student, activity } of picks) {
		await expect(
			grid.getByRole('gridcell', { name: cellName(student.name, activity.title, 'not_started') })
		).toHaveCount(1);
	}
	await page.context().setOffline(false);

	for (const [i, { student, activity }] of picks.entries()) {
		await expect(
			grid.getByRole('gridcell', { name: cellName(student.name, activity.title, actions[i].status) })
		).toHaveCount(1, { timeout: 20_000 });
	}
	await expect(connection).toHaveText('Live');
	expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
	for (const device of devices) await device.context().close();
});
