import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousAxeViolations, snapshot } from './axe';
import { leadOpensPodNorth, staffOpensPodNorth } from './people';

// The team huddle: the lead opens it from the board, reads each part, and prints it on one page.
// Other browser tests share this demo database: the groups here are of fifth graders from the
// end of the roster, which no other test takes, and the coaching cycle is Priya Shah's.

const ORIGIN = 'http://127.0.0.1:4173';
const SECTIONS = [
	'Groups with no owner',
	'Flags open longer than a day',
	'Students behind pace',
	"This week's group outcomes",
	'Coaching next steps due'
];

test.use({ viewport: { width: 1366, height: 768 } });
test.describe.configure({ timeout: 90_000 });

/** A call to the API the pages use, as the signed-in person; the answer's data. */
async function api(page: Page, path: string, input: unknown, method: 'get' | 'post' = 'post') {
	const response =
		method === 'get'
			? await page.request.get(`/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`)
			: await page.request.post(`/api/trpc/${path}`, { headers: { origin: ORIGIN }, data: input });
	expect(response.ok(), `${path}: ${await response.text()}`).toBe(true);
	return (await response.json()).result.data;
}

test('the lead opens the team huddle from the board, sees each part of the agenda, and prints it on one page', async ({
	browser,
	page
}) => {
	await leadOpensPodNorth(page);
	const podId = page.url().split('/').pop()!;
	const stamp = Date.now().toString(36);

	// Something in the agenda's parts: a group nobody has claimed, one held and closed today,
	// and a coaching next step whose follow-up date has passed.
	const roster: { id: string; name: string; grade: number }[] = await api(
		page,
		'pods.roster',
		{ podId },
		'get'
	);
	const fifth = roster.filter((s) => s.grade === 5).slice(-4);
	const waiting = await api(page, 'groups.create', {
		podId,
		title: `Place value ${stamp}`,
		studentIds: [fifth[0].id, fifth[1].id]
	});
	let held = await api(page, 'groups.create', {
		podId,
		title: `Main idea ${stamp}`,
		studentIds: [fifth[2].id, fifth[3].id]
	});
	held = await api(page, 'groups.claim', { podId, groupId: held.id, version: held.version });
	held = await api(page, 'groups.start', { podId, groupId: held.id, version: held.version });
	await api(page, 'groups.finish', {
		podId,
		groupId: held.id,
		version: held.version,
		outcome: 'Both found the main idea in a new paragraph'
	});
	const team: { id: string; name: string }[] = (await api(page, 'pods.overview', { podId }, 'get')).team;
	const priya = team.find((member) => member.name === 'Priya Shah')!;
	await api(page, 'coaching.record', {
		podId,
		teacherId: priya.id,
		focus: `Floor duty routes ${stamp}`,
		evidence: 'Stayed near the front tables for most of the block',
		nextStep: 'Walk the back tables first',
		followUpOn: '2026-11-02'
	});

	await page.getByRole('link', { name: 'Team huddle' }).click();
	await expect(page.getByRole('heading', { name: 'Team huddle', level: 1 })).toBeVisible();
	for (const name of SECTIONS) {
		const region = page.getByRole('region', { name: new RegExp(`^${name}`) });
		await expect(region).toBeVisible();
		await expect(region.getByRole('heading', { level: 2 })).toContainText(name);
	}
	const region = (name: string) => page.getByRole('region', { name: new RegExp(`^${name}`) });
	await expect(
		region('Groups with no owner').getByRole('listitem').filter({ hasText: waiting.title })
	).toContainText(`2 students: ${[fifth[0].name, fifth[1].name].sort().join(', ')}`);
	await expect(
		region("This week's group outcomes")
			.getByRole('listitem')
			.filter({ hasText: `Main idea ${stamp}` })
	).toContainText('Maya Okafor');
	await expect(region("This week's group outcomes")).toContainText(
		'Both found the main idea in a new paragraph'
	);
	const step = region('Coaching next steps due')
		.getByRole('listitem')
		.filter({ hasText: `Floor duty routes ${stamp}` });
	await expect(step).toContainText('Priya Shah');
	await expect(step).toContainText('Next step: Walk the back tables first');
	// The demo's flags were raised on the last school day it simulates: seeded in school hours none
	// is a day old and the part says so; on a weekend or before school they are, and each says how long.
	const longOpen = region('Flags open longer than a day');
	const ages = await longOpen.getByRole('listitem').filter({ hasText: ' · open ' }).allInnerTexts();
	if (ages.length === 0) await expect(longOpen).toContainText('No flag has been open longer than a day.');
	for (const text of ages) expect(text).toMatch(/ · open \d+ days?\b/);
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'huddle');

	// Printed: a US Letter page in portrait with 12 mm margins is about 725 × 965 CSS pixels.
	await page.setViewportSize({ width: 725, height: 965 });
	await page.emulateMedia({ media: 'print' });
	await expect(page.getByRole('button', { name: 'Print' })).toBeHidden();
	await expect(page.getByRole('button', { name: 'Sign out' })).toBeHidden();
	await expect(page.getByRole('link', { name: 'Back to Pod North' })).toBeHidden();
	await expect(page.getByRole('heading', { name: 'Team huddle', level: 1 })).toBeVisible();
	const height = await page.evaluate(() => document.documentElement.scrollHeight);
	expect(height, 'the printed agenda fits one page').toBeLessThanOrEqual(965);
	await snapshot(page, 'huddle-print');
	await page.emulateMedia({ media: 'screen' });

	// A team teacher's huddle has the same parts, and never another teacher's coaching.
	const daniel = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
	await staffOpensPodNorth(daniel, 'teacher1@demo.school');
	await daniel.getByRole('link', { name: 'Team huddle' }).click();
	await expect(daniel.getByRole('heading', { name: 'Team huddle', level: 1 })).toBeVisible();
	await expect(daniel.getByRole('region', { name: /^Coaching next steps due/ })).toBeVisible();
	await expect(daniel.getByText(`Floor duty routes ${stamp}`)).toHaveCount(0);
});
