// `npm run admin:create -- <email>`: a school's first admin account, on a database without the demo.
// Asks for the password twice without echoing it; PODBOARD_ADMIN_PASSWORD supplies it non-interactively.
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { hashSecret } from '../src/lib/server/auth/passwords';
import { auditedWrite } from '../src/lib/server/audit/log';
import { createDb, DEFAULT_DATABASE_URL, migrateToLatest, withoutPassword } from '../src/lib/server/db';
import { createStaffAccount } from '../src/lib/server/staff/accounts';
import { passwordProblem } from '../src/lib/staff/passwords';

function fail(message: string): never {
	console.error(message);
	process.exit(1);
}

function askHidden(question: string): Promise<string> {
	return new Promise((resolve) => {
		const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
		// Print the question, then swallow the echo of what is typed.
		const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput;
		(rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
			if (s.startsWith(question)) write.call(rl, question);
		};
		rl.question(question, (answer) => {
			rl.close();
			process.stdout.write('\n');
			resolve(answer);
		});
	});
}

const [email, ...rest] = process.argv.slice(2);
if (!email || rest.length) fail('Usage: npm run admin:create -- <email>');
if (!z.email().safeParse(email).success) fail(`"${email}" is not an email address.`);

let password = process.env.PODBOARD_ADMIN_PASSWORD ?? '';
if (!password) {
	if (!process.stdin.isTTY) fail('No terminal to ask for a password: set PODBOARD_ADMIN_PASSWORD instead.');
	password = await askHidden('Password for the new admin: ');
	if ((await askHidden('The same password again: ')) !== password)
		fail('The two passwords differ; nothing was created.');
}
const problem = passwordProblem(password);
if (problem) fail(`${problem} Nothing was created.`);

const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const db = createDb(url);
/** What the output names: never the database's password. */
const shown = withoutPassword(url);
try {
	await migrateToLatest(db);
	const passwordHash = await hashSecret(password);
	// Nobody signed in made it, in no pod: the entry says it came from this command.
	const created = await auditedWrite(
		{ db, user: null, pod: null },
		{ action: 'create', entity: 'user' },
		(trx) =>
			createStaffAccount(trx, {
				email,
				givenName: 'School',
				familyName: 'Admin',
				passwordHash,
				isAdmin: true
			}),
		(account) => ({ entityId: account.id, detail: { kind: 'staff', isAdmin: true, via: 'admin:create' } })
	);
	console.log(`Created admin ${created.email} in ${shown}. Sign in at /login.`);
} catch (error) {
	fail(error instanceof Error ? error.message : String(error));
} finally {
	await db.destroy();
}
