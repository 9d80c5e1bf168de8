import type { AddressInfo } from 'node:net';
import { TRPCError } from '@trpc/server';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO } from '../../db/seed/demo';
import { hashSecret, verifySecret } from '../../src/lib/server/auth/passwords';
import { resolveSession } from '../../src/lib/server/auth/sessions';
import { NETWORK_ACCOUNT_FAILURE_LIMIT } from '../../src/lib/server/auth/throttle';
import { mailSettled, type Mailer } from '../../src/lib/server/email/mailer';
import { requestPasswordReset } from '../../src/lib/server/staff/passwords';
import { createCaller } from '../../src/lib/server/trpc/router';
import { freshDatabaseUrl } from '../support/database';
import { startKillableServer } from '../support/killable-server';
import { callerAs, createTestPod, type TestPod } from '../support/pod';
import { freshStaff } from '../support/staff';

// Email for real: an SMTP server on loopback (the smtp-server package) that wants a user name
// and password, receives what Podboard sends, and lets the test read it and follow its link.

const ORIGIN = 'https://podboard.school.example';
const SMTP_USER = 'podboard';
const SMTP_PASSWORD = 'mail-secret-123';
const MAIL_FROM = 'Podboard <podboard@school.example>';

interface Received {
	from: string;
	to: string[];
	headers: Record<string, string>;
	text: string;
}

/** A message's text, as its Content-Transfer-Encoding wrote it (nodemailer picks quoted-printable for long lines). */
function decodeBody(headers: Record<string, string>, body: string): string {
	const encoding = headers['content-transfer-encoding']?.toLowerCase();
	if (encoding === 'quoted-printable') {
		const bytes = body
			.replace(/=\r?\n/g, '')
			.replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
		return Buffer.from(bytes, 'latin1').toString('utf8');
	}
	if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
	return body;
}

function parse(raw: string, envelope: { from: string; to: string[] }): Received {
	const [head, ...rest] = raw.split(/\r?\n\r?\n/);
	const headers: Record<string, string> = {};
	for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
		const at = line.indexOf(':');
		headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
	}
	return { ...envelope, headers, text: decodeBody(headers, rest.join('\n\n')) };
}

let pod: TestPod;
let smtp: SMTPServer;
let port = 0;
const inbox: Received[] = [];
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
	pod = await createTestPod();
	smtp = new SMTPServer({
		secure: false,
		authOptional: false,
		allowInsecureAuth: true, // loopback, in a test: the credentials still have to match
		disabledCommands: ['STARTTLS'],
		logger: false,
		onAuth(auth, _session, callback) {
			if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) callback(null, { user: SMTP_USER });
			else callback(new Error('Invalid username or password'));
		},
		onRcptTo(address, _session, callback) {
			if (address.address.startsWith('bounce')) callback(new Error('Mailbox unavailable'));
			else callback();
		},
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				const envelope = {
					from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
					to: session.envelope.rcptTo.map((rcpt) => rcpt.address)
				};
				inbox.push(parse(Buffer.concat(chunks).toString('utf8'), envelope));
				callback();
			});
		}
	});
	await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
	port = (smtp.server.address() as AddressInfo).port;
	for (const name of ['SMTP_URL', 'MAIL_FROM', 'ORIGIN']) saved[name] = process.env[name];
	process.env.SMTP_URL = `smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${port}`;
	process.env.MAIL_FROM = MAIL_FROM;
	process.env.ORIGIN = ORIGIN;
});
afterEach(async () => {
	await mailSettled();
	inbox.length = 0;
	vi.restoreAllMocks();
});
afterAll(async () => {
	for (const [name, value] of Object.entries(saved)) {
		if (value === undefined) delete process.env[name];
		else process.env[name] = value;
	}
	await new Promise<void>((resolve) => smtp.close(() => resolve()));
	await pod.db.destroy();
});

/** A browser with nobody signed in, on a network of its own; the cookie it is given lands in its jar. */
function browser(address: string) {
	const jar = { token: '' };
	const caller = createCaller({
		db: pod.db,
		session: null,
		address,
		sessionCookie: { set: (token) => (jar.token = token), clear: () => (jar.token = '') }
	});
	return { caller, jar };
}

/** The link a message carries, and its token. */
function linkIn(message: Received): { link: string; token: string } {
	const found = /(\S+\/invite\/([A-Za-z0-9_-]{43}))(\s|$)/.exec(message.text);
	expect(found, message.text).not.toBeNull();
	return { link: found![1], token: found![2] };
}

