import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { expectNoSeriousAxeViolations, snapshot } from './axe';
import { LANDING, leadOpensPodNorth, staffOpensPodNorth, studentOnOwnDevice } from './people';
import { serverOfItsOwn } from './own-server';

// The whole team in the room: Rosa, Pod North's support staff, answers a raised hand (the student
// leaves "No adult contact yet" on every board), says she is in, and takes attendance in one pass:
// three taps mark three students absent and the lead's board changes live; the ratio warns while too
// few adults are in. Asked to change a playlist, the API refuses her. On a server of this file's
// own, whose Pod North has school every day all day, so the test holds whatever day it runs.

test.describe.configure({ mode: 'serial', timeout: 180_000 });
test.use({ viewport: { width: 1366, height: 768 } });

const own = serverOfItsOwn('team', { demo: true });

test.beforeAll(() => {
	const db = new Database(own.databaseUrl.slice('file:'.length));
	try {
		const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '23:59' }));
		db.prepare(`update pods set school_week = ? where join_code = 'DEMO42'`).run(JSON.stringify(everyDay));
	} finally {
		db.close();
	}
});

test('support staff answer a hand and take attendance; the lead’s board follows, and the playlist stays the teachers’', async ({
	browser,
	page
}) => {
	const origin = own.server.origin;
	const zoe = await studentOnOwnDevice(browser, 'Zoe Flores', origin);
	await zoe.getByRole('button', { name: 'Raise hand' }).click();

	const lead = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
	await leadOpensPodNorth(lead, origin);
	const leadsAttendance = lead.getByRole('region', { name: 'Attendance' });
	await expect(leadsAttendance).toContainText('72 of 72 in', LANDING);

	await staffOpensPodNorth(page, 'support@demo.school', origin);
	// Support staff's menu holds what they may use; the plans are the teachers'.
	const menu = page.getByRole('navigation', { name: 'Pod North' });
	await expect(menu.getByRole('link', { name: 'Team huddle' })).toBeVisible();
	await expect(menu.getByRole('link', { name: 'Activity library' })).toHaveCount(0);
	await expect(menu.getByRole('link', { name: 'Coaching' })).toHaveCount(0);

	// Zoe has had no adult today; Rosa goes to her hand, and she leaves the list on both boards.
	const notSeen = page.getByRole('region', { name: 'No adult contact yet' });
	await expect(notSeen.getByRole('button', { name: 'Zoe Flores' })).toBeVisible();
	await page
		.getByRole('region', { name: 'Help queue' })
		.getByRole('button', { name: "I'll go to Zoe Flores" })
		.click();
	await expect(zoe.getByText(/Rosa Delgado is coming/)).toBeVisible();
	await expect(notSeen.getByRole('button', { name: 'Zoe Flores' })).toHaveCount(0);
	await expect(
		lead.getByRole('region', { name: 'No adult contact yet' }).getByRole('button', { name: 'Zoe Flores' })
	).toHaveCount(0);

	// She says she is in: one adult for 72 students breaks the pod's ratio of 25.
	const attendance = page.getByRole('region', { name: 'Attendance' });
	await attendance.getByRole('button', { name: 'I’m in' }).click();
	await expect(attendance).toContainText(
		'72 students present, 1 adult in: 72 per adult (this pod allows 25).'
	);
	await expect(attendance).toContainText('Too few adults');
	await expect(leadsAttendance).toContainText('Ratio broken: 2 more adults are needed.');

	// The roll, in one pass: three taps, three students absent.
	await attendance.getByRole('button', { name: 'Take attendance' }).click();
	for (const name of ['Abdi Yilmaz', 'Adaeze Yilmaz', 'Aiden Martinez'])
		await attendance.getByRole('button', { name: `${name}, present` }).click();
	await expect(attendance.getByRole('button', { name: 'Aiden Martinez, absent' })).toBeVisible();
	await expect(attendance).toContainText('69 of 72 in · 3 absent · 0 late');
	await expect(leadsAttendance).toContainText('69 of 72 in · 3 absent');
	await expect(leadsAttendance).toContainText('69 students present, 1 adult in: 69 per adult');
	// An absent student has no contact to make today.
	await expect(notSeen.getByRole('button', { name: 'Abdi Yilmaz' })).toHaveCount(0);
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'board-support-attendance', { fullPage: false });

	// The lead comes in: the line mends on Rosa's board.
	await leadsAttendance.getByRole('button', { name: 'I’m in' }).click();
	await expect(attendance).toContainText('69 students present, 2 adults in: 34.5 per adult');

	// An observation in two taps: the student's name in the list, then what she saw.
	await notSeen.getByRole('button', { name: 'Amara Brooks' }).click();
	const panel = page.getByRole('dialog', { name: 'Amara Brooks' });
	await panel
		.getByRole('group', { name: 'What you saw Amara Brooks do' })
		.getByRole('button', { name: 'Partly' })
		.click();
	await expect(panel.getByRole('list', { name: 'Observations of Amara Brooks' })).toContainText('Partly');
	await expect(notSeen.getByRole('button', { name: 'Amara Brooks' })).toHaveCount(0);
	await panel.getByRole('button', { name: 'Close' }).click();

	// A playlist is the teachers': the API refuses Rosa, whatever her page sends.
	const refused = await page.evaluate(async () => {
		const podId = location.pathname.split('/')[2];
		const response = await fetch('/api/trpc/playlists.remove', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ podId, assignmentId: crypto.randomUUID() })
		});
		return { status: response.status, body: await response.text() };
	});
	expect(refused.status).toBe(403);
	expect(refused.body).toContain('Only the teachers of Pod North can do this');
});

