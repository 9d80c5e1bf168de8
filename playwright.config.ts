import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './tests/support/chromium';

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
		launchOptions: chromiumLaunchOptions()
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
