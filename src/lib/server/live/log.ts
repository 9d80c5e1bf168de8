import type { Kysely, Transaction } from 'kysely';
import type { PodEventKind, PodEventPayloads } from '../../live/events';
import type { Database, Db } from '../db';
import { dialectOf } from '../db/sql';
import { isoNow } from '../ids';
import { getPodEventBus } from './app-bus';
import { toPodEvent, type PodEvent, type PodEventBus } from './bus';

/**
 * Append to the pod's event log inside the caller's transaction. The sequence is the pod's
 * next number, with no gaps: SQLite has one writer at a time; on PostgreSQL the transaction
 * first holds the pod's row, so the pod's writers take turns until each commits. The primary
 * key refuses a duplicate either way.
 */
export async function appendPodEvent<K extends PodEventKind>(
	trx: Transaction<Database>,
	podId: string,
	kind: K,
	payload: PodEventPayloads[K],
	now = new Date()
): Promise<PodEvent> {
	if (dialectOf(trx) === 'postgres') {
		// "No key update", not "update": foreign-key checks on the pod from other writers pass it;
		// only the pod's other event writers wait, so seqs also follow commit order.
		await trx.selectFrom('pods').select('id').where('id', '=', podId).forNoKeyUpdate().execute();
	}
	const last = await trx
		.selectFrom('pod_events')
		.select((eb) => eb.fn.max('seq').as('seq'))
		.where('pod_id', '=', podId)
		.executeTakeFirst();
	const event: PodEvent = { podId, seq: Number(last?.seq ?? 0) + 1, kind, payload, at: isoNow(now) };
	await trx
		.insertInto('pod_events')
		.values({ pod_id: podId, seq: event.seq, kind, payload: JSON.stringify(payload), at: event.at })
		.execute();
	return event;
}

/** Record one pod event: its kind and payload as src/lib/live/events.ts defines them. */
export type RecordPodEvent = <K extends PodEventKind>(
	podId: string,
	kind: K,
	payload: PodEventPayloads[K]
) => Promise<PodEvent>;

/** Something the bus must hear once a transaction has committed (the sessions it ended, say). */
export type Announcement = (bus: PodEventBus) => Promise<void>;

/** What each open writeWithEvents transaction will announce after its commit. */
const announcementsOf = new WeakMap<Transaction<Database>, Announcement[]>();

/**
 * Tell the bus something once the caller's writeWithEvents transaction has committed, and never
 * if it rolls back. Any other transaction has no commit to wait for: that is a mistake, refused.
 */
export function announceAfterCommit(trx: Transaction<Database>, announcement: Announcement): void {
	const announcements = announcementsOf.get(trx);
	if (!announcements) {
		throw new Error(
			'announceAfterCommit needs the transaction of writeWithEvents, which announces after its commit'
		);
	}
	announcements.push(announcement);
}

/**
 * Run one write transaction that records pod events, and publish those events (and what else it
 * has to announce) only once it has committed — a subscriber never hears of a change that was
 * rolled back. On PostgreSQL, a transaction that the server chose to undo in a deadlock is run
 * again from the start.
 */
export async function writeWithEvents<T>(
	db: Kysely<Database>,
	work: (trx: Transaction<Database>, record: RecordPodEvent) => Promise<T>,
	bus: PodEventBus = getPodEventBus()
): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		const recorded: PodEvent[] = [];
		const announcements: Announcement[] = [];
		try {
			const result = await db.transaction().execute((trx) => {
				announcementsOf.set(trx, announcements);
				return work(trx, async (podId, kind, payload) => {
					const event = await appendPodEvent(trx, podId, kind, payload);
					await bus.sendAtCommit(trx, event);
					recorded.push(event);
					return event;
				});
			});
			for (const event of recorded) bus.publish(event);
			for (const announce of announcements) {
				// The write stands whatever happens here; a server that misses this hears it from its
				// own watchdog (live/session-streams.ts) a few seconds later.
				await announce(bus).catch((error: unknown) =>
					console.error('Podboard: a committed change could not be announced to live streams:', error)
				);
			}
			return result;
		} catch (error) {
			if (attempt >= 3 || !undoneToBreakADeadlock(error)) throw error;
		}
	}
}

/** PostgreSQL's codes for "deadlock detected" and "could not serialize": nothing was written. */
const undoneToBreakADeadlock = (error: unknown) =>
	['40P01', '40001'].includes((error as { code?: unknown } | null)?.code as string);

/** The pod's events after `afterSeq`, oldest first: what a reconnecting stream missed. */
export async function podEventsSince(
	db: Db,
	podId: string,
	afterSeq: number,
	limit = 1000
): Promise<PodEvent[]> {
	const rows = await db
		.selectFrom('pod_events')
		.selectAll()
		.where('pod_id', '=', podId)
		.where('seq', '>', afterSeq)
		.orderBy('seq')
		.limit(limit)
		.execute();
	return rows.map(toPodEvent);
}

/** The pod's newest sequence number (0 before any event). */
export async function latestSeq(db: Db, podId: string): Promise<number> {
	const row = await db
		.selectFrom('pod_events')
		.select((eb) => eb.fn.max('seq').as('seq'))
		.where('pod_id', '=', podId)
		.executeTakeFirst();
	return Number(row?.seq ?? 0);
}
