import { expect, test } from '@playwright/test';
import { expectNoSeriousAxeViolations } from './axe';
import { leadOpensPodNorth, studentOnOwnDevice } from './people';

const ORIGIN = 'http://127.0.0.1:4173';

type RosterEntry = { id: string; name: string; grade: number };

test('a bulk assignment to grade 5 appears live for a grade-5 student, and not for a grade-4 student', async ({
	browser,
	page: lead
}) => {
	await leadOpensPodNorth(lead);

	// A new activity nobody has yet, made through the API the library page uses.
	const pods = await (await lead.request.get('/api/trpc/pods.mine')).json();
	const podId: string = pods.result.data[0].id;
	const title = `Live check ${Date.now()}`;
	const created = await lead.request.post('/api/trpc/library.createActivity', {
		headers: { origin: ORIGIN },
		data: {
			podId,
			title,
			subject: 'math',
			kind: 'practice',
			skillIds: [],
			gradeLow: 4,
			gradeHigh: 6,
			estimatedMinutes: 15
		}
	});
	expect(created.ok()).toBe(true);
	const roster = await (
		await lead.request.get(`/api/trpc/pods.roster?input=${encodeURIComponent(JSON.stringify({ podId }))}`)
	).json();
	const students: RosterEntry[] = roster.result.data;
	const fifthGrader = await studentOnOwnDevice(browser, students.filter((s) => s.grade === 5)[3].name);
	const fourthGrader = await studentOnOwnDevice(browser, students.filter((s) => s.grade === 4)[3].name);
	for (const student of [fifthGrader, fourthGrader]) {
		await expect(student.getByRole('list', { name: 'My playlist' }).getByText(title)).toHaveCount(0);
	}

	await lead.goto(`/pods/${podId}`);
	await lead.getByRole('link', { name: 'Assign to many' }).click();
	await lead.getByLabel('Find activities').fill(title);
	await lead.getByRole('checkbox', { name: title, exact: true }).check();
	await lead.getByRole('radio', { name: 'Grade', exact: true }).check();
	await lead.getByRole('checkbox', { name: /^Grade 5\b/ }).check();
	const preview = lead.getByRole('region', { name: 'Preview' }).getByRole('status').first();
	await expect(preview).toContainText(`will get ${title}`);
	await lead.getByRole('button', { name: 'Assign', exact: true }).click();
	await expect(lead.getByText(new RegExp(`^Assigned ${title} to \\d+ students`))).toBeVisible();

	// No reload on either student's page.
	await expect(
		fifthGrader.getByRole('list', { name: 'My playlist' }).getByRole('listitem', { name: title })
	).toBeVisible({
		timeout: 10_000
	});
	await expectNoSeriousAxeViolations(fifthGrader);
	await fourthGrader.waitForTimeout(1500);
	await expect(fourthGrader.getByRole('list', { name: 'My playlist' }).getByText(title)).toHaveCount(0);
});
