// `npm run restore -- <backup file>`: put a backup made by `npm run backup` in place of the
// configured database (DATABASE_URL). Stop the server first: the restore refuses while another
// process has the database open (it asks SQLite for an exclusive lock to find out). The backup
// is copied beside the database and checked with `PRAGMA integrity_check` before anything is
// replaced; the database it replaces is kept as `<database>.before-restore-<time>`.
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { DEFAULT_DATABASE_URL, sqlitePath } from '../src/lib/server/db';

function fail(message: string): never {
	console.error(`restore: ${message}`);
	process.exit(1);
}

const args = process.argv.slice(2);
if (args.length !== 1) fail('usage: npm run restore -- <backup file>');
const backup = resolve(args[0]);
const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const target = sqlitePath(url);
if (target === ':memory:')
	fail('DATABASE_URL points at an in-memory database; there is nothing to restore into.');
if (!existsSync(backup)) fail(`${backup} does not exist.`);
if (backup === target) fail('the backup is the database itself.');
mkdirSync(dirname(target), { recursive: true });

const staged = `${target}.restoring-${process.pid}`;
const sidecars = (file: string) => ['-wal', '-shm', '-journal'].map((suffix) => file + suffix);
const removeStaged = () => [staged, ...sidecars(staged)].forEach((f) => rmSync(f, { force: true }));

// 1. The backup, copied beside the database (same file system, so the last step is a rename), checked.
copyFileSync(backup, staged);
const copy = new SQLite(staged, { fileMustExist: true });
let verdict: string;
try {
	verdict = String(copy.pragma('integrity_check', { simple: true }));
} catch (error) {
	verdict = (error as Error).message;
} finally {
	copy.close();
}
if (verdict !== 'ok') {
	removeStaged();
	fail(`${backup} failed PRAGMA integrity_check, nothing was changed: ${verdict}`);
}

// 2. The current database: refused while in use; otherwise its WAL is folded in and it is kept.
let keptAs: string | undefined;
if (existsSync(target)) {
	const current = new SQLite(target, { fileMustExist: true, timeout: 0 });
	try {
		// Every connection to a WAL database holds a shared lock on the file while it is open,
		// so an exclusive lock is refused exactly when a server (or anything else) has it open.
		current.pragma('locking_mode = EXCLUSIVE');
		current.exec('BEGIN EXCLUSIVE');
		current.exec('COMMIT');
		current.pragma('wal_checkpoint(TRUNCATE)');
	} catch (error) {
		current.close();
		removeStaged();
		fail(`${target} is in use (${(error as Error).message}); stop the server first. Nothing was changed.`);
	}
	current.close();
	keptAs = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
	renameSync(target, keptAs);
}
// A stale -wal or -shm beside the restored file would be replayed into it: remove them first.
sidecars(target).forEach((f) => rmSync(f, { force: true }));
renameSync(staged, target);
removeStaged();

console.log(`Restored ${backup} to ${target}; integrity_check ok.`);
if (keptAs) console.log(`The database it replaced is kept as ${keptAs}.`);
