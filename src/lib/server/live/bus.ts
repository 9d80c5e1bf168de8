/** One change a dashboard (or a student's page) must see, numbered per pod. */
export interface PodEvent {
	podId: string;
	seq: number;
	kind: string;
	payload: Record<string, unknown>;
	at: string;
}

export type PodEventListener = (event: PodEvent) => void;

/**
 * Fan-out of committed pod events to live subscriptions. In-process for SQLite; a
 * PostgreSQL LISTEN/NOTIFY implementation lets several app servers share one pod.
 */
export interface PodEventBus {
	publish(event: PodEvent): void;
	/** Returns the unsubscribe function; call it when the subscriber goes away. */
	subscribe(podId: string, listener: PodEventListener): () => void;
	listenerCount(podId?: string): number;
}

export class InProcessPodEventBus implements PodEventBus {
	#listeners = new Map<string, Set<PodEventListener>>();

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
}

/** The app's bus. */
export const podEventBus: PodEventBus = new InProcessPodEventBus();
