import { expect, test } from '@playwright/test';
import pg from 'pg';
import { startKillableServer, type KillableServer } from '../support/killable-server';
import { cellName, heatmapOf, pickStudents, tap, type Status } from './board-reading';
import { leadOpensPodNorth, studentOnOwnDevice } from './people';

// A district's setup, in two browsers: two app servers (the production build, as two processes
// on their own ports) over one fresh PostgreSQL database. A student works on server A; the
// lead's board, open on server B, changes live. Runs where TEST_DATABASE_URL is set (CI).

const SERVER_URL = process.env.TEST_DATABASE_URL;
test.skip(!SERVER_URL, 'TEST_DATABASE_URL is not set: the PostgreSQL two-server test was not run');
// Two servers migrate and seed a database of their own before the first page opens.
test.describe.configure({ timeout: 180_000 });

const database = `podboard_e2e_${process.pid}`;
let servers: KillableServer[] = [];

/** Run one statement on the server's maintenance database. */
async function onServer(statement: string) {
	const client = new pg.Client({ connectionString: SERVER_URL });
	await client.connect();
	try {
		await client.query(statement);
	} finally {
		await client.end();
	}
}

test.beforeAll(async () => {
	await onServer(`drop database if exists "${database}" with (force)`);
	await onServer(`create database "${database}"`);
	const url = new URL(SERVER_URL!);
	url.pathname = `/${database}`;
	// Both at once on the empty database, as a load balancer's servers would start.
	servers = await Promise.all([
		startKillableServer(url.toString(), true),
		startKillableServer(url.toString(), true)
	]);
});

test.afterAll(async () => {
	await Promise.all(servers.map((server) => server.kill('SIGKILL')));
	if (SERVER_URL) await onServer(`drop database if exists "${database}" with (force)`);
});

test("a student's work on one app server reaches the lead's board on the other, live", async ({
	browser
}) => {
	const [serverA, serverB] = servers;
	const lead = await (await browser.newContext({ baseURL: serverB.origin })).newPage();
	await leadOpensPodNorth(lead);
	const grid = lead.getByRole('grid', { name: 'Pod progress' });
	await expect(lead.getByText('Live', { exact: true })).toBeVisible();
	const podId = lead.url().split('/').pop()!;
	const [{ student, activity }] = pickStudents(await heatmapOf(lead, podId), 1, 0);
	const cell = (status: Status) =>
		grid.getByRole('gridcell', { name: cellName(student.name, activity.title, status) });
	await expect(cell('not_started')).toHaveCount(1);
	await lead.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

	const device = await studentOnOwnDevice(browser, student.name, serverA.origin);
	expect(new URL(device.url()).origin).toBe(serverA.origin);
	await tap(device, activity.title, 'Start');

	await expect(cell('in_progress')).toHaveCount(1, { timeout: 5_000 });
	await expect(cell('not_started')).toHaveCount(0);
	expect(await lead.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
	await device.context().close();
	await lead.context().close();
});
