import Database from 'better-sqlite3';
import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousAxeViolations, snapshot } from './axe';

// The production server's database, read directly to check what it stored.
const DATABASE = 'test-results/e2e-db/podboard.sqlite';

async function joinAs(page: Page, nth: number) {
	await page.goto('/join');
	await page.getByLabel('Pod code').fill('DEMO42');
	await page.getByRole('button', { name: 'Next' }).click();
	await page.getByRole('list', { name: 'Names in Pod North' }).getByRole('button').nth(nth).click();
	for (const picture of ['cat', 'sun', 'tree'])
		await page.getByRole('button', { name: picture, exact: true }).click();
	await expect(page).toHaveURL(/\/me$/);
	const me = await (await page.request.get('/api/trpc/auth.me')).json();
	return me.result.data.id as string;
}

function storedEvents(studentId: string, title: string) {
	const db = new Database(DATABASE, { readonly: true });
	try {
		return db
			.prepare(
				`select e.kind from progress_events e
				 join assignments a on a.id = e.assignment_id
				 join activities t on t.id = a.activity_id
				 where a.student_id = ? and t.title = ? order by e.occurred_at`
			)
			.all(studentId, title)
			.map((row) => (row as { kind: string }).kind);
	} finally {
		db.close();
	}
}

test('offline, Start then Done wait on the device, then arrive exactly once', async ({ page, context }) => {
	const studentId = await joinAs(page, 10);
	const playlist = page.getByRole('list', { name: 'My playlist' });
	await expect(page.getByText('All your work is saved.')).toBeVisible();
	const item = playlist
		.getByRole('listitem')
		.filter({ has: page.getByRole('button', { name: 'Start' }) })
		.filter({ hasText: /· (Practice|Lesson|Project|Off screen) ·/ })
		.first();
	const title = (await item.getByRole('heading').textContent())!.trim();
	expect(storedEvents(studentId, title)).not.toContain('submit');
	const before = storedEvents(studentId, title).length;

	await context.setOffline(true);
	const card = playlist.getByRole('listitem', { name: title });
	await card.getByRole('button', { name: 'Start' }).click();
	await expect(card).toContainText('Working on it');
	await card.getByRole('button', { name: 'Done' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'will be saved' })).toContainText(
		'2 actions will be saved as soon as Podboard can be reached'
	);
	await expect(card).toContainText('Waiting to save');
	await snapshot(page, 'me-offline');
	expect(storedEvents(studentId, title)).toHaveLength(before);

	await context.setOffline(false);
	await expect(page.getByText('All your work is saved.')).toBeVisible({ timeout: 20_000 });
	await expect(card).toContainText('Done');
	await expect(card).not.toContainText('Waiting to save');
	expect(storedEvents(studentId, title).slice(before)).toEqual(['start', 'submit']);

	// A reload shows the server's own state, and sends nothing again.
	await page.reload();
	await expect(playlist.getByRole('listitem', { name: title })).toContainText('Done');
	expect(storedEvents(studentId, title).slice(before)).toEqual(['start', 'submit']);
	await expectNoSeriousAxeViolations(page);
});

/** The hands the student has raised, each with the activity it is about (null for none). */
function handsRaised(studentId: string) {
	const db = new Database(DATABASE, { readonly: true });
	try {
		return db
			.prepare(
				`select t.title from help_requests h
				 left join assignments a on a.id = h.assignment_id
				 left join activities t on t.id = a.activity_id
				 where h.student_id = ? order by h.asked_at`
			)
			.all(studentId)
			.map((row) => (row as { title: string | null }).title);
	} finally {
		db.close();
	}
}

test('a self-checked quiz asks for the score, and I’m stuck and Raise hand are recorded', async ({
	page
}) => {
	// The seed follows the calendar: find a student who has a quiz still to do today.
	let studentId = '';
	const playlist = page.getByRole('list', { name: 'My playlist' });
	const quizzes = playlist
		.getByRole('listitem')
		.filter({ has: page.getByRole('button', { name: 'Done' }) })
		.filter({ hasText: '· Quiz ·' });
	for (let nth = 11; nth < 40; nth++) {
		studentId = await joinAs(page, nth);
		if ((await quizzes.count()) > 0) break;
		await page.getByRole('button', { name: 'Sign out' }).click();
		await expect(page).toHaveURL(/\/join/);
	}
	const title = (await quizzes.first().getByRole('heading').textContent())!.trim();
	const card = playlist.getByRole('listitem', { name: title });
	await card.getByRole('button', { name: "I'm stuck" }).click();
	await expect(card).toContainText('Stuck');
	const handsBefore = handsRaised(studentId).length;
	await page.getByRole('button', { name: 'Raise hand' }).click();
	await expect(page.getByText('Your hand is up.')).toBeVisible();

	await card.getByRole('button', { name: 'Done' }).click();
	const score = card.getByRole('spinbutton', { name: /Your score \(out of (\d+)\)/ });
	await expect(score).toBeVisible();
	await score.fill('0');
	await card.getByRole('button', { name: 'Save score' }).click();
	await expect(page.getByText('All your work is saved.')).toBeVisible();
	await expect(playlist.getByRole('listitem', { name: title })).toContainText('Done, 0%');
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'me-actions');
	// The hand is about the quiz the student was stuck on, and is no progress event of its own.
	expect(storedEvents(studentId, title).slice(-2)).toEqual(['stuck', 'submit']);
	expect(handsRaised(studentId).slice(handsBefore)).toEqual([title]);
});
