import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

const INTEGRATION = 'tests/integration/**/*.test.ts';
/** About SQLite's file, its pragmas or its backup API: nothing to run on PostgreSQL. */
const SQLITE_ONLY = ['backup', 'crash-safety', 'startup', 'roster-import-cli'].map(
	(name) => `tests/integration/${name}.test.ts`
);
/** PostgreSQL's own: LISTEN/NOTIFY, several app servers, the two engines compared. */
const POSTGRES_ONLY = ['postgres', 'postgres-bus', 'two-servers'].map(
	(name) => `tests/integration/${name}.test.ts`
);

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
