import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const INTEGRATION = 'tests/integration/**/*.test.ts';
/** About SQLite's file, its pragmas or its backup API: nothing to run on PostgreSQL. */
const SQLITE_ONLY = ['backup', 'crash-safety', 'startup', 'roster-import-cli'].map(
	(name) => `tests/integration/${name}.test.ts`
);
/** PostgreSQL's own: LISTEN/NOTIFY, several app servers, the two engines compared. */
const POSTGRES_ONLY = ['postgres', 'postgres-bus', 'two-servers'].map(
	(name) => `tests/integration/${name}.test.ts`
);

/**
 * The integration files that take longest, slowest first (each 20 s to 2 min on CI's two cores;
 * `npx vitest run --reporter=json --outputFile=v.json` gives every file's time). They start
 * first, on both engines, so the short files fill in at the end: started last, as a fresh clone
 * (no times from a last run) would start these small files, one would keep a worker busy for a
 * minute or two while the other sat idle. The rest keep Vitest's order.
 */
const SLOWEST = [
	'hostile-input',
	'sign-in',
	'load',
	'roster-import-cli',
	'backup',
	'policy',
	'claims-race',
	'crash-safety',
	'sign-in-throttle'
].map((name) => `/tests/integration/${name}.test.ts`);

class SlowestFirst extends BaseSequencer {
	async sort(files: TestSpecification[]) {
		const rank = (file: TestSpecification) => {
			const at = SLOWEST.findIndex((path) => file.moduleId.endsWith(path));
			return at === -1 ? SLOWEST.length : at;
		};
		return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
	}
}

const postgres = process.env.TEST_DATABASE_URL;
if (!postgres && process.argv.some((arg) => arg.includes('vitest'))) {
	console.warn(
		'\n  The PostgreSQL integration suite is NOT run: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test' +
			' (a server where the user may create databases) to run it.\n'
	);
}

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		environment: 'node',
		// Passwords hashed at a test's cost (src/lib/server/auth/passwords.ts), here and in the servers
		// the tests start; the sign-in throttle's tests keep the real cost, whose time they race.
		env: { PODBOARD_TEST_CHEAP_HASHES: '1' },
		// A test that asserts nothing is a test that cannot fail.
		expect: { requireAssertions: true },
		// Generous, because CI's two cores run both engines' suites at once: a test that hangs still
		// fails, but a slow one is not mistaken for a broken one. (Speed is measured in the bench.)
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// better-sqlite3 is native: forks keep one copy per worker and exit cleanly.
		pool: 'forks',
		// Vitest's default is one worker fewer than the cores: one, on our two. Much of the suite
		// waits (on servers it starts, on PostgreSQL, on a 40 s load), so two files at a time
		// finish sooner without starving either.
		maxWorkers: 2,
		sequence: { sequencer: SlowestFirst },
		projects: [
			{ extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
			{
				extends: true,
				test: {
					name: 'integration-sqlite',
					include: [INTEGRATION],
					exclude: POSTGRES_ONLY,
					globalSetup: ['tests/support/build-once.ts', 'tests/support/sqlite-template.ts']
				}
			},
			...(postgres
				? [
						{
							extends: true as const,
							test: {
								name: 'integration-postgres',
								include: [INTEGRATION],
								exclude: SQLITE_ONLY,
								env: { PODBOARD_TEST_DIALECT: 'postgres' },
								globalSetup: ['tests/support/build-once.ts', 'tests/support/postgres-template.ts']
							}
						}
					]
				: [])
		]
	}
});
