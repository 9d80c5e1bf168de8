// `npm run roster:import -- <zip, folder or .csv> [--pod <join code>] [--skip-class <sourcedId>]… [--dry-run]`
// A school's nightly sync from its information system, against the configured DATABASE_URL:
// prints the same preview and errors as the roster page, applies it in one transaction unless
// --dry-run, and exits non-zero on any error. --pod may be left out when there is one pod.
// It runs as the school's IT person, who holds the database itself: as an admin, so it may change
// people of other pods (the preview says which) — but never an admin account.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createDb, DEFAULT_DATABASE_URL, migrateToLatest, withoutPassword } from '../src/lib/server/db';
import { archivedMessage } from '../src/lib/server/pods/settings';
import { applyImport, incomingFromUpload } from '../src/lib/server/roster/oneroster/apply';
import { planImport } from '../src/lib/server/roster/oneroster/plan';
import { formatPlan } from '../src/lib/server/roster/oneroster/report';
import type { UploadedFile } from '../src/lib/server/roster/oneroster/upload';

const USAGE =
	'Usage: npm run roster:import -- <zip, folder or .csv> [--pod <join code>] [--skip-class <sourcedId>]… [--dry-run]';

function fail(message: string): never {
	console.error(message);
	process.exit(1);
}

const args = process.argv.slice(2);
let path: string | undefined;
let podCode: string | undefined;
let dryRun = false;
const skipClasses: string[] = [];
for (let i = 0; i < args.length; i++) {
	const arg = args[i];
	if (arg === '--dry-run') dryRun = true;
	else if (arg === '--pod') podCode = args[++i] ?? fail(USAGE);
	else if (arg === '--skip-class') skipClasses.push(args[++i] ?? fail(USAGE));
	else if (arg.startsWith('--') || path) fail(USAGE);
	else path = arg;
}
if (!path) fail(USAGE);

function readFiles(target: string): UploadedFile[] {
	let stat;
	try {
		stat = statSync(target);
	} catch {
		fail(`${target} does not exist.`);
	}
	if (!stat.isDirectory()) return [{ name: target, bytes: readFileSync(target) }];
	return readdirSync(target)
		.filter((name) => /\.csv$/i.test(name))
		.map((name) => ({ name, bytes: readFileSync(join(target, name)) }));
}

const AS_ADMIN = { isAdmin: true };
const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const db = createDb(url);
/** What the output names: never the database's password. */
const shown = withoutPassword(url);
let exitCode = 0;
try {
	await migrateToLatest(db);
	const pods = await db
		.selectFrom('pods')
		.select(['id', 'join_code', 'name', 'archived_at'])
		.orderBy('name')
		.execute();
	const pod = podCode
		? pods.find((p) => p.join_code.toUpperCase() === podCode!.toUpperCase())
		: pods.length === 1
			? pods[0]
			: undefined;
	if (!pod) {
		const known = pods.map((p) => `${p.join_code} (${p.name})`).join(', ') || 'none yet';
		throw new Error(
			podCode
				? `No pod has the code ${podCode}. Pods in ${shown}: ${known}.`
				: `Say which pod with --pod <join code>. Pods in ${shown}: ${known}.`
		);
	}
	// A nightly sync into a pod that was archived since: refused, and the job fails for IT to see.
	if (pod.archived_at !== null) throw new Error(archivedMessage(pod.name));
	const incoming = incomingFromUpload(readFiles(path), skipClasses);
	if (dryRun) {
		const plan = await planImport(db, pod.id, incoming, AS_ADMIN);
		console.log(formatPlan(plan));
		console.log(
			plan.errors.length
				? '\nDry run: nothing was changed.'
				: '\nDry run: nothing was changed. Run again without --dry-run to apply.'
		);
		if (plan.errors.length) exitCode = 1;
	} else {
		const result = await applyImport(db, {
			podId: pod.id,
			incoming,
			actorId: null,
			actor: AS_ADMIN,
			via: 'roster:import'
		});
		console.log(formatPlan(result.plan));
		if (result.plan.errors.length) {
			console.log('\nNothing was imported.');
			exitCode = 1;
		} else {
			console.log(result.applied ? `\nApplied to ${shown}.` : '\nThe pod already matches these files.');
		}
	}
} catch (error) {
	console.error(error instanceof Error ? error.message : String(error));
	exitCode = 1;
} finally {
	await db.destroy();
}
process.exit(exitCode);
