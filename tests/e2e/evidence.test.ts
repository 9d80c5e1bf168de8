import { readFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousAxeViolations, snapshot } from './axe';
import { LANDING, leadOpensPodNorth, studentOnOwnDevice } from './people';
import { serverOfItsOwn } from './own-server';

// Where a score comes from, as the team sees it: two students type their own quiz scores on their
// Chromebooks; the lead's board and side panel say "self-reported", no low-score flag goes up,
// and the CSV says so. Then the lead counts self-reported scores on the flag rules page: the 90%
// becomes mastered and the 20% raises a low-score flag. On a server of this file's own, since the
// setting changes the whole demo pod.

test.describe.configure({ mode: 'serial', timeout: 180_000 });
test.use({ viewport: { width: 1366, height: 768 } });

const own = serverOfItsOwn('evidence', { demo: true });

interface OpenQuiz {
	student: string;
	quiz: string;
}

/**
 * Students with a quiz (out of 10) still to do, whose name on the join page ("Given F.") is theirs
 * alone, and who have no open flag: one quiz each.
 */
function studentsWithAQuizToDo(count: number): OpenQuiz[] {
	const db = new Database(own.databaseUrl.slice('file:'.length), { readonly: true });
	try {
		const rows = db
			.prepare(
				`select u.given_name || ' ' || u.family_name as student, t.title as quiz,
				        u.given_name || ' ' || substr(u.family_name, 1, 1) as joinName
				 from assignments a join activities t on t.id = a.activity_id join users u on u.id = a.student_id
				 where t.kind = 'assessment' and t.max_score = 10 and a.status in ('not_started', 'in_progress')
				   and not exists (select 1 from flags f where f.student_id = u.id and f.status <> 'resolved')
				 order by u.family_name, u.given_name, a.position`
			)
			.all() as (OpenQuiz & { joinName: string })[];
		const names = db
			.prepare(
				`select given_name || ' ' || substr(family_name, 1, 1) as joinName from users where kind = 'student'`
			)
			.all() as { joinName: string }[];
		const unique = (joinName: string) => names.filter((n) => n.joinName === joinName).length === 1;
		const picked: OpenQuiz[] = [];
		for (const row of rows) {
			if (picked.length === count) break;
			if (unique(row.joinName) && !picked.some((p) => p.student === row.student))
				picked.push({ student: row.student, quiz: row.quiz });
		}
		return picked;
	} finally {
		db.close();
	}
}

/** The student marks the quiz done and types their own score out of 10. */
async function typesOwnScore(page: Page, quiz: string, points: number) {
	const card = page.getByRole('list', { name: 'My playlist' }).getByRole('listitem', { name: quiz });
	await card.getByRole('button', { name: 'Done' }).click();
	await card.getByRole('spinbutton', { name: 'Your score (out of 10)' }).fill(String(points));
	await card.getByRole('button', { name: 'Save score' }).click();
	await expect(page.getByText('All your work is saved.')).toBeVisible();
}

test('a score a student typed reads as self-reported, and counts only once the lead says it does', async ({
	browser,
	page
}) => {
	const [high, low] = studentsWithAQuizToDo(2);
	for (const [who, points] of [
		[high, 9],
		[low, 2]
	] as const) {
		const chromebook = await studentOnOwnDevice(browser, who.student, own.server.origin);
		await typesOwnScore(chromebook, who.quiz, points);
		await chromebook.context().close();
	}

	await leadOpensPodNorth(page, own.server.origin);
	const grid = page.getByRole('grid', { name: 'Pod progress' });
	const cell = (who: OpenQuiz, words: string) =>
		grid.getByRole('gridcell', { name: `${who.student} — ${who.quiz}: ${words}`, exact: true });
	await expect(cell(high, 'submitted, 90%, self-reported')).toBeVisible();
	await expect(cell(low, 'submitted, 20%, self-reported')).toBeVisible();
	await expect(page.getByRole('region', { name: 'Flags' })).not.toContainText(low.student);

	await cell(high, 'submitted, 90%, self-reported').click();
	const panel = page.getByRole('dialog', { name: high.student });
	await expect(panel.getByRole('listitem').filter({ hasText: high.quiz }).first()).toContainText(
		'90%, self-reported'
	);
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'evidence-self-reported');
	await page.keyboard.press('Escape');

	const [download] = await Promise.all([
		page.waitForEvent('download'),
		(async () => {
			await page
				.getByRole('navigation', { name: 'Pod North' })
				.getByRole('link', { name: 'Data and exports' })
				.click();
			await page.getByRole('button', { name: 'Download progress (CSV)' }).click();
		})()
	]);
	const lines = (await readFile((await download.path())!, 'utf8')).split('\r\n');
	const header = lines[0].replace(/^\uFEFF/, '').split(',');
	const row = lines.find((line) => line.includes(high.student) && line.includes(high.quiz))!.split(',');
	expect(row[header.indexOf('Score source')]).toBe('self');

	await page.getByRole('link', { name: 'Back to Pod North' }).click();
	await page.getByRole('navigation', { name: 'Pod North' }).getByRole('link', { name: 'Flag rules' }).click();
	const counts = page.getByRole('checkbox', { name: 'Count self-reported scores' });
	await expect(counts).not.toBeChecked();
	await counts.check();
	await page.getByRole('button', { name: 'Save the rules' }).click();
	await expect(page.getByRole('status')).toContainText('Saved.');
	await expectNoSeriousAxeViolations(page);

	await page.getByRole('link', { name: 'Back to Pod North' }).click();
	await expect(cell(high, 'mastered, 90%, self-reported')).toBeVisible(LANDING);
	await expect(page.getByRole('region', { name: 'Flags' })).toContainText(
		`Scored 20% on ${low.quiz} (under 70%, self-reported)`
	);
});
