import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { passwordProblem } from '../../staff/passwords';
import { auditedWrite } from '../audit/log';
import { hashSecret } from '../auth/passwords';
import {
	createSession,
	endSessionIn,
	endSessionsOf,
	hashToken,
	STAFF_ABSOLUTE_HOURS,
	STAFF_IDLE_MINUTES
} from '../auth/sessions';
import type { SignedIn } from '../auth/sign-in';
import { bumpCounter } from '../auth/throttle';
import type { Database, Db } from '../db';
import { takeTurns } from '../db/locks';
import type { InvitationPurpose } from '../db/schema';
import { Conflict, Invalid, NotFound } from '../errors';
import { isoNow, newId } from '../ids';
import { fullName, INVITATION_DAYS, invitationState, type InvitationState } from './rules';

// An invitation is a one-time link, /invite/<token>, with which a staff member sets their
// password and is signed in: for a new (or imported) account, or to set a forgotten password
// again. Like a sign-in card's link, its token is 256 random bits kept only as its SHA-256, so
// the link is known only at the moment it is made: shown to the admin, emailed, or both.

const TOKEN_BYTES = 32; // 256 bits
/** An invitation token as it appears in a link: 32 bytes, base64url, no padding. */
export const INVITATION_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const invitationPath = (token: string): string => `/invite/${token}`;

/** A link just made: the only moment its token is known. */
export interface IssuedInvitation {
	id: string;
	userId: string;
	purpose: InvitationPurpose;
	token: string;
	/** `/invite/<token>`: a page puts its own origin in front, an email the server's. */
	path: string;
	expiresAt: string;
}

/**
 * A new link for this person, ending any earlier one they have not used: inside the caller's
 * transaction, taking turns with every other link made for them at the same moment.
 */
export async function issueInvitation(
	trx: Transaction<Database>,
	input: { userId: string; purpose: InvitationPurpose; issuedBy: string | null },
	now = new Date()
): Promise<IssuedInvitation> {
	await takeTurns(trx, [`invitations:${input.userId}`]);
	await trx
		.updateTable('invitations')
		.set({ status: 'ended', ended_at: isoNow(now) })
		.where('user_id', '=', input.userId)
		.where('status', '=', 'open')
		.execute();
	const token = randomBytes(TOKEN_BYTES).toString('base64url');
	const id = newId();
	const expiresAt = isoNow(new Date(now.getTime() + INVITATION_DAYS * 86_400_000));
	await trx
		.insertInto('invitations')
		.values({
			id,
			user_id: input.userId,
			token_hash: hashToken(token),
			purpose: input.purpose,
			status: 'open',
			issued_by: input.issuedBy,
			issued_at: isoNow(now),
			expires_at: expiresAt,
			used_at: null,
			ended_at: null
		})
		.execute();
	return { id, userId: input.userId, purpose: input.purpose, token, path: invitationPath(token), expiresAt };
}

/** Every open link of these people ends (their account was switched off, say). */
export async function endInvitationsOf(db: Db, userIds: readonly string[], now = new Date()): Promise<void> {
	if (!userIds.length) return;
	await db
		.updateTable('invitations')
		.set({ status: 'ended', ended_at: isoNow(now) })
		.where('user_id', 'in', userIds)
		.where('status', '=', 'open')
		.execute();
}

interface StoredInvitation {
	id: string;
	userId: string;
	purpose: InvitationPurpose;
	state: InvitationState;
	expiresAt: string;
	name: string;
	email: string | null;
}

/** The link behind a token, or undefined when no link has it (or it is not a token at all). */
async function storedInvitation(db: Db, token: string, now: Date): Promise<StoredInvitation | undefined> {
	if (!INVITATION_TOKEN.test(token)) return undefined;
	const row = await db
		.selectFrom('invitations')
		.innerJoin('users', 'users.id', 'invitations.user_id')
		.select([
			'invitations.id',
			'invitations.user_id',
			'invitations.purpose',
			'invitations.status',
			'invitations.expires_at',
			'users.given_name',
			'users.family_name',
			'users.email',
			'users.status as userStatus'
		])
		.where('invitations.token_hash', '=', hashToken(token))
		.where('users.kind', '=', 'staff')
		.executeTakeFirst();
	if (!row) return undefined;
	const state = invitationState(row, now);
	return {
		id: row.id,
		userId: row.user_id,
		purpose: row.purpose,
		// An account switched off keeps no working link, whatever the row says.
		state: row.userStatus === 'active' ? state : state === 'open' ? 'ended' : state,
		expiresAt: row.expires_at,
		name: fullName(row),
		email: row.email
	};
}