describe('an invitation by email', () => {
	it('arrives at the new teacher, from MAIL_FROM, and its link sets their password and signs them in', async () => {
		const admin = await callerAs(pod, 'admin');
		const added = await admin.staff.addToPod({
			podId: pod.podId,
			name: 'Ines Moreau',
			email: 'ines.moreau@demo.school',
			role: 'teacher'
		});
		expect(added.invitation?.delivery).toBe('sent');
		expect(inbox).toHaveLength(1);
		const [message] = inbox;
		expect(message.to).toEqual(['ines.moreau@demo.school']);
		expect(message.from).toBe('podboard@school.example');
		expect(message.headers.from).toContain('podboard@school.example');
		expect(message.headers.subject).toBe('Your Podboard account: set your password');
		expect(message.text).toContain('Hello Ines Moreau');
		const { link, token } = linkIn(message);
		// The link starts with ORIGIN and is the one the admin's page shows.
		expect(link).toBe(`${ORIGIN}${added.invitation!.path}`);

		const { caller, jar } = browser('10.1.0.1');
		expect(await caller.auth.invitation({ token })).toMatchObject({ state: 'open', name: 'Ines Moreau' });
		await caller.auth.acceptInvitation({ token, password: 'ines picked this one' });
		const session = await resolveSession(pod.db, jar.token);
		expect(session?.user.email).toBe('ines.moreau@demo.school');
		// Once used, the emailed link says so.
		expect(await caller.auth.invitation({ token })).toMatchObject({ state: 'used' });
	});

	it('reports a send that failed to the admin, and the link still works', async () => {
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		const admin = await callerAs(pod, 'admin');
		const added = await admin.staff.create({ name: 'Bo Unce', email: 'bounce.bo@demo.school' });
		expect(added.invitation?.delivery).toBe('failed');
		expect(inbox).toHaveLength(0);
		const token = added.invitation!.path.split('/').pop()!;
		await browser('10.1.0.2').caller.auth.acceptInvitation({ token, password: 'bo got it by hand' });
		const log = logged.mock.calls.map((call) => call.join(' ')).join('\n');
		expect(log).toContain('could not be sent');
		expect(log).not.toContain(SMTP_PASSWORD);
		expect(log).not.toContain(token);
	});

	it("reports a mail server that refuses Podboard's sign-in, never showing the password", async () => {
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		const url = process.env.SMTP_URL;
		process.env.SMTP_URL = `smtp://${SMTP_USER}:not-the-password@127.0.0.1:${port}`;
		try {
			const added = await (
				await callerAs(pod, 'admin')
			).staff.create({
				name: 'Wrong Login',
				email: 'wrong.login@demo.school'
			});
			expect(added.invitation?.delivery).toBe('failed');
		} finally {
			process.env.SMTP_URL = url;
		}
		const log = logged.mock.calls.map((call) => call.join(' ')).join('\n');
		expect(log).toContain(`smtp://${SMTP_USER}:***@127.0.0.1:${port}`);
		expect(log).not.toContain('not-the-password');
	});

	it("emails an admin's reset too: a reset link, whose use ends the old password", async () => {
		const userId = await freshStaff(pod, { passwordHash: await hashSecret('the old password') });
		const reset = await (await callerAs(pod, 'admin')).staff.invite({ userId });
		expect(reset.invitation).toMatchObject({ purpose: 'reset', delivery: 'sent' });
		expect(inbox).toHaveLength(1);
		expect(inbox[0].headers.subject).toBe('Set a new Podboard password');
		const { token } = linkIn(inbox[0]);
		await browser('10.1.0.3').caller.auth.acceptInvitation({ token, password: 'the new password' });
		const { password_hash } = await pod.db
			.selectFrom('users')
			.select('password_hash')
			.where('id', '=', userId)
			.executeTakeFirstOrThrow();
		expect(await verifySecret('the new password', password_hash!)).toBe(true);
	});
});

