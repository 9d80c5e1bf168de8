import type { PodEventMessage } from '$lib/live/events';
import type { PodStream } from '$lib/live/pod-stream.svelte';
import { trpc, type RouterOutputs } from '$lib/trpc';

export type Today = RouterOutputs['calendar']['today'];

/**
 * Whether the pod has school today, as the board's notice shows it: read with the board, again
 * when the school's calendar changes, and every quarter hour (a board left open past midnight
 * meets a new day).
 */
export class SchoolToday {
	readonly podId: string;
	today = $state.raw<Today>() as Today;

	constructor(podId: string, today: Today) {
		this.podId = podId;
		this.today = today;
	}

	/** Returns the teardown. */
	follow(stream: PodStream<PodEventMessage>): () => void {
		const stop = stream.subscribe((message) => {
			if (message.kind === 'calendar.changed') void this.#read();
		});
		const timer = setInterval(() => void this.#read(), 15 * 60_000);
		return () => {
			stop();
			clearInterval(timer);
		};
	}

	async #read() {
		// A read that fails leaves the notice as it was: the next change or quarter hour tries again.
		this.today = await trpc.calendar.today.query({ podId: this.podId }).catch(() => this.today);
	}
}
