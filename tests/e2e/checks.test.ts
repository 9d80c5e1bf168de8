import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { FIVE_QUESTIONS } from '../support/checks';
import { expectNoSeriousAxeViolations, snapshot } from './axe';
import { LANDING, leadOpensPodNorth, studentOnOwnDevice } from './people';
import { serverOfItsOwn } from './own-server';

// The story, in two browsers: the lead writes a five-question check in the library on a
// quiz grade-5 students have still to do; a student takes it on a Chromebook, answering question 2
// wrong; the lead's board shows the verified score, and the side panel says Podboard checked it.
// On a server of this file's own: the check changes the demo's library.

test.describe.configure({ mode: 'serial', timeout: 180_000 });
test.use({ viewport: { width: 1366, height: 768 } });

const own = serverOfItsOwn('checks', { demo: true });

/** A quiz someone has still to do, and that student (whose join name is theirs alone). */
function quizToDo(): { student: string; quiz: string } {
	const db = new Database(own.databaseUrl.slice('file:'.length), { readonly: true });
	try {
		const rows = db
			.prepare(
				`select u.given_name || ' ' || u.family_name as student, t.title as quiz,
				        u.given_name || ' ' || substr(u.family_name, 1, 1) as joinName
				 from assignments a join activities t on t.id = a.activity_id join users u on u.id = a.student_id
				 where t.kind = 'assessment' and a.status = 'not_started'
				   and not exists (select 1 from activity_checks c where c.activity_id = t.id)
				 order by t.title, u.family_name`
			)
			.all() as { student: string; quiz: string; joinName: string }[];
		const names = (
			db
				.prepare(
					`select given_name || ' ' || substr(family_name, 1, 1) as n from users where kind = 'student'`
				)
				.all() as {
				n: string;
			}[]
		).map((row) => row.n);
		const row = rows.find((r) => names.filter((n) => n === r.joinName).length === 1)!;
		return { student: row.student, quiz: row.quiz };
	} finally {
		db.close();
	}
}

test('the lead writes a check; a student takes it and misses one; the board shows the checked score', async ({
	browser,
	page
}) => {
	const { student, quiz } = quizToDo();

	await leadOpensPodNorth(page, own.server.origin);
	await page
		.getByRole('navigation', { name: 'Pod North' })
		.getByRole('link', { name: 'Activity library' })
		.click();
	await page.getByLabel('Search').fill(quiz);
	await page.getByRole('button', { name: `Edit ${quiz}` }).click();
	const form = page.getByRole('dialog', { name: 'Edit activity' });
	const json = form.getByLabel('Quick check (Podboard check JSON)');
	await expect(json).toHaveValue(/podboard-check/);
	await json.fill(JSON.stringify(FIVE_QUESTIONS, null, 2));
	// The preview shows the questions as a student will see them.
	const preview = form.getByRole('list', { name: 'Preview of the check' });
	await expect(preview.getByRole('listitem').filter({ hasText: 'Question 5' })).toContainText(
		'The bottom of a fraction'
	);
	await form.getByRole('button', { name: 'Save the check' }).click();
	await expect(form.getByRole('status')).toContainText('Saved: 5 questions');
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'check-editor');
	// The item analysis, open before anyone has answered: it fills in as answers arrive.
	await form.getByRole('link', { name: 'Item analysis' }).click();
	await expect(page.getByRole('heading', { name: `Item analysis: ${quiz}`, level: 1 })).toBeVisible();
	await expect(page.getByText('0 students have taken this check')).toBeVisible();

	const chromebook = await studentOnOwnDevice(browser, student, own.server.origin);
	const card = chromebook.getByRole('list', { name: 'My playlist' }).getByRole('listitem', { name: quiz });
	await card.getByRole('button', { name: 'Take the check' }).click();
	const question = (n: number) => card.getByRole('group', { name: `Question ${n}` });
	await question(1).getByRole('radio', { name: '2/4' }).check();
	// Question 2 has two right answers; the student picks only one.
	await question(2).getByRole('checkbox', { name: '4' }).check();
	await question(3).getByRole('textbox').fill('0.75');
	await question(4).getByRole('textbox').fill('42');
	await question(5).getByRole('textbox').fill('denominatorqx');
	await expectNoSeriousAxeViolations(chromebook);
	// The Wi-Fi drops as the student submits: the answers wait on the device, then go once.
	await chromebook.context().setOffline(true);
	await card.getByRole('button', { name: 'Submit answers' }).click();
	await expect(card.getByRole('status')).toHaveText(
		'Your answers are saved on this device and will be sent when the Wi-Fi is back.'
	);
	await chromebook.context().setOffline(false);
	await expect(card.getByRole('status')).toHaveText('You scored 4 of 5 (80%).');
	await expect(card).toContainText('Question 2: not right — the answer: 4; 10');
	await snapshot(chromebook, 'check-scored');

	// The lead's item analysis heard it, without a reload: question 2, missed by this student.
	await expect(page.getByText('1 student has taken this check')).toBeVisible({ timeout: 10_000 });
	await expect(page.getByText('Missed most: Question 2, by 1 of 1 (0% right).')).toBeVisible();
	const analysis = page.getByRole('table', { name: 'Item analysis' });
	const second = analysis.getByRole('row', { name: /Question 2/ });
	await expect(second.getByRole('cell').nth(0)).toHaveText('0%');
	await expect(second).toContainText(student);
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'item-analysis');
	await second.getByRole('button', { name: 'Form a group from the 1 who missed question 2' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Formed the group' })).toContainText(
		`Formed the group “Question 2 of ${quiz}” with 1 student`
	);

	await page.getByRole('link', { name: 'Back to Pod North' }).click();
	await expect(page.getByRole('region', { name: 'Groups' })).toContainText(`Question 2 of ${quiz}`, LANDING);
	const cell = page
		.getByRole('grid', { name: 'Pod progress' })
		.getByRole('gridcell', { name: `${student} — ${quiz}: mastered, 80%`, exact: true });
	await expect(cell).toBeVisible(LANDING);
	await cell.click();
	const item = page
		.getByRole('dialog', { name: student })
		.getByRole('listitem')
		.filter({ hasText: quiz })
		.first();
	await expect(item).toContainText('80%, checked by Podboard');
	// Which question they missed, from their latest try.
	await expect(item).toContainText('Missed question 2');

	// Scored once: one submission, one event.
	const db = new Database(own.databaseUrl.slice('file:'.length), { readonly: true });
	try {
		const counts = db
			.prepare(
				`select (select count(*) from check_submissions s where s.assignment_id = a.id) as submissions,
				        (select count(*) from progress_events e where e.assignment_id = a.id and e.kind = 'submit') as submits
				 from assignments a join activities t on t.id = a.activity_id join users u on u.id = a.student_id
				 where t.title = ? and u.given_name || ' ' || u.family_name = ?`
			)
			.get(quiz, student);
		expect(counts).toEqual({ submissions: 1, submits: 1 });
	} finally {
		db.close();
	}

	// The same check at 360 px: big targets, nothing cut off.
	await chromebook.setViewportSize({ width: 360, height: 740 });
	await expectNoSeriousAxeViolations(chromebook);
	await snapshot(chromebook, 'check-scored-360');
	await chromebook.context().close();
});

