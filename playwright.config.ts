import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// Browser tests use an installed Chromium; Playwright never downloads one here.
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(chromium)) {
	throw new Error(
		`No Chromium at ${chromium}. Install one (Debian/Ubuntu: sudo apt-get install -y chromium) ` +
			'or point CHROMIUM_PATH at a Chromium or Chrome binary.'
	);
}

const PORT = 4173;
const ORIGIN = `http://127.0.0.1:${PORT}`;

export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: 'test-results/e2e',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	reporter: process.env.CI ? 'line' : 'list',
	use: {
		baseURL: ORIGIN,
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath: chromium,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	},
	webServer: {
		// The production build, on a fresh database that the server migrates and seeds itself.
		command: 'node scripts/e2e-server.js',
		url: `${ORIGIN}/login`,
		timeout: 180_000,
		reuseExistingServer: false,
		stdout: 'pipe',
		env: {
			PORT: String(PORT),
			ORIGIN,
			DATABASE_URL: 'file:./test-results/e2e-db/podboard.sqlite',
			PODBOARD_DEMO: '1'
		}
	}
});
