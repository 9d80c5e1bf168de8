import { createHash, randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database, Db } from '../db';
import type { User } from '../db/schema';
import { isoNow } from '../ids';
import { getPodEventBus } from '../live/app-bus';
import { announceAfterCommit } from '../live/log';
import { sessionHolds } from './session-rules';

export const SESSION_COOKIE = 'podboard_session';
/** Staff: signed out after this long without a request, and after the absolute limit whatever. */
export const STAFF_IDLE_MINUTES = 120;
export const STAFF_ABSOLUTE_HOURS = 12;
/** A shared Chromebook left at lunch should still be signed in after lunch. */
export const STUDENT_IDLE_MINUTES = 180;
/** Writing last_seen_at on every request would turn reads into writes. */
const TOUCH_AFTER_MS = 60_000;

/** The cookie holds the token; the database holds only its hash. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

export interface NewSession {
	userId: string;
	podId: string | null;
	idleMinutes: number;
	expiresAt: Date;
}

export async function createSession(db: Db, session: NewSession, now = new Date()) {
	const token = randomBytes(32).toString('base64url'); // 256 bits
	await db
		.insertInto('sessions')
		.values({
			token_hash: hashToken(token),
			user_id: session.userId,
			pod_id: session.podId,
			created_at: isoNow(now),
			last_seen_at: isoNow(now),
			idle_minutes: session.idleMinutes,
			expires_at: isoNow(session.expiresAt)
		})
		.execute();
	return { token, expiresAt: session.expiresAt };
}

export type SessionUser = Pick<User, 'id' | 'kind' | 'given_name' | 'family_name' | 'email'> & {
	isAdmin: boolean;
};
export interface ResolvedSession {
	user: SessionUser;
	tokenHash: string;
	/** The pod a student joined; null for staff. */
	podId: string | null;
	expiresAt: string;
}

/** The signed-in user behind a cookie token, or null when it is unknown, idle too long or expired. */
export async function resolveSession(
	db: Db,
	token: string | undefined,
	now = new Date()
): Promise<ResolvedSession | null> {
	if (!token || token.length > 200) return null;
	const tokenHash = hashToken(token);
	const row = await db
		.selectFrom('sessions')
		.innerJoin('users', 'users.id', 'sessions.user_id')
		.leftJoin('pods', 'pods.id', 'sessions.pod_id')
		.select([
			'sessions.pod_id',
			'sessions.last_seen_at',
			'sessions.idle_minutes',
			'sessions.expires_at',
			'users.id',
			'users.kind',
			'users.given_name',
			'users.family_name',
			'users.email',
			'users.is_admin',
			'users.status',
			'pods.archived_at as podArchivedAt'
		])
		.where('sessions.token_hash', '=', tokenHash)
		.executeTakeFirst();
	if (!row) return null;
	// A student's session ends with their pod's archiving, even one opened while it was archived.
	if (!sessionHolds(row, now) || row.podArchivedAt) {
		await endSession(db, tokenHash);
		return null;
	}
	if (now.getTime() - Date.parse(row.last_seen_at) > TOUCH_AFTER_MS) {
		await db
			.updateTable('sessions')
			.set({ last_seen_at: isoNow(now) })
			.where('token_hash', '=', tokenHash)
			.execute();
	}
	return {
		tokenHash,
		podId: row.pod_id,
		expiresAt: row.expires_at,
		user: {
			id: row.id,
			kind: row.kind,
			given_name: row.given_name,
			family_name: row.family_name,
			email: row.email,
			isAdmin: row.is_admin === 1
		}
	};
}

export async function endSession(db: Db, tokenHash: string): Promise<void> {
	await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
	await getPodEventBus().sessionEnded(tokenHash);
}

/**
 * End one session inside the caller's writeWithEvents (or auditedWrite) transaction: its live
 * streams end once the transaction commits, on every server, and never if it rolls back.
 */
export async function endSessionIn(trx: Transaction<Database>, tokenHash: string): Promise<void> {
	await trx.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
	announceAfterCommit(trx, (bus) => bus.sessionEnded(tokenHash));
}

/** People per statement: well under both engines' limit on parameters. */
const USERS_AT_ONCE = 500;

/**
 * End every session of these people, inside the caller's writeWithEvents transaction: each of
 * their devices is signed out, and once the transaction commits (never if it rolls back) their
 * live streams end on every server. `except` keeps one session (the one changing its own
 * password stays signed in). Answers how many sessions ended.
 */
export async function endSessionsOf(
	trx: Transaction<Database>,
	userIds: readonly string[],
	{ except }: { except?: string } = {}
): Promise<number> {
	const ended: string[] = [];
	for (let i = 0; i < userIds.length; i += USERS_AT_ONCE) {
		const rows = await trx
			.deleteFrom('sessions')
			.where('user_id', 'in', userIds.slice(i, i + USERS_AT_ONCE))
			.$if(except !== undefined, (qb) => qb.where('token_hash', '!=', except!))
			.returning('token_hash')
			.execute();
		ended.push(...rows.map((row) => row.token_hash));
	}
	// Registered even when none ended, so a call outside writeWithEvents fails every time, not only when it matters.
	announceAfterCommit(trx, async (bus) => {
		if (ended.length) await bus.sessionEnded(...ended);
	});
	return ended.length;
}
