import type { Selectable, Transaction } from 'kysely';
import type { Database, PodEventTable } from '../db/schema';
import { endSessionStreams } from './session-streams';

/**
 * One change a dashboard (or a student's page) must see, numbered per pod, as the log and the
 * bus hold it: written by `record`, typed by src/lib/live/events.ts, but the log also keeps
 * what older versions wrote, so it is read here as plain JSON.
 */
export interface PodEvent {
	podId: string;
	seq: number;
	kind: string;
	payload: Record<string, unknown>;
	at: string;
}

/** A row of the pod event log, as the event it records. */
export function toPodEvent(row: Selectable<PodEventTable>): PodEvent {
	return {
		podId: row.pod_id,
		seq: Number(row.seq),
		kind: row.kind,
		payload: JSON.parse(row.payload) as Record<string, unknown>,
		at: row.at
	};
}

export type PodEventListener = (event: PodEvent) => void;

/**
 * Fan-out of committed pod events to live subscriptions. In-process for one server; over
 * PostgreSQL LISTEN/NOTIFY (postgres-bus.ts) when several app servers share one database.
 */
export interface PodEventBus {
	/**
	 * Called inside the transaction that wrote `event` to the pod's log. A bus that servers
	 * share sends it from here, so it goes out when, and only if, the transaction commits.
	 */
	sendAtCommit(trx: Transaction<Database>, event: PodEvent): Promise<void>;
	/** Called once that transaction has committed. */
	publish(event: PodEvent): void;
	/** Returns the unsubscribe function; call it when the subscriber goes away. */
	subscribe(podId: string, listener: PodEventListener): () => void;
	listenerCount(podId?: string): number;
	/**
	 * Sessions ended (signed out, a card voided, a person deactivated or erased), by token hash:
	 * their live streams end here at once, and on every other server when it hears.
	 */
	sessionEnded(...tokenHashes: string[]): Promise<void>;
	/** The server is stopping: let go of any connection the bus holds. */
	close(): Promise<void>;
}

export class InProcessPodEventBus implements PodEventBus {
	#listeners = new Map<string, Set<PodEventListener>>();

	async sendAtCommit(): Promise<void> {
		// Nothing leaves this server: publish() hands the event over after the commit.
	}

	publish(event: PodEvent): void {
		for (const listener of this.#listeners.get(event.podId) ?? []) {
			try {
				listener(event);
			} catch (error) {
				// One broken subscriber must not stop the others hearing the event.
				console.error('Pod event listener failed:', error);
			}
		}
	}

	subscribe(podId: string, listener: PodEventListener): () => void {
		let listeners = this.#listeners.get(podId);
		if (!listeners) this.#listeners.set(podId, (listeners = new Set()));
		listeners.add(listener);
		return () => {
			listeners.delete(listener);
			if (listeners.size === 0 && this.#listeners.get(podId) === listeners) this.#listeners.delete(podId);
		};
	}

	listenerCount(podId?: string): number {
		if (podId) return this.#listeners.get(podId)?.size ?? 0;
		let total = 0;
		for (const listeners of this.#listeners.values()) total += listeners.size;
		return total;
	}

	/** The pods someone on this server is listening to. */
	podsListenedTo(): string[] {
		return [...this.#listeners.keys()];
	}

	async sessionEnded(...tokenHashes: string[]): Promise<void> {
		for (const tokenHash of tokenHashes) endSessionStreams(tokenHash);
	}

	async close(): Promise<void> {}
}
