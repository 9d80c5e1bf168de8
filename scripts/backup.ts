// `npm run backup -- <target file> [--force]`: an online copy of the configured database
// (DATABASE_URL) made with SQLite's backup API, safe while the server runs and writes. The copy
// is written beside the target, checked with `PRAGMA integrity_check`, then renamed into place,
// so a failed or interrupted backup never leaves a half-written file under the target's name.
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { DEFAULT_DATABASE_URL, sqlitePath } from '../src/lib/server/db';

function fail(message: string): never {
	console.error(`backup: ${message}`);
	process.exit(1);
}

const args = process.argv.slice(2);
const force = args.includes('--force');
const targets = args.filter((a) => a !== '--force');
if (targets.length !== 1) fail('usage: npm run backup -- <target file> [--force]');
const target = resolve(targets[0]);

const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const source = sqlitePath(url);
if (source === ':memory:') fail('DATABASE_URL points at an in-memory database; there is nothing to back up.');
if (!existsSync(source)) fail(`${source} does not exist (DATABASE_URL=${url}).`);
if (target === source) fail('the target is the database itself.');
if (existsSync(target) && !force) fail(`${target} exists; add --force to replace it.`);
if (!existsSync(dirname(target))) fail(`the folder ${dirname(target)} does not exist.`);

const partial = `${target}.partial-${process.pid}`;
const removePartial = () => {
	for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(partial + suffix, { force: true });
};

const started = performance.now();
// The server's connection is untouched: this is a second connection, and WAL lets it read while
// the server writes. The journal mode is not changed here; the server set it.
const db = new SQLite(source, { fileMustExist: true, timeout: 5000 });
try {
	// The first step copies nothing; every step after it copies all remaining pages at once, so
	// the copy is one read transaction's snapshot and never restarts because the server wrote.
	await db.backup(partial, { progress: () => 0x7fffffff });
} catch (error) {
	removePartial();
	fail(`the copy failed: ${(error as Error).message}`);
} finally {
	db.close();
}

const copy = new SQLite(partial, { fileMustExist: true });
let verdict: string;
try {
	verdict = String(copy.pragma('integrity_check', { simple: true }));
	// A backup is one self-contained file: rollback journal, no -wal beside it.
	if (verdict === 'ok') copy.pragma('journal_mode = DELETE');
} finally {
	copy.close();
}
if (verdict !== 'ok') {
	removePartial();
	fail(`the copy failed PRAGMA integrity_check: ${verdict}`);
}
renameSync(partial, target);
removePartial();

const bytes = statSync(target).size;
const seconds = (performance.now() - started) / 1000;
console.log(
	`Backed up ${source} to ${target}: ${(bytes / 2 ** 20).toFixed(2)} MB (${bytes} bytes) in ${seconds.toFixed(2)} s; integrity_check ok.`
);
