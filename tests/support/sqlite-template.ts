// Global setup of the "integration-sqlite" project: the test pods migrated and seeded once per
// run, into a file every test copies into memory (tests/support/database.ts). Migrating and
// seeding each time cost ~0.5 s and three scrypt hashes a test pod; a copy costs a millisecond.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { TestProject } from 'vitest/node';
import { createDb } from '../../src/lib/server/db';
import { seedTestPods } from './pod';

export default async function setup(project: TestProject) {
	// The tests' cheap password hashes (vite.config.ts sets them for the tests, not for global setup).
	process.env.PODBOARD_TEST_CHEAP_HASHES ??= '1';
	const folder = mkdtempSync(join(tmpdir(), 'podboard-template-'));
	const file = join(folder, 'template.sqlite');
	const db = createDb(':memory:');
	try {
		await seedTestPods(db);
		await sql`vacuum into ${file}`.execute(db);
	} finally {
		await db.destroy();
	}
	project.provide('sqliteTemplate', file);
	return () => rmSync(folder, { recursive: true, force: true });
}
