import { afterEach, describe, expect, it, vi } from 'vitest';
import {
	deliver,
	getMailer,
	inBackground,
	mailSettled,
	type Mailer
} from '../../src/lib/server/email/mailer';

const mail = {
	to: 'noor@school.org',
	subject: 'Your Podboard account',
	text: 'https://podboard.school.org/invite/secret'
};

/** A mailer whose sends the test settles by hand. */
function handMailer() {
	const sends: { resolve: () => void; reject: (error: Error) => void }[] = [];
	const mailer: Mailer = {
		shown: 'smtp://mailer:***@mail.school.org',
		origin: 'https://podboard.school.org',
		send: () => new Promise<void>((resolve, reject) => sends.push({ resolve, reject }))
	};
	return { mailer, sends };
}

afterEach(() => vi.restoreAllMocks());

describe('delivering a message after its change committed', () => {
	it('tries nothing without a mailer', async () => {
		expect(await deliver(mail, { mailer: null })).toBe('off');
		expect(getMailer({})).toBeNull();
	});

	it('answers sent once the server took it', async () => {
		const { mailer, sends } = handMailer();
		const answer = deliver(mail, { mailer, waitMs: 60_000 });
		sends[0].resolve();
		expect(await answer).toBe('sent');
	});

	it('answers failed, and logs why without the message, its link or the password', async () => {
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		const { mailer, sends } = handMailer();
		const answer = deliver(mail, { mailer, waitMs: 60_000 });
		sends[0].reject(Object.assign(new Error('Invalid login: 535 Authentication failed'), { code: 'EAUTH' }));
		expect(await answer).toBe('failed');
		const line = logged.mock.calls.map((call) => call.join(' ')).join('\n');
		expect(line).toContain('EAUTH: Invalid login');
		expect(line).toContain('smtp://mailer:***@mail.school.org');
		expect(line).not.toContain('secret');
		expect(line).not.toContain('noor@school.org');
	});

	it('does not hold the request past its wait: still sending, and settled later', async () => {
		const { mailer, sends } = handMailer();
		expect(await deliver(mail, { mailer, waitMs: 1 })).toBe('sending');
		let settled = false;
		const waiting = mailSettled().then(() => (settled = true));
		await Promise.resolve();
		expect(settled).toBe(false);
		sends[0].resolve();
		await waiting;
		expect(settled).toBe(true);
	});

	it('tracks background work, and logs its failure', async () => {
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		let finish = () => {};
		inBackground(() => new Promise<void>((resolve) => (finish = resolve)));
		inBackground(async () => {
			throw new Error('the database went away');
		});
		const waiting = mailSettled();
		finish();
		await waiting;
		expect(logged.mock.calls.join('\n')).toContain('the database went away');
	});

	it('makes one mailer per setting, and a new one when SMTP_URL changes', () => {
		const env = { SMTP_URL: 'smtp://a:b@127.0.0.1:2525', ORIGIN: 'https://podboard.school.org' };
		const first = getMailer(env);
		expect(getMailer({ ...env })).toBe(first);
		expect(getMailer({ ...env, SMTP_URL: 'smtp://a:b@127.0.0.1:2526' })).not.toBe(first);
		expect(first?.shown).toBe('smtp://a:***@127.0.0.1:2525');
	});
});
