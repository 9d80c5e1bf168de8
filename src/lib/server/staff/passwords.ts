import type { Kysely } from 'kysely';
import { passwordProblem } from '../../staff/passwords';
import { waitInWords } from '../../dashboard/words';
import { auditedWrite } from '../audit/log';
import { decoyHash, hashSecret, verifySecret } from '../auth/passwords';
import { endSessionsOf } from '../auth/sessions';
import { reserveOrRefuse } from '../auth/sign-in';
import { reserveAttempt, settleAttempt } from '../auth/throttle';
import type { Database } from '../db';
import { passwordLinkMail } from '../email/messages';
import { deliver, getMailer, inBackground, type Mailer } from '../email/mailer';
import { Invalid, TooMany } from '../errors';
import { issueInvitation } from './invitations';
import { fullName } from './rules';

// A staff member's own password: changed while signed in (the current one is asked for, and
// counted like a sign-in), or set again through an emailed link when forgotten.

/**
 * Change your own password. The current one is a guess like any sign-in: counted first, and
 * refused while the account is locked from this network. Every other session of theirs ends (a
 * password is changed because someone else may know it); this one stays signed in.
 */
export async function changeOwnPassword(
	db: Kysely<Database>,
	input: {
		user: { id: string; email: string | null };
		tokenHash: string;
		currentPassword: string;
		newPassword: string;
		address: string;
	},
	now = new Date()
): Promise<{ sessionsEnded: number }> {
	const problem = passwordProblem(input.newPassword);
	if (problem) throw new Invalid(problem);
	if (input.newPassword === input.currentPassword) {
		throw new Invalid('The new password is the same as the current one. Choose a different one.');
	}
	const account = (input.user.email ?? input.user.id).toLowerCase();
	const attemptId = await reserveOrRefuse(db, { account, address: input.address }, 'staff', now);
	const stored = await db
		.selectFrom('users')
		.select('password_hash')
		.where('id', '=', input.user.id)
		.executeTakeFirstOrThrow();
	if (!(await verifySecret(input.currentPassword, stored.password_hash ?? (await decoyHash())))) {
		throw new Invalid('That is not your current password. Check it and try again.');
	}
	await settleAttempt(db, attemptId);
	// Hash before the transaction: SQLite holds its one connection for the whole of it.
	const passwordHash = await hashSecret(input.newPassword);
	return auditedWrite(
		{ db, user: { id: input.user.id }, pod: null },
		{ action: 'changePassword', entity: 'user', at: now },
		async (trx) => {
			await trx
				.updateTable('users')
				.set({ password_hash: passwordHash })
				.where('id', '=', input.user.id)
				.execute();
			return { sessionsEnded: await endSessionsOf(trx, [input.user.id], { except: input.tokenHash }) };
		},
		({ sessionsEnded }) => ({ entityId: input.user.id, detail: { sessionsEnded } })
	);
}

/** The reset requests of one address are counted apart from its sign-ins: asking is not guessing. */
export const resetAccount = (email: string) => `reset:${email.trim().toLowerCase()}`;

/**
 * "Forgot your password?": email a link to set a new one, if the address belongs to an active
 * staff account. The answer is the same, and as quick, whether it does or not: the look-up and the
 * send happen after answering. Throttled like a sign-in (each request counts as a try, per address
 * and network, per address everywhere, and per network), the same for known and unknown addresses.
 * The current password keeps working: the request may not have come from its owner.
 */
export async function requestPasswordReset(
	db: Kysely<Database>,
	input: { email: string; address: string },
	{ now = new Date(), mailer = getMailer() }: { now?: Date; mailer?: Mailer | null } = {}
): Promise<{ emailOn: boolean }> {
	if (!mailer) return { emailOn: false };
	const email = input.email.trim().toLowerCase();
	const reservation = await reserveAttempt(db, { account: resetAccount(email), address: input.address }, now);
	if (!reservation.ok) {
		const wait = waitInWords(reservation.verdict.retryAfterSeconds);
		throw new TooMany(
			`Too many requests for a new password from here. Wait ${wait}, then ask again, or ask your school's Podboard admin.`,
			{ retryAfterSeconds: reservation.verdict.retryAfterSeconds }
		);
	}
	inBackground(() => sendResetLink(db, email, mailer, now));
	return { emailOn: true };
}

async function sendResetLink(db: Kysely<Database>, email: string, mailer: Mailer, now: Date) {
	const user = await db
		.selectFrom('users')
		.select(['id', 'given_name', 'family_name', 'email'])
		.where('email', '=', email)
		.where('kind', '=', 'staff')
		.where('status', '=', 'active')
		.executeTakeFirst();
	if (!user?.email) return;
	const invitation = await auditedWrite(
		{ db, user: null, pod: null },
		{ action: 'invite', entity: 'user', at: now },
		(trx) => issueInvitation(trx, { userId: user.id, purpose: 'reset', issuedBy: null }, now),
		(issued) => ({
			entityId: user.id,
			detail: { purpose: 'reset', invitationId: issued.id, via: 'forgotPassword' }
		})
	);
	await deliver(
		passwordLinkMail({
			to: user.email,
			name: fullName(user),
			link: `${mailer.origin}${invitation.path}`,
			expiresAt: invitation.expiresAt,
			purpose: 'reset'
		}),
		{ mailer }
	);
}
