// The board in Chromium: first render of the grid, and one live change, read from the
// User Timing marks the board itself sets (podboard:board-first-render, podboard:live-change).
import { randomUUID } from 'node:crypto';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../support/chromium';
import { percentile, type BenchServer } from './server';

export async function measureBoard(
	server: BenchServer,
	options: {
		podId: string;
		email: string;
		password: string;
		studentCookie: string;
		assignmentIds: string[];
		loads: number;
	}
) {
	const browser = await chromium.launch(chromiumLaunchOptions());
	try {
		const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
		const page = await context.newPage();
		await page.goto(`${server.origin}/login`);
		await page.getByLabel('Email').fill(options.email);
		await page.getByLabel('Password').fill(options.password);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.waitForURL(/\/pods$/);

		const firstRenders: number[] = [];
		let cells = 0;
		for (let i = 0; i < options.loads; i++) {
			await page.goto(`${server.origin}/pods/${options.podId}`);
			const measure = await page.waitForFunction(
				() => performance.getEntriesByName('podboard:board-first-render')[0]?.duration,
				undefined,
				{ timeout: 30_000 }
			);
			firstRenders.push(Number(await measure.jsonValue()));
			cells = await page.getByRole('gridcell').count();
		}

		// Live changes: the board must be listening before the student acts.
		await page.waitForTimeout(1000);
		const changes: number[] = [];
		for (const assignmentId of options.assignmentIds) {
			const before = await page.evaluate(() => performance.getEntriesByName('podboard:live-change').length);
			await server.post(
				'progress.record',
				{
					events: [
						{ eventId: randomUUID(), assignmentId, kind: 'start', occurredAt: new Date().toISOString() }
					]
				},
				options.studentCookie
			);
			const duration = await page.waitForFunction(
				(count) => performance.getEntriesByName('podboard:live-change')[count]?.duration,
				before,
				{ timeout: 10_000 }
			);
			changes.push(Number(await duration.jsonValue()));
		}
		return {
			cells,
			firstRender: { p50: percentile(firstRenders, 50), max: Math.max(...firstRenders) },
			liveChange: { p50: percentile(changes, 50), max: Math.max(...changes) }
		};
	} finally {
		await browser.close();
	}
}