describe('"Forgot your password?" by email', () => {
	it('answers a known and an unknown address the same, emails only the known one, and the link works', async () => {
		const known = await browser('10.2.0.1').caller.auth.requestPasswordReset({
			email: 'Teacher1@demo.school'
		});
		const unknown = await browser('10.2.0.1').caller.auth.requestPasswordReset({
			email: 'nobody@demo.school'
		});
		expect(known).toEqual({ emailOn: true });
		expect(unknown).toEqual(known);
		await mailSettled();
		expect(inbox.map((message) => message.to)).toEqual([['teacher1@demo.school']]);
		expect(inbox[0].headers.subject).toBe('Set a new Podboard password');
		expect(inbox[0].text).toContain('you can ignore this message');

		// Until the link is used, the password they have still works: the request may not be theirs.
		const before = await pod.db
			.selectFrom('users')
			.select('password_hash')
			.where('id', '=', pod.users.teacher)
			.executeTakeFirstOrThrow();
		expect(await verifySecret(DEMO.staffPassword, before.password_hash!)).toBe(true);

		const { caller, jar } = browser('10.2.0.2');
		await caller.auth.acceptInvitation({ token: linkIn(inbox[0]).token, password: 'remembered at last' });
		expect((await resolveSession(pod.db, jar.token))?.user.id).toBe(pod.users.teacher);
		const after = await browser('10.2.0.3').caller.auth.staffLogin({
			email: 'teacher1@demo.school',
			password: 'remembered at last'
		});
		expect(after).toEqual({ next: '/pods' });
		const old = await browser('10.2.0.4')
			.caller.auth.staffLogin({ email: 'teacher1@demo.school', password: DEMO.staffPassword })
			.then(
				() => 'signed in',
				(error: TRPCError) => error.code
			);
		expect(old).toBe('UNAUTHORIZED');
	});

	it('answers before looking anything up or sending: a slow mail server holds nobody up', async () => {
		const sends: (() => void)[] = [];
		const held: Mailer = {
			shown: 'smtp://held',
			origin: ORIGIN,
			send: () => new Promise<void>((resolve) => sends.push(resolve))
		};
		const answer = await requestPasswordReset(
			pod.db,
			{ email: 'lead@demo.school', address: '10.2.1.1' },
			{ mailer: held }
		);
		expect(answer).toEqual({ emailOn: true });
		expect(sends).toHaveLength(0);
		await vi.waitFor(() => expect(sends).toHaveLength(1));
		sends[0]();
		await mailSettled();
	});

	it.each([
		['a known address', 'lead@demo.school'],
		['an unknown address', 'nobody.at.all@demo.school']
	])('is throttled like a sign-in, the same for %s: a burst gets only the limit', async (_which, email) => {
		const network = `10.3.${email.length}.1`;
		const outcomes = await Promise.allSettled(
			Array.from({ length: 12 }, () => browser(network).caller.auth.requestPasswordReset({ email }))
		);
		const codes = outcomes.map((o) => (o.status === 'fulfilled' ? 'ok' : (o.reason as TRPCError).code));
		expect(codes.filter((code) => code === 'ok')).toHaveLength(NETWORK_ACCOUNT_FAILURE_LIMIT);
		expect(codes.filter((code) => code === 'TOO_MANY_REQUESTS')).toHaveLength(
			12 - NETWORK_ACCOUNT_FAILURE_LIMIT
		);
		const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
		expect((refused.reason as TRPCError).message).toMatch(
			/^Too many requests for a new password from here\. Wait/
		);
		await mailSettled();
	});
});

describe('the production server', () => {
	it('says at start that it sends email, and through where, never with the password', async () => {
		const database = await freshDatabaseUrl();
		const server = await startKillableServer(database.url, true);
		try {
			expect(server.output()).toContain(
				`Podboard: email on, through smtp://${SMTP_USER}:***@127.0.0.1:${port}, from ${MAIL_FROM}`
			);
			expect(server.output()).not.toContain(SMTP_PASSWORD);
		} finally {
			await server.kill('SIGTERM');
			database.remove();
		}
	}, 120_000);

	it('will not start with an SMTP_URL that cannot work, and says what to fix without the password', async () => {
		const database = await freshDatabaseUrl();
		const url = process.env.SMTP_URL;
		process.env.SMTP_URL = 'smtp://podboard:pass/word@mail.school.example:587';
		try {
			const started = await startKillableServer(database.url, true).then(
				async (server) => {
					await server.kill('SIGTERM');
					return 'started';
				},
				(error: Error) => error.message
			);
			expect(started).toContain('SMTP_URL "smtp://podboard:***@mail.school.example:587" is not a URL');
			expect(started).not.toContain('pass/word');
		} finally {
			process.env.SMTP_URL = url;
			database.remove();
		}
	}, 120_000);
});
