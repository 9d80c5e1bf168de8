import { tracked } from '@trpc/server';
import { z } from 'zod';
import type { PodEventMessage } from '../../live/events';
import type { Db } from '../db';
import { getPodEventBus } from './app-bus';
import type { PodEvent, PodEventBus } from './bus';
import { openSessionStream, type StreamOwner } from './session-streams';
import { latestSeq, podEventsSince } from './log';

export interface PodEventStreamOptions {
	db: Db;
	bus: PodEventBus;
	podId: string;
	/** The last sequence number the client saw; null starts from now, with no replay. */
	lastSeq: number | null;
	signal: AbortSignal | undefined;
	/** Which events this subscriber may see (a student sees only events naming them). */
	accept?: (event: PodEvent) => boolean;
}

/** Events one read of the log replays; a longer absence is read a page at a time. */
const REPLAY_PAGE = 1000;
/**
 * Events a stream holds for a reader that has stopped reading (a Chromebook whose Wi-Fi hangs
 * with the connection still open). Past this it lets them go and reads the log again once the
 * reader is back: the log has them all, and a stalled stream's memory stays bounded.
 */
const PENDING_LIMIT = 1000;

/**
 * The pod's events, live, in sequence order, with nothing missed: it listens on the bus first,
 * then replays from the log what came after `lastSeq`, then follows the bus, skipping any event
 * it has already given. Ends, and stops listening, when `signal` aborts.
 */
export async function* podEventStream(options: PodEventStreamOptions): AsyncGenerator<PodEvent> {
	const { db, bus, podId, signal, accept = () => true } = options;
	const pending: PodEvent[] = [];
	let behind = false;
	let wake: (() => void) | null = null;
	const unsubscribe = bus.subscribe(podId, (event) => {
		if (pending.length >= PENDING_LIMIT) {
			pending.length = 0;
			behind = true;
		} else pending.push(event);
		wake?.();
	});
	const onAbort = () => wake?.();
	signal?.addEventListener('abort', onAbort);
	try {
		let lastSeq = options.lastSeq ?? (await latestSeq(db, podId));
		let readLog = true;
		while (!signal?.aborted) {
			if (behind) {
				behind = false;
				readLog = true;
			}
			if (readLog) {
				// What came after lastSeq: a replay after a reconnect, or what was committed
				// between subscribing and now.
				const missed = await podEventsSince(db, podId, lastSeq, REPLAY_PAGE);
				for (const event of missed) {
					lastSeq = event.seq;
					if (accept(event)) yield event;
				}
				// A full page may not be all that was missed: read on before following the bus.
				if (missed.length === REPLAY_PAGE) continue;
			}
			readLog = false;
			const event = pending.shift();
			if (!event) {
				// An abort while the log was being read had no one to wake: it must not wait for the next event.
				if (signal?.aborted) break;
				await new Promise<void>((resolve) => (wake = resolve));
				wake = null;
				continue;
			}
			if (event.seq <= lastSeq) continue;
			if (event.seq > lastSeq + 1) {
				// An earlier event is in the log but not yet heard here: read the log, in order.
				pending.unshift(event);
				readLog = true;
				continue;
			}
			lastSeq = event.seq;
			if (accept(event)) yield event;
		}
	} finally {
		unsubscribe();
		signal?.removeEventListener('abort', onAbort);
	}
}

/** Where a live subscription resumes, as tRPC's httpSubscriptionLink sends it on a reconnect. */
export const lastEventIdFields = z.object({
	lastEventId: z
		.string()
		.regex(/^\d{1,15}$/, { error: 'lastEventId is a number' })
		.nullish()
});
export const lastEventIdInput = lastEventIdFields.optional();

interface TrackedPodEventsOptions<Message> {
	db: Db;
	/** The signed-in session the stream belongs to: it ends when that session does. */
	session: StreamOwner;
	podId: string;
	lastEventId: string | null | undefined;
	signal: AbortSignal | undefined;
	accept?: (event: PodEvent) => boolean;
	/** What the stream sends of each event it accepts. */
	toMessage: (event: PodEventMessage) => Message;
}

/**
 * A session's live stream of one pod's events, as tRPC messages `tracked()` with the pod event
 * sequence. Ends when the connection closes or the session ends, however it ends. Counted
 * against the session's streams when called, not when first read, so that many requests at
 * once cannot all slip under the limit (it throws TOO_MANY_REQUESTS past it).
 */
export function trackedPodEvents<Message>(options: TrackedPodEventsOptions<Message>) {
	const session = openSessionStream(options.db, options.session, options.signal);
	return followTracked(options, session);
}

async function* followTracked<Message>(
	options: TrackedPodEventsOptions<Message>,
	session: { signal: AbortSignal; release(): void }
) {
	try {
		const stream = podEventStream({
			db: options.db,
			bus: getPodEventBus(),
			podId: options.podId,
			lastSeq: options.lastEventId ? Number(options.lastEventId) : null,
			signal: session.signal,
			accept: options.accept
		});
		for await (const event of stream) yield tracked(String(event.seq), options.toMessage(asMessage(event)));
	} finally {
		session.release();
	}
}

/**
 * An event of the log as a live stream sends it, typed by PodEventPayloads: what `record`
 * writes. One that an older Podboard wrote goes out as the log holds it; pages check what
 * they read (see ReceivedPodEvent in src/lib/live/events.ts).
 */
function asMessage(event: PodEvent): PodEventMessage {
	return { seq: event.seq, kind: event.kind, payload: event.payload, at: event.at } as PodEventMessage;
}
