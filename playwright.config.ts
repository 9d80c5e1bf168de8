import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './tests/support/chromium';

/**
 * The browser tests run in two lanes side by side, each against a production server and a demo
 * database of its own. Within a lane the tests take turns, as they always have: they change the
 * demo pod (sign-in locks, cards that change a student's pictures, claims), each moving only
 * students no other test uses. The second lane takes the files named here, chosen so that the
 * lanes take about as long (`npx playwright test --reporter=json` gives each test's time); the
 * first takes the rest, and is the server there always was: 127.0.0.1:4173, which some tests
 * name, on test-results/e2e-db/, whose file student-work.test.ts reads.
 */
const LANES = [
	{ port: 4173, database: 'test-results/e2e-db/podboard.sqlite' },
	{
		port: 4174,
		database: 'test-results/e2e-db-2/podboard.sqlite',
		files: [
			'board',
			'library',
			'duties',
			'coaching',
			'audit',
			'data',
			'roster-import',
			'two-servers',
			'skills-report',
			// These start servers of their own: either lane may take them.
			'evidence',
			'team-invitations',
			'checks'
		].map((name) => `${name}.test.ts`)
	}
];
const origin = (port: number) => `http://127.0.0.1:${port}`;

export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: 'test-results/e2e',
	// A test of several browsers and a whole board outgrows 30 s on a busy two-core machine; a time
	// limit here catches a hang, it is not a measure of speed (that is npm run bench).
	timeout: 60_000,
	fullyParallel: false,
	workers: LANES.length,
	retries: 0,
	reporter: process.env.CI ? 'line' : 'list',
	use: {
		trace: 'retain-on-failure',
		launchOptions: chromiumLaunchOptions()
	},
	projects: LANES.map(({ port, files }, lane) => ({
		name: `lane ${lane + 1}`,
		// One test at a time against each lane's server.
		workers: 1,
		use: { baseURL: origin(port) },
		...(files ? { testMatch: files } : { testIgnore: LANES.flatMap((other) => other.files ?? []) })
	})),
	// Started one after the other: the first builds if the build is stale, the next finds it fresh.
	webServer: LANES.map(({ port, database }) => ({
		// The production build, on a fresh database that the server migrates and seeds itself.
		command: 'node scripts/e2e-server.js',
		url: `${origin(port)}/login`,
		timeout: 180_000,
		reuseExistingServer: false,
		stdout: 'pipe' as const,
		env: { PORT: String(port), ORIGIN: origin(port), DATABASE_URL: `file:./${database}`, PODBOARD_DEMO: '1' }
	}))
});
