import type { Kysely, Transaction } from 'kysely';
import type { Database, Db } from '../db';
import { isoNow } from '../ids';
import { podEventBus, type PodEvent, type PodEventBus } from './bus';

/**
 * Append to the pod's event log inside the caller's transaction. The sequence is the pod's
 * next number: SQLite has one writer at a time, and the primary key refuses a duplicate.
 */
export async function appendPodEvent(
	trx: Transaction<Database>,
	podId: string,
	kind: string,
	payload: Record<string, unknown>,
	now = new Date()
): Promise<PodEvent> {
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

export type RecordPodEvent = (
	podId: string,
	kind: string,
	payload: Record<string, unknown>
) => Promise<PodEvent>;

/**
 * Run one write transaction that records pod events, and publish those events only once it
 * has committed — a subscriber never hears of a change that was rolled back.
 */
export async function writeWithEvents<T>(
	db: Kysely<Database>,
	work: (trx: Transaction<Database>, record: RecordPodEvent) => Promise<T>,
	bus: PodEventBus = podEventBus
): Promise<T> {
	const recorded: PodEvent[] = [];
	const result = await db.transaction().execute((trx) =>
		work(trx, async (podId, kind, payload) => {
			const event = await appendPodEvent(trx, podId, kind, payload);
			recorded.push(event);
			return event;
		})
	);
	for (const event of recorded) bus.publish(event);
	return result;
}

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
	return rows.map((row) => ({
		podId: row.pod_id,
		seq: Number(row.seq),
		kind: row.kind,
		payload: JSON.parse(row.payload) as Record<string, unknown>,
		at: row.at
	}));
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
