// Email is optional: without SMTP_URL nothing ever tries to send, and the pages say that links
// must be handed over. With it, SMTP_URL names the server and its sign-in in one line, as
// DATABASE_URL does for the database: smtp://user:password@mail.school.org:587 (STARTTLS when the
// server offers it) or smtps://user:password@mail.school.org:465 (TLS from the start).

export interface MailConfig {
	host: string;
	port: number;
	/** TLS from the first byte (smtps:); otherwise STARTTLS whenever the server offers it. */
	secure: boolean;
	auth: { user: string; pass: string } | null;
	/** Who the messages are from: MAIL_FROM, e.g. `Podboard <podboard@school.org>`. */
	from: string;
	/** SMTP_URL as logs and messages may show it: its password replaced by ***. */
	shown: string;
	/** ORIGIN, the address staff open Podboard at: the start of every emailed link. */
	origin: string;
}

/** What went wrong with SMTP_URL, in words an IT person can act on (never its password). */
export class MailConfigProblem extends Error {
	override name = 'MailConfigProblem';
}

/**
 * SMTP_URL as it may appear in a log or a message: everything between the user name and the last
 * `@` hidden. Mail passwords are often API keys with `/`, `+` or `@` in them, pasted as they are.
 */
export function withoutPassword(smtpUrl: string): string {
	return smtpUrl.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):.*@/i, '$1:***@');
}

const EXAMPLE = 'use smtp://user:password@mail.school.org:587, or smtps://…:465 for TLS from the start';

/** The mail server the environment names, or null when SMTP_URL is not set (email is off). */
export function mailConfigFrom(env: Record<string, string | undefined> = process.env): MailConfig | null {
	const raw = env.SMTP_URL?.trim();
	if (!raw) return null;
	const shown = withoutPassword(raw);
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		throw new MailConfigProblem(
			`SMTP_URL "${shown}" is not a URL: ${EXAMPLE} (write / @ : in the password as %2F %40 %3A).`
		);
	}
	if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
		throw new MailConfigProblem(`SMTP_URL "${shown}" must start with smtp:// or smtps://: ${EXAMPLE}.`);
	}
	if (!url.hostname) throw new MailConfigProblem(`SMTP_URL "${shown}" names no mail server: ${EXAMPLE}.`);
	const secure = url.protocol === 'smtps:';
	const auth = url.username
		? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
		: null;
	// Never the address a request came in on: anyone can send a request naming another host, and
	// a reset link pointing there would hand them the token.
	const origin = env.ORIGIN?.trim().replace(/\/+$/, '');
	if (!origin) {
		throw new MailConfigProblem(
			'SMTP_URL is set but ORIGIN is not: emailed links need the address staff open Podboard at, like ORIGIN=https://podboard.school.org.'
		);
	}
	const host = url.hostname.replace(/^\[(.*)\]$/, '$1'); // an IPv6 address comes in brackets
	const from = env.MAIL_FROM?.trim() || (auth?.user.includes('@') ? auth.user : `podboard@${host}`);
	return { host, port: url.port ? Number(url.port) : secure ? 465 : 587, secure, auth, from, shown, origin };
}

/**
 * What the server prints as it starts: whether it sends email, through where and from whom. A
 * setting that cannot work stops the start with a MailConfigProblem saying what to fix.
 */
export function mailStatusLine(env: Record<string, string | undefined> = process.env): string {
	const config = mailConfigFrom(env);
	return config
		? `Podboard: email on, through ${config.shown}, from ${config.from}; emailed links start with ${config.origin}`
		: 'Podboard: email off (SMTP_URL is not set): invitation links are shown to the admin to hand over';
}
