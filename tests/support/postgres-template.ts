// Global setup of the "integration-postgres" project: one database migrated and seeded with the
// test pods, which every test copies (CREATE DATABASE … TEMPLATE takes a fraction of a second;
// migrating and seeding each time would take several). Everything this run made is dropped at
// its end, and what a killed run left behind is dropped at the next start.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { TestProject } from 'vitest/node';
import { createDb } from '../../src/lib/server/db';
import { serverAdmin, withDatabase } from './database';
import { seedTestPods } from './pod';

const PREFIX = 'podboard_t';

const alive = (pid: number) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
};

export default async function setup(project: TestProject) {
	// The tests' cheap password hashes (vite.config.ts sets them for the tests, not for global setup).
	process.env.PODBOARD_TEST_CHEAP_HASHES ??= '1';
	const serverUrl = process.env.TEST_DATABASE_URL;
	if (!serverUrl) throw new Error('The PostgreSQL project needs TEST_DATABASE_URL');
	const run = `${PREFIX}_${process.pid}_${randomBytes(3).toString('hex')}`;
	const template = `${run}_template`;
	const admin = serverAdmin(serverUrl);

	const ours = async (keep: (name: string) => boolean) => {
		const { rows } = await sql<{ name: string }>`
			select datname as name from pg_database where datname like ${`${PREFIX}\\_%`}`.execute(admin);
		return rows.map((row) => row.name).filter(keep);
	};
	const drop = async (names: string[]) => {
		for (const name of names) await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
	};
	// A database named after a process that is gone is a leftover of a killed run.
	await drop(await ours((name) => !alive(Number(name.split('_')[2]))));

	await sql`create database ${sql.id(template)}`.execute(admin);
	const db = createDb(withDatabase(serverUrl, template));
	try {
		await seedTestPods(db);
	} finally {
		await db.destroy();
	}
	project.provide('postgresTemplate', { serverUrl, template, prefix: `${run}_` });

	return async () => {
		await drop(await ours((name) => name.startsWith(run)));
		await admin.destroy();
	};
}
