import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db';
import type { User } from '../db/schema';
import { isoNow } from '../ids';
import { getPodEventBus } from '../live/app-bus';

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
			'users.status'
		])
		.where('sessions.token_hash', '=', tokenHash)
		.executeTakeFirst();
	if (!row) return null;
	const idleUntil = Date.parse(row.last_seen_at) + row.idle_minutes * 60_000;
	if (row.status !== 'active' || now.getTime() >= Date.parse(row.expires_at) || now.getTime() >= idleUntil) {
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