test('the remote teacher of record sees both her pods on Now, writes the day’s note, and sees Rosa acknowledge it live', async ({
	browser,
	page
}) => {
	const origin = own.server.origin;
	await page.goto(`${origin}/login`);
	await page.getByLabel('Email').fill('remote@demo.school');
	await page.getByLabel('Password').fill('podboard-demo');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('heading', { name: 'My pods', level: 1 })).toBeVisible(LANDING);
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Now' }).click();
	await expect(page.getByRole('heading', { name: 'My pods now', level: 1 })).toBeVisible();
	const north = page.getByRole('region', { name: 'Pod North' });
	const ridge = page.getByRole('region', { name: 'Pod Ridge' });
	await expect(north).toContainText('Northside Demo School · you are teacher of record, remote');
	await expect(ridge).toContainText('Ridgeway Rural School · you are teacher of record, remote');
	await expect(ridge).toContainText(/Students present\s*12 of 12/);
	await expect(north).toContainText('None written.');
	await expect(page.getByText('Live: changes appear as they happen.')).toBeVisible();
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, 'now-remote-teacher', { fullPage: false });

	// She writes today's note on Pod North's board.
	await north.getByRole('link', { name: 'Pod North' }).click();
	const note = page.getByRole('region', { name: 'Today’s note' });
	await note.getByRole('button', { name: 'Write a day’s note' }).click();
	await note.getByLabel('What to watch for').fill('Grade 5 adding numerators and denominators');
	await note.getByLabel('Who to check on').fill('Amara Brooks: stuck on ratio tables yesterday');
	await note
		.getByLabel('Assessment to give, and how')
		.fill('Quiz: fractions after lunch, on paper, 20 minutes');
	await note.getByRole('button', { name: 'Save the note' }).click();
	await expect(note).toContainText('Check on Amara Brooks: stuck on ratio tables yesterday');
	await expect(note.getByRole('button', { name: 'Acknowledge' })).toHaveCount(0);
	await expect(note).toContainText('Not yet: Daniel Reyes, Maya Okafor, Priya Shah, Rosa Delgado.');

	// Back on Now, she waits for the room to read it.
	await page.goto(`${origin}/now`);
	await expect(north).toContainText('Not yet: Daniel Reyes, Maya Okafor, Priya Shah, Rosa Delgado.');

	// Rosa, in the room, reads it on the board and acknowledges it.
	const rosa = await (await browser.newContext({ viewport: { width: 1024, height: 768 } })).newPage();
	await staffOpensPodNorth(rosa, 'support@demo.school', origin);
	const rosasNote = rosa.getByRole('region', { name: 'Today’s note' });
	await expect(rosasNote).toContainText('Quiz: fractions after lunch, on paper, 20 minutes');
	await expect(rosasNote.getByRole('button', { name: /Rewrite/ })).toHaveCount(0);
	await rosasNote.getByRole('button', { name: 'Acknowledge' }).click();
	await expect(rosasNote).toContainText(/Read by Rosa Delgado/);

	// Grace sees it on Now without a reload.
	await expect(north).toContainText('Read by Rosa Delgado.');
	await expect(north).toContainText('Not yet: Daniel Reyes, Maya Okafor, Priya Shah.');
});
