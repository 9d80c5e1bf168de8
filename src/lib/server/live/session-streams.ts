import { sessionHolds } from '../auth/session-rules';
import type { Db } from '../db';
import { TooMany } from '../errors';

// Live streams belong to the session that opened them, and end with it, whichever way it ends:
// - signed out, a card voided, a person deactivated or erased: whoever ends the session tells the
//   bus (bus.sessionEnded), which ends its streams on every server;
// - its absolute expiry: a timer per session, here;
// - anything the database knows and this server was not told (a session idle too long, a
//   person's status changed by hand, an announcement lost): one watchdog per server reads, every
//   SESSION_CHECK_MS, all the sessions it holds streams for, in one query per database.
// A stream that only listens is not a person at the keyboard: it does not keep its session from
// going idle, so a board left open ends when its session would stop signing anyone in.

/** Live streams one session may hold open on one server: a few tabs, never a flood. */
export const MAX_STREAMS_PER_SESSION = 8;
/** How often the watchdog reads the sessions behind this server's open streams. */
export const SESSION_CHECK_MS = 15_000;
/** setTimeout's longest wait (about 24.8 days): a later expiry is waited for in steps. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;
/** Sessions per watchdog query: well under both engines' limit on parameters. */
const SESSIONS_PER_CHECK = 500;

/** The session a stream belongs to, as the request resolved it. */
export interface StreamOwner {
	tokenHash: string;
	expiresAt: string;
}

interface OpenStream {
	/** Aborts the stream's signal and forgets it; safe to call more than once. */
	end(): void;
}

interface SessionStreams {
	tokenHash: string;
	/** Where the session lives: what the watchdog reads. */
	db: Db;
	expiresAt: number;
	streams: Set<OpenStream>;
	expiry?: ReturnType<typeof setTimeout>;
}

const sessions = new Map<string, SessionStreams>();
let watchdog: ReturnType<typeof setInterval> | undefined;
let watchdogBusy = false;

/**
 * Open a live stream for a session. Its signal aborts when the request's signal does, when the
 * session ends, or at its expiry; call `release` when the stream finishes (a closed request
 * releases it too, even if the stream never started). A session already holding
 * MAX_STREAMS_PER_SESSION streams on this server is refused with TOO_MANY_REQUESTS.
 */
export function openSessionStream(
	db: Db,
	owner: StreamOwner,
	requestSignal: AbortSignal | undefined
): { signal: AbortSignal; release(): void } {
	let session = sessions.get(owner.tokenHash);
	if (session && session.streams.size >= MAX_STREAMS_PER_SESSION) {
		throw new TooMany(
			`This sign-in already has ${MAX_STREAMS_PER_SESSION} live pages open. Close the Podboard tabs or windows you no longer need, then reload this page.`
		);
	}
	if (!session) {
		session = { tokenHash: owner.tokenHash, db, expiresAt: Date.parse(owner.expiresAt), streams: new Set() };
		sessions.set(owner.tokenHash, session);
		waitForExpiry(session);
		watchdog ??= setInterval(watchOpenSessions, SESSION_CHECK_MS).unref();
	}
	const owned = session;
	const controller = new AbortController();
	const stream: OpenStream = {
		end() {
			requestSignal?.removeEventListener('abort', stream.end);
			controller.abort();
			if (owned.streams.delete(stream) && owned.streams.size === 0) forget(owned);
		}
	};
	owned.streams.add(stream);
	if (requestSignal?.aborted) stream.end();
	else requestSignal?.addEventListener('abort', stream.end, { once: true });
	return { signal: controller.signal, release: stream.end };
}

function waitForExpiry(session: SessionStreams) {
	const wait = session.expiresAt - Date.now();
	session.expiry = setTimeout(
		() => (wait > LONGEST_TIMER_MS ? waitForExpiry(session) : endStreams(session)),
		Math.max(0, Math.min(wait, LONGEST_TIMER_MS))
	).unref();
}

function endStreams(session: SessionStreams) {
	for (const stream of [...session.streams]) stream.end();
	forget(session);
}

/** No stream left: nothing of the session stays behind, and with no session at all, no watchdog. */
function forget(session: SessionStreams) {
	clearTimeout(session.expiry);
	if (sessions.get(session.tokenHash) === session) sessions.delete(session.tokenHash);
	if (sessions.size === 0 && watchdog) {
		clearInterval(watchdog);
		watchdog = undefined;
	}
}

/** The session ended: its streams on this server end now. */
export function endSessionStreams(tokenHash: string): void {
	const session = sessions.get(tokenHash);
	if (session) endStreams(session);
}

function watchOpenSessions() {
	// A slow database must not pile checks up: skip a turn while one is still reading.
	if (watchdogBusy) return;
	watchdogBusy = true;
	void checkOpenSessions().finally(() => (watchdogBusy = false));
}

/**
 * The watchdog's check, which tests also call: read every session that has streams open on this
 * server, and end the streams of each one that no longer signs anyone in — deleted, its person
 * no longer active, idle too long or expired.
 */
export async function checkOpenSessions(now = new Date()): Promise<void> {
	const byDb = new Map<Db, SessionStreams[]>();
	for (const session of sessions.values()) {
		const open = byDb.get(session.db);
		if (open) open.push(session);
		else byDb.set(session.db, [session]);
	}
	for (const [db, open] of byDb) {
		for (let i = 0; i < open.length; i += SESSIONS_PER_CHECK) {
			const batch = open.slice(i, i + SESSIONS_PER_CHECK);
			let rows;
			try {
				rows = await db
					.selectFrom('sessions')
					.innerJoin('users', 'users.id', 'sessions.user_id')
					.select([
						'sessions.token_hash',
						'sessions.expires_at',
						'sessions.last_seen_at',
						'sessions.idle_minutes',
						'users.status'
					])
					.where(
						'sessions.token_hash',
						'in',
						batch.map((session) => session.tokenHash)
					)
					.execute();
			} catch (error) {
				// The next turn tries again; meanwhile sign-out and expiry still end streams.
				console.error(
					'Podboard: could not check the sessions of open live streams:',
					(error as Error).message
				);
				continue;
			}
			const found = new Map(rows.map((row) => [row.token_hash, row]));
			for (const session of batch) {
				const row = found.get(session.tokenHash);
				if (!row || !sessionHolds(row, now)) endStreams(session);
			}
		}
	}
}

/** Open streams on this server, for tests and the bench: nothing may be left behind. */
export function openSessionStreams(): number {
	let total = 0;
	for (const session of sessions.values()) total += session.streams.size;
	return total;
}
