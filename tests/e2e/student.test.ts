import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousAxeViolations, snapshot } from './axe';

async function join(page: Page, pictures: string[]) {
	await page.goto('/join');
	await expectNoSeriousAxeViolations(page);
	await page.getByLabel('Pod code').fill('demo42');
	await page.getByRole('button', { name: 'Next' }).click();
	const names = page.getByRole('list', { name: 'Names in Pod North' }).getByRole('button');
	await expect(names).toHaveCount(72);
	await expectNoSeriousAxeViolations(page);
	const name = (await names.first().textContent())!.trim();
	await names.first().click();
	await expect(page.getByRole('heading', { name: `Hi, ${name}!` })).toBeVisible();
	await expectNoSeriousAxeViolations(page);
	for (const picture of pictures) await page.getByRole('button', { name: picture, exact: true }).click();
	return name;
}

for (const [device, viewport] of [
	['chromebook', { width: 1366, height: 768 }],
	['phone', { width: 390, height: 844 }]
] as const) {
	test.describe(`on a ${device}`, () => {
		test.use({ viewport });

		test('a student joins with the pod code, their name and three pictures, and sees their playlist', async ({
			page
		}) => {
			const name = await join(page, ['cat', 'sun', 'tree']);
			await expect(page).toHaveURL(/\/me$/);
			const playlist = page.getByRole('list', { name: 'My playlist' });
			await expect(playlist).toBeVisible();
			expect(await playlist.getByRole('listitem').count()).toBeGreaterThanOrEqual(6);
			await expect(page.getByRole('heading', { name: `Hi, ${name.split(' ')[0]}!` })).toBeVisible();
			await expectNoSeriousAxeViolations(page);
			await snapshot(page, `me-${device}`);
		});
	});
}

test('on a 360 px phone the name step narrows by grade and by typing, and Back and reload keep the step', async ({
	page
}) => {
	await page.setViewportSize({ width: 360, height: 740 });
	await page.goto('/join');
	await page.getByLabel('Pod code').fill('DEMO42');
	await page.getByLabel('Pod code').press('Enter');
	const names = page.getByRole('list', { name: 'Names in Pod North' }).getByRole('button');
	await expect(names).toHaveCount(72);
	// The pod step is in the address: a reload keeps the names.
	await expect(page).toHaveURL(/\/join\?code=DEMO42$/);
	await page.reload();
	await expect(names).toHaveCount(72);

	// By keyboard: the grade, then the first letters of a name.
	await page.getByLabel('Grade').focus();
	await page.getByLabel('Grade').selectOption({ label: 'Grade 6' });
	const sixth = await names.count();
	expect(sixth).toBeGreaterThan(0);
	expect(sixth).toBeLessThan(72);
	await expect(page.getByText(`${sixth} of 72 names`)).toBeVisible();
	const name = (await names.nth(1).textContent())!.trim();
	await page.keyboard.press('Shift+Tab');
	await expect(page.getByLabel('Search names')).toBeFocused();
	await page.keyboard.type(name.slice(0, 4).toLowerCase());
	await expect(page.getByRole('button', { name, exact: true })).toBeVisible();
	expect(await names.count()).toBeLessThanOrEqual(sixth);
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'join-names-360', { fullPage: false });
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	expect(width).toBeLessThanOrEqual(360);

	await page.getByLabel('Search names').fill('zzzz');
	await expect(names).toHaveCount(0);
	await expect(page.getByText('No name matches.')).toBeVisible();
	await page.getByLabel('Search names').fill(name.slice(0, 4));
	await page.getByRole('button', { name, exact: true }).focus();
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { name: `Hi, ${name}!` })).toBeVisible();
	for (const picture of ['cat', 'sun', 'tree']) {
		await expect(page.getByRole('button', { name: picture, exact: true })).toBeVisible();
	}
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'join-pictures-360', { fullPage: false });

	// The browser's Back from the pictures returns to the names, not to the pod code.
	await page.goBack();
	await expect(page.getByRole('heading', { name: 'Who are you?' })).toBeVisible();
	await expect(page).toHaveURL(/\/join\?code=DEMO42$/);
	await page.goBack();
	await expect(page.getByLabel('Pod code')).toBeVisible();
});

test('wrong pictures say so and let the student try again', async ({ page }) => {
	await join(page, ['moon', 'boat', 'fish']);
	await expect(page.getByRole('alert')).toHaveText(
		'Those pictures are not right. Try again, or ask a teacher.'
	);
	await expect(page.getByText('0 of 3 tapped')).toBeVisible();
	await snapshot(page, 'join-wrong');
});

test('an unknown pod code says what to do', async ({ page }) => {
	await page.goto('/join');
	await page.getByLabel('Pod code').fill('DEMO4');
	await page.getByRole('button', { name: 'Next' }).click();
	await expect(page.getByRole('alert')).toHaveText('Pod code DEMO4 not found — check the code on the board.');
});

test('a student gets a clear refusal from staff pages and the staff API, never data', async ({
	page,
	request
}) => {
	// Find a pod id and a classmate's id the way a curious student might: by guessing from a teacher's screen.
	const teacher = await request.post('/api/trpc/auth.staffLogin', {
		data: { email: 'teacher1@demo.school', password: 'podboard-demo' },
		headers: { origin: 'http://127.0.0.1:4173' }
	});
	expect(teacher.ok()).toBe(true);
	const pods = await (await request.get('/api/trpc/pods.mine')).json();
	const podId: string = pods.result.data[0].id;
	const roster = await (
		await request.get(`/api/trpc/pods.roster?input=${encodeURIComponent(JSON.stringify({ podId }))}`)
	).json();

	await join(page, ['cat', 'sun', 'tree']);
	await expect(page).toHaveURL(/\/me$/);
	const me = await (await page.request.get('/api/trpc/auth.me')).json();
	const classmate = roster.result.data.find((s: { id: string }) => s.id !== me.result.data.id);

	await page.goto(`/pods/${podId}`);
	await expect(page.getByRole('heading', { name: 'Not for this account' })).toBeVisible();
	await expect(page.getByText('This page is for the teachers of a pod.')).toBeVisible();
	await expect(page.getByText(classmate.name)).toHaveCount(0);
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'student-refused');

	for (const [path, input] of [
		['pods.roster', { podId }],
		['playlists.forStudent', { podId, studentId: classmate.id }]
	] as const) {
		const response = await page.request.get(
			`/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`
		);
		expect(response.status()).toBe(403);
		expect(await response.text()).not.toContain(classmate.name);
	}
});
