import { describe, expect, it } from 'vitest';
import { mailConfigFrom, MailConfigProblem, withoutPassword } from '../../src/lib/server/email/config';

const ORIGIN = 'https://podboard.school.org';

describe('SMTP_URL and MAIL_FROM', () => {
	it('without SMTP_URL, email is off', () => {
		expect(mailConfigFrom({ ORIGIN })).toBeNull();
		expect(mailConfigFrom({ SMTP_URL: '  ', ORIGIN })).toBeNull();
	});

	it.each([
		[
			'smtp://mailer%40school.org:s3cr%2Ft@mail.school.org:587',
			{ host: 'mail.school.org', port: 587, secure: false, user: 'mailer@school.org', pass: 's3cr/t' }
		],
		[
			'smtps://u:p@mail.school.org',
			{ host: 'mail.school.org', port: 465, secure: true, user: 'u', pass: 'p' }
		],
		['smtp://relay.local', { host: 'relay.local', port: 587, secure: false, user: null, pass: null }],
		['smtp://[::1]:2525', { host: '::1', port: 2525, secure: false, user: null, pass: null }]
	])('reads %s', (url, expected) => {
		const config = mailConfigFrom({ SMTP_URL: url, ORIGIN })!;
		expect({
			host: config.host,
			port: config.port,
			secure: config.secure,
			user: config.auth?.user ?? null,
			pass: config.auth?.pass ?? null
		}).toEqual(expected);
		expect(config.origin).toBe(ORIGIN);
	});

	it('sends from MAIL_FROM, else the sign-in when it is an address, else podboard@ the mail host', () => {
		const from = (env: Record<string, string>) => mailConfigFrom({ ORIGIN, ...env })!.from;
		expect(from({ SMTP_URL: 'smtp://a:b@mail.school.org', MAIL_FROM: 'Podboard <pb@school.org>' })).toBe(
			'Podboard <pb@school.org>'
		);
		expect(from({ SMTP_URL: 'smtp://it%40school.org:b@mail.school.org' })).toBe('it@school.org');
		expect(from({ SMTP_URL: 'smtp://apikey:b@mail.school.org' })).toBe('podboard@mail.school.org');
	});

	it.each([
		['smtp://user:hunter2@mail.school.org:587', 'smtp://user:***@mail.school.org:587'],
		['smtps://user:pa/ss@w@rd@mail.school.org', 'smtps://user:***@mail.school.org'],
		['smtp://mail.school.org:25', 'smtp://mail.school.org:25']
	])('shows %s without its password', (url, shown) => {
		expect(withoutPassword(url)).toBe(shown);
	});

	it.each([
		['http://user:hunter2@mail.school.org', /must start with smtp:\/\/ or smtps:\/\//],
		['smtp://user:hunter2/x@mail.school.org', /is not a URL/],
		['mail.school.org', /is not a URL|must start with/]
	])('refuses %s in words, never showing the password', (url, words) => {
		const problem = (() => {
			try {
				mailConfigFrom({ SMTP_URL: url, ORIGIN });
			} catch (error) {
				return error;
			}
		})();
		expect(problem).toBeInstanceOf(MailConfigProblem);
		expect((problem as Error).message).toMatch(words);
		expect((problem as Error).message).not.toContain('hunter2');
	});

	it('needs ORIGIN: an emailed link must never take its address from a request', () => {
		expect(() => mailConfigFrom({ SMTP_URL: 'smtp://mail.school.org' })).toThrow(/ORIGIN/);
	});
});
