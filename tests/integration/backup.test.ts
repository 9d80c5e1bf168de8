// Online backup and restore, against the production build over real HTTP: `npm run backup`
// copies the database while a student's device keeps recording progress, and `npm run restore`
// puts that copy in place of another database. The restored file passes integrity_check and
// holds every event acknowledged before the backup began.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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

const folder = mkdtempSync(join(tmpdir(), 'podboard-backup-'));
const live = join(folder, 'live.sqlite');
const backup = join(folder, 'backup.sqlite');
const restored = join(folder, 'restored', 'podboard.sqlite');
let server: KillableServer | undefined;

beforeAll(() => ensureBuild(), 300_000);
afterAll(async () => {
	await server?.kill('SIGTERM');
	rmSync(folder, { recursive: true, force: true });
});

/** An npm script as a separate process, against the database DATABASE_URL names. */
function npmRun(script: string, args: string[], databaseUrl: string) {
	return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
		const child = spawn('npm', ['run', '--silent', script, '--', ...args], {
			env: { ...process.env, DATABASE_URL: databaseUrl },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('exit', (code) => resolve({ code, stdout, stderr }));
	});
}

function readBack(file: string) {
	const db = new SQLite(file, { readonly: true, fileMustExist: true });
	try {
		return {
			integrity: db.pragma('integrity_check', { simple: true }),
			ids: new Set(db.prepare('SELECT id FROM progress_events').pluck().all() as string[])
		};
	} finally {
		db.close();
	}
}

describe('npm run backup while the server writes, then npm run restore', () => {
	it('copies every acknowledged event into a file that restores intact', async () => {
		server = await startKillableServer(`file:${live}`, true);
		const student = await signInDemoStudent(server);
		const acknowledged = new Set<string>();
		const streams = [1, 2].map(() => streamProgress(server!, student, acknowledged, 10));
		await new Promise((resolve) => setTimeout(resolve, 500));

		const before = new Set(acknowledged);
		const made = await npmRun('backup', [backup], `file:${live}`);
		const duringBackup = acknowledged.size - before.size;
		await Promise.all(streams.map((s) => s.stop()));

		expect(made.stderr).not.toMatch(/backup:/);
		expect(made.code).toBe(0);
		expect(made.stdout).toMatch(/Backed up .* MB \(\d+ bytes\) in [\d.]+ s; integrity_check ok/);
		expect(before.size).toBeGreaterThan(0);
		// The server kept acknowledging writes while the backup command ran: an online backup.
		expect(duringBackup).toBeGreaterThan(0);

		// An existing target is refused unless --force.
		const again = await npmRun('backup', [backup], `file:${live}`);
		expect(again.code).not.toBe(0);
		expect(again.stderr).toMatch(/exists; add --force/);

		// A restore onto the database the server has open is refused, and changes nothing.
		const intoLive = await npmRun('restore', [backup], `file:${live}`);
		expect(intoLive.code).not.toBe(0);
		expect(intoLive.stderr).toMatch(/in use .*stop the server first/);
		const stillThere = readBack(live);
		expect([...acknowledged].every((id) => stillThere.ids.has(id))).toBe(true);

		// A restore into a new place.
		const put = await npmRun('restore', [backup], `file:${restored}`);
		expect(put.code).toBe(0);
		expect(put.stdout).toMatch(/Restored .*integrity_check ok/);
		expect(existsSync(`${restored}-wal`)).toBe(false);
		const copy = readBack(restored);
		expect(copy.integrity).toBe('ok');
		expect([...before].filter((id) => !copy.ids.has(id))).toEqual([]);

		// Once the server is stopped, a restore over its own database keeps the one it replaces,
		// with every event acknowledged up to the end, those still in its write-ahead log too.
		await server.kill('SIGTERM');
		const over = await npmRun('restore', [backup], `file:${live}`);
		expect(over.code).toBe(0);
		const keptAs = /kept as (.+)\.$/m.exec(over.stdout)?.[1];
		expect(keptAs).toMatch(/live\.sqlite\.before-restore-/);
		const kept = readBack(keptAs!);
		expect(kept.integrity).toBe('ok');
		expect([...acknowledged].filter((id) => !kept.ids.has(id))).toEqual([]);
		const overLive = readBack(live);
		expect(overLive.integrity).toBe('ok');
		expect(overLive.ids).toEqual(copy.ids);

		// The restored database serves: a server started on it lets the same device record.
		server = await startKillableServer(`file:${restored}`, true);
		const after = new Set<string>();
		const stream = streamProgress(server, student, after, 10);
		await new Promise((resolve) => setTimeout(resolve, 100));
		await stream.stop();
		expect(after.size).toBeGreaterThan(0);
		expect(readBack(restored).integrity).toBe('ok');
		console.log(
			`backup: ${before.size} events acknowledged before it began, ${duringBackup} more during it; ${made.stdout.trim()}`
		);
	}, 120_000);
});