/** What the invitation's page shows: whose link it is while it works; only why not once it does not. */
export type InvitationView =
	| { state: 'open'; purpose: InvitationPurpose; name: string; email: string | null; expiresAt: string }
	| { state: Exclude<InvitationState, 'open'> | 'unknown'; message: string };

/**
 * The link behind a token, as its page shows it. An unknown token is counted apart (one upsert,
 * like an unknown card link) and pauses nothing: 256 bits are not guessed, and pausing would let
 * any web page full of made-up links stop a school's staff from setting their passwords.
 */
export async function lookUpInvitation(
	db: Db,
	input: { token: string; address: string },
	now = new Date()
): Promise<InvitationView> {
	const found = await storedInvitation(db, input.token, now);
	if (!found) {
		await bumpCounter(db, 'invite-link', input.address, now);
		return { state: 'unknown', message: closedLinkMessage('unknown') };
	}
	if (found.state !== 'open') return { state: found.state, message: closedLinkMessage(found.state) };
	return {
		state: 'open',
		purpose: found.purpose,
		name: found.name,
		email: found.email,
		expiresAt: found.expiresAt
	};
}

const ASK_FOR_ANOTHER = "ask your school's Podboard admin for a new one";

/** Why a link that is not open cannot be used, in words a person can act on. */
export function closedLinkMessage(state: Exclude<InvitationState, 'open'> | 'unknown'): string {
	switch (state) {
		case 'used':
			return `This link was already used to set a password. Sign in with that password, or ${ASK_FOR_ANOTHER}.`;
		case 'ended':
			return `This link was replaced by a newer one and no longer works. Use the newest link you were given, or ${ASK_FOR_ANOTHER}.`;
		case 'expired':
			return `This link has expired: links work for ${INVITATION_DAYS} days. Ask your school's Podboard admin for a new one.`;
		case 'unknown':
			return `This is not a Podboard link that works. Check that the whole link was copied, or ${ASK_FOR_ANOTHER}.`;
	}
}

/**
 * Set the password a link was made for, use the link up, and sign its person in: a staff
 * session, as signing in with the password would make. Their other sessions end (a reset means
 * the old password may be known to someone). A link that is used, ended, expired or unknown is
 * refused and changes nothing (an unknown one is counted); two tries with one link at once get
 * one success between them.
 */
export async function acceptInvitation(
	db: Kysely<Database>,
	input: {
		token: string;
		password: string;
		address: string;
		/** The session this browser had (maybe someone else's): it ends, as at any sign-in. */
		previousSession?: string | null;
	},
	now = new Date()
): Promise<SignedIn & { purpose: InvitationPurpose }> {
	const found = await storedInvitation(db, input.token, now);
	if (!found) {
		await bumpCounter(db, 'invite-link', input.address, now);
		throw new NotFound(closedLinkMessage('unknown'));
	}
	if (found.state !== 'open') throw new Conflict(closedLinkMessage(found.state));
	const problem = passwordProblem(input.password);
	if (problem) throw new Invalid(problem);
	// Hash before the transaction: SQLite holds its one connection for the whole of it.
	const passwordHash = await hashSecret(input.password);
	const session = await auditedWrite(
		{ db, user: { id: found.userId }, pod: null },
		{ action: 'setPassword', entity: 'user', at: now },
		async (trx) => {
			// Compare and set: of two tries with one link, only one finds it still open.
			const used = await trx
				.updateTable('invitations')
				.set({ status: 'used', used_at: isoNow(now) })
				.where('id', '=', found.id)
				.where('status', '=', 'open')
				.where('expires_at', '>', isoNow(now))
				.executeTakeFirst();
			if (Number(used.numUpdatedRows) !== 1) throw new Conflict(closedLinkMessage('used'));
			const updated = await trx
				.updateTable('users')
				.set({ password_hash: passwordHash })
				.where('id', '=', found.userId)
				.where('status', '=', 'active')
				.executeTakeFirst();
			if (Number(updated.numUpdatedRows) !== 1) throw new Conflict(closedLinkMessage('ended'));
			await endSessionsOf(trx, [found.userId]);
			if (input.previousSession) await endSessionIn(trx, input.previousSession);
			return createSession(
				trx,
				{
					userId: found.userId,
					podId: null,
					idleMinutes: STAFF_IDLE_MINUTES,
					expiresAt: new Date(now.getTime() + STAFF_ABSOLUTE_HOURS * 3_600_000)
				},
				now
			);
		},
		() => ({
			entityId: found.userId,
			detail: { with: found.purpose, invitationId: found.id },
			also: [
				{
					action: 'signIn',
					entity: 'session',
					entityId: null,
					detail: { as: 'staff', with: 'invitation' }
				}
			]
		})
	);
	return { ...session, userId: found.userId, purpose: found.purpose };
}
