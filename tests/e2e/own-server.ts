import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type Page } from '@playwright/test';
import { startKillableServer, type KillableServer } from '../support/killable-server';
import { expectNoSeriousAxeViolations, snapshot } from './axe';

/**
 * A production server on a database of the calling test file's own (the demo's, or an empty one),
 * started before its tests and stopped after: for tests that change what the shared demo server's
 * other tests count on. Read `server` and `databaseUrl` inside a test, once it has started.
 */
export function serverOfItsOwn(name: string, { demo }: { demo: boolean }) {
	const own = { folder: '', databaseUrl: '', server: undefined as unknown as KillableServer };
	test.beforeAll(async () => {
		own.folder = mkdtempSync(join(tmpdir(), `podboard-${name}-`));
		own.databaseUrl = `file:${join(own.folder, 'podboard.sqlite')}`;
		own.server = await startKillableServer(own.databaseUrl, demo);
	});
	test.afterAll(async () => {
		await own.server?.kill('SIGTERM');
		if (own.folder) rmSync(own.folder, { recursive: true, force: true });
	});
	return own;
}

/** The page as it is, at the laptop's size and at a phone's 360 px, for a person to look at. */
export async function photograph(page: Page, name: string) {
	await snapshot(page, `${name}-1366`);
	await page.setViewportSize({ width: 360, height: 740 });
	await expectNoSeriousAxeViolations(page);
	await snapshot(page, `${name}-360`);
	await page.setViewportSize({ width: 1366, height: 768 });
}
