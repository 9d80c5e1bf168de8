// Crash safety, against the production build over real HTTP: a student's device streams
// progress.record batches while the server is killed with SIGKILL at random moments, again and
// again. After every restart the SQLite file passes PRAGMA integrity_check and holds every event
// whose batch was answered 200: an acknowledgement is a promise that the event is stored.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild } from '../../scripts/ensure-build.js';
import {
	signInDemoStudent,
	startKillableServer,
	streamProgress,
	type KillableServer
} from '../support/killable-server';

const ROUNDS = 10;
const folder = mkdtempSync(join(tmpdir(), 'podboard-crash-'));
const file = join(folder, 'podboard.sqlite');
const url = `file:${file}`;
let server: KillableServer | undefined;

beforeAll(() => ensureBuild(), 300_000);
afterAll(async () => {
	await server?.kill('SIGKILL');
	rmSync(folder, { recursive: true, force: true });
});

/** What a running server's database looks like to a second connection (WAL lets it read). */
function inspect(acknowledged: Set<string>) {
	const db = new SQLite(file, { readonly: true, fileMustExist: true });
	try {
		const integrity = db.pragma('integrity_check', { simple: true });
		const stored = new Set(
			(db.prepare('SELECT id FROM progress_events').pluck().all() as string[]).filter((id) =>
				acknowledged.has(id)
			)
		);
		return { integrity, missing: [...acknowledged].filter((id) => !stored.has(id)) };
	} finally {
		db.close();
	}
}

describe('a server killed with SIGKILL while it records progress', () => {
	it(`loses no acknowledged event and stays intact, over ${ROUNDS} kills`, async () => {
		server = await startKillableServer(url, true);
		const student = await signInDemoStudent(server);
		expect(student.assignmentIds.length).toBeGreaterThan(0);

		const acknowledged = new Set<string>();
		const kills: { afterMs: number; acknowledgedSoFar: number }[] = [];
		for (let round = 0; round < ROUNDS; round++) {
			// Two devices' worth of batches in flight, so a kill can land mid-request or mid-commit.
			const streams = [1, 2].map(() => streamProgress(server!, student, acknowledged, 10));
			const afterMs = 100 + Math.floor(Math.random() * 500);
			await new Promise((resolve) => setTimeout(resolve, afterMs));
			await server.kill('SIGKILL');
			await Promise.all(streams.map((s) => s.done));
			kills.push({ afterMs, acknowledgedSoFar: acknowledged.size });

			// The restart runs migrations and recovers the WAL; then the file is checked.
			server = await startKillableServer(url, true);
			const { integrity, missing } = inspect(acknowledged);
			expect(integrity, `integrity_check after kill ${round + 1}`).toBe('ok');
			expect(missing, `acknowledged events missing after kill ${round + 1}`).toEqual([]);
		}
		// The streams really were streaming when the kills landed.
		expect(acknowledged.size).toBeGreaterThan(ROUNDS * 10);
		// The device's session survived every crash: it still records after the last restart.
		const last = streamProgress(server, student, acknowledged, 10);
		await new Promise((resolve) => setTimeout(resolve, 100));
		await last.stop();
		expect(last.batches()).toBeGreaterThan(0);
		expect(inspect(acknowledged).missing).toEqual([]);
		console.log(
			`crash-safety: ${ROUNDS} SIGKILLs at ${kills.map((k) => k.afterMs).join(', ')} ms; ${acknowledged.size} events acknowledged, all stored`
		);
	}, 120_000);
});
