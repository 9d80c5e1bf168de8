import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
		environment: 'node',
		globalSetup: ['tests/support/build-once.ts'],
		// A test that asserts nothing is a test that cannot fail.
		expect: { requireAssertions: true },
		// better-sqlite3 is native: forks keep one copy per worker and exit cleanly.
		pool: 'forks'
	}
});
