import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectNoSeriousAxeViolations } from './axe';

const ORIGIN = 'http://127.0.0.1:4173';

type RosterEntry = { id: string; name: string; grade: number };

/** A student signs in on their own device (a browser context of their own) and opens their playlist. */
async function studentOnOwnDevice(browser: Browser, student: RosterEntry): Promise<Page> {
	const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
	const [given, family] = student.name.split(' ');
	await page.goto('/join');
	await page.getByLabel('Pod code').fill('DEMO42');
	await page.getByRole('button', { name: 'Next' }).click();
	await page.getByRole('button', { name: `${given} ${family[0]}.`, exact: true }).click();
	for (const picture of ['cat', 'sun', 'tree'])
		await page.getByRole('button', { name: picture, exact: true }).click();
	await expect(page.getByRole('list', { name: 'My playlist' })).toBeVisible();
	return page;
}

test('a bulk assignment to grade 5 appears live for a grade-5 student, and not for a grade-4 student', async ({
	browser,
	page: lead
}) => {
	await lead.goto('/login');
	await lead.getByLabel('Email').fill('lead@demo.school');
	await lead.getByLabel('Password').fill('podboard-demo');
	await lead.getByRole('button', { name: 'Sign in' }).click();
	await expect(lead.getByRole('heading', { name: 'My pods' })).toBeVisible();

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
	const fifthGrader = await studentOnOwnDevice(browser, students.filter((s) => s.grade === 5)[3]);
	const fourthGrader = await studentOnOwnDevice(browser, students.filter((s) => s.grade === 4)[3]);
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
