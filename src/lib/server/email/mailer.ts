import { createTransport } from 'nodemailer';
import { mailConfigFrom, type MailConfig } from './config';

// Sending is never part of a transaction and never holds up a person for long: a change commits
// first, then its message is handed to the mail server, and the request waits for that at most
// MAIL_WAIT_MS. A message still on its way after that keeps going in the background; one that
// fails is logged (without its text: it holds a link that signs someone in) and the page says
// to hand the link over instead. The link itself is never lost: it was stored before the send.

export interface OutgoingMail {
	to: string;
	subject: string;
	text: string;
}

export interface Mailer {
	/** Where messages go, as logs may show it (no password). */
	readonly shown: string;
	/** The address staff open Podboard at: emailed links start with it. */
	readonly origin: string;
	send(mail: OutgoingMail): Promise<void>;
}

/** How long a request waits for the mail server before answering that the message is on its way. */
export const MAIL_WAIT_MS = 5_000;
/** A mail server that does not answer is given up on after these (nodemailer's own are minutes). */
const CONNECT_MS = 10_000;
const IDLE_MS = 20_000;

/** A mailer that sends through the SMTP server configured. */
export function smtpMailer(config: MailConfig): Mailer {
	const transport = createTransport(
		{
			host: config.host,
			port: config.port,
			secure: config.secure,
			auth: config.auth ?? undefined,
			connectionTimeout: CONNECT_MS,
			greetingTimeout: CONNECT_MS,
			socketTimeout: IDLE_MS
		},
		{ from: config.from }
	);
	return {
		shown: config.shown,
		origin: config.origin,
		async send(mail) {
			await transport.sendMail(mail);
		}
	};
}

let configured: { key: string; mailer: Mailer | null } | undefined;

/**
 * The mailer SMTP_URL and MAIL_FROM configure, or null when SMTP_URL is not set. Read from the
 * environment at each call and made once per setting, so a test can point it at its own server.
 */
export function getMailer(env: Record<string, string | undefined> = process.env): Mailer | null {
	const key = `${env.SMTP_URL ?? ''}\n${env.MAIL_FROM ?? ''}`;
	if (configured?.key !== key) {
		const config = mailConfigFrom(env);
		configured = { key, mailer: config ? smtpMailer(config) : null };
	}
	return configured.mailer;
}

/** Whether this server sends email at all. */
export const emailIsOn = (): boolean => getMailer() !== null;

/** What became of a message: sent, failed, still on its way after the wait, or email is off. */
export type Delivery = 'sent' | 'failed' | 'sending' | 'off';

/** Sends still going (in the background or not): a test, or a server stopping, waits for them. */
const inFlight = new Set<Promise<unknown>>();

/** Resolves once every message handed over so far has been sent or has failed. */
export async function mailSettled(): Promise<void> {
	while (inFlight.size) await Promise.allSettled([...inFlight]);
}

/** A failure as a log may show it: what kind and why, never the message or its link. */
function failureInWords(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	const code = (error as { code?: unknown }).code;
	return `${typeof code === 'string' ? `${code}: ` : ''}${error.message}`;
}

/**
 * Hand a message to the mail server, after the change it tells of has committed. Answers within
 * `waitMs` whatever the server does; nothing is sent (and 'off' answered) without a mailer.
 */
export async function deliver(
	mail: OutgoingMail,
	{ mailer = getMailer(), waitMs = MAIL_WAIT_MS }: { mailer?: Mailer | null; waitMs?: number } = {}
): Promise<Delivery> {
	if (!mailer) return 'off';
	const sending: Promise<Delivery> = mailer.send(mail).then(
		() => 'sent',
		(error: unknown) => {
			console.error(`Podboard: an email could not be sent through ${mailer.shown}: ${failureInWords(error)}`);
			return 'failed';
		}
	);
	inFlight.add(sending);
	void sending.finally(() => inFlight.delete(sending));
	let timer: NodeJS.Timeout | undefined;
	const waited = new Promise<Delivery>((resolve) => {
		timer = setTimeout(() => resolve('sending'), waitMs);
	});
	try {
		return await Promise.race([sending, waited]);
	} finally {
		clearTimeout(timer);
	}
}

/** Work a request starts and does not wait for (a reset link's look-up and send): tracked like a send. */
export function inBackground(work: () => Promise<unknown>): void {
	const running = work().catch((error: unknown) => {
		console.error(`Podboard: background email work failed: ${failureInWords(error)}`);
	});
	inFlight.add(running);
	void running.finally(() => inFlight.delete(running));
}