test('the lead writes a check question by question in the form, by keyboard, and saves it', async ({
	page
}) => {
	await leadOpensPodNorth(page, own.server.origin);
	await page
		.getByRole('navigation', { name: 'Pod North' })
		.getByRole('link', { name: 'Activity library' })
		.click();
	await page.getByLabel('Search').fill('Fractions practice 1');
	await page.getByRole('button', { name: 'Edit Fractions practice 1' }).click();
	const form = page.getByRole('dialog', { name: 'Edit activity' });
	const questions = form.getByRole('list', { name: 'Questions of the check' });
	// A new check starts from an example of each kind: keep the first, change it, add a short text.
	await expect(questions.getByRole('group')).toHaveCount(3);
	await form.getByRole('button', { name: 'Remove question 3' }).click();
	await form.getByRole('button', { name: 'Remove question 2' }).click();
	await expect(questions.getByRole('group', { name: /^Question \d$/ })).toHaveCount(1);

	await form.getByRole('textbox', { name: 'Question 1', exact: true }).fill('Which is equal to 3/4?');
	await form.getByRole('textbox', { name: 'Question 1', exact: true }).press('Tab');
	await form.getByRole('textbox', { name: 'Choice 1 of question 1' }).fill('6/8');
	await form.getByRole('textbox', { name: 'Choice 2 of question 1' }).fill('3/8');
	await form.getByRole('textbox', { name: 'Choice 3 of question 1' }).fill('9/12');
	// A fourth choice, added and taken away again.
	await form.getByRole('button', { name: 'Add a choice to question 1' }).click();
	await expect(form.getByRole('textbox', { name: 'Choice 4 of question 1' })).toHaveValue('');
	await form.getByRole('button', { name: 'Remove choice 4 of question 1' }).click();
	await expect(form.getByRole('textbox', { name: 'Choice 4 of question 1' })).toHaveCount(0);
	await form.getByRole('checkbox', { name: 'Right answer: choice 3 of question 1' }).focus();
	await page.keyboard.press('Space');
	await form.getByRole('textbox', { name: 'Skills of question 1' }).fill('4.NF.1');
	await form.getByRole('textbox', { name: 'Skills of question 1' }).press('Tab');

	await form.getByRole('button', { name: 'Add a question' }).click();
	await form.getByRole('combobox', { name: 'Kind of question 2' }).selectOption({ label: 'Short text' });
	await form.getByRole('textbox', { name: 'Question 2', exact: true }).fill('The top of a fraction is its…');
	await form
		.getByRole('textbox', { name: 'Accepted answers to question 2' })
		.fill('numerator\nthe numerator');
	await form.getByRole('textbox', { name: 'Accepted answers to question 2' }).press('Tab');
	await form.getByRole('spinbutton', { name: 'Tries allowed' }).fill('1');
	await form.getByRole('spinbutton', { name: 'Tries allowed' }).press('Tab');

	// The JSON follows the form, and the preview shows what a student sees.
	const json = JSON.parse(await form.getByLabel('Quick check (Podboard check JSON)').inputValue());
	expect(json).toMatchObject({
		attemptsAllowed: 1,
		items: [
			{ type: 'choice', choices: ['6/8', '3/8', '9/12'], correct: [0, 2], skills: ['4.NF.1'] },
			{ type: 'text', prompt: 'The top of a fraction is its…', accepted: ['numerator', 'the numerator'] }
		]
	});
	const preview = form.getByRole('list', { name: 'Preview of the check' });
	await expect(preview.getByRole('listitem').filter({ hasText: 'Question 2' })).toContainText(
		'The top of a fraction'
	);

	await form.getByRole('button', { name: 'Save the check' }).click();
	await expect(form.getByRole('status')).toContainText('Saved: 2 questions');
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'check-form');
});
