// A page's live connection to its pod: one stream that the board, the triage rail, the student's
// page and any later live view subscribe to. It knows the last event it heard and resumes after
// it, tries again with backoff when the stream fails, closes while the device is offline and
// opens again the moment it is back, and says so (LiveStatus). A stream the server ends (its
// session ended: signed out, a card voided, a person deactivated) stays ended: the page says so.
// It takes its world as arguments (the subscription, the network, timers), so tests drive it.

/** What a live view tells the people looking at it about its connection. */
export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'ended';

/** tRPC's callbacks for a subscription (see `subscribe()` on a tRPC client), those a stream uses. */
export interface StreamCallbacks<Message> {
	onStarted(): void;
	/** A message `tracked()` by the server with its pod event sequence. */
	onData(tracked: { id: string; data: Message }): void;
	onConnectionStateChange(change: { state: 'idle' | 'connecting' | 'pending' }): void;
	/** The subscription failed and will not try again by itself. */
	onError(error: unknown): void;
	/** The server ended the subscription. */
	onComplete(): void;
}

/** The device's network as the browser sees it. */
export interface Network {
	readonly online: boolean;
	/** Hear it change; returns the teardown. */
	listen(changed: (online: boolean) => void): () => void;
}

export interface PodStreamWorld<Message> {
	/** Open the subscription, resuming after `lastEventId`: a page passes tRPC's subscribe. */
	subscribe(lastEventId: string, callbacks: StreamCallbacks<Message>): { unsubscribe(): void };
	network?: Network;
	setTimer?: (run: () => void, ms: number) => unknown;
	clearTimer?: (timer: unknown) => void;
}

/** How long to wait before subscribing again after the stream failed, attempt by attempt. */
export const RETRY_MS = [1000, 2000, 5000, 10_000];

/** The browser's window: its `online` and `offline` events. */
export const browserNetwork: Network = {
	get online() {
		return navigator.onLine;
	},
	listen(changed) {
		const online = () => changed(true);
		const offline = () => changed(false);
		window.addEventListener('online', online);
		window.addEventListener('offline', offline);
		return () => {
			window.removeEventListener('online', online);
			window.removeEventListener('offline', offline);
		};
	}
};

/** The server refused the subscription for want of a session: trying again will not help. */
const signedOut = (error: unknown) =>
	(error as { data?: { code?: unknown } } | null)?.data?.code === 'UNAUTHORIZED';

export class PodStream<Message> {
	state = $state<StreamState>('connecting');

	#world: PodStreamWorld<Message>;
	/** The last pod event heard: where the stream resumes after a reconnect. */
	#seq: number;
	// Who hears each message; not shown anywhere, so not reactive.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#listeners = new Set<(message: Message, seq: number) => void>();
	#subscription: { unsubscribe(): void } | null = null;
	/** Counts subscriptions opened: a callback from one since closed is ignored. */
	#opened = 0;
	#attempt = 0;
	#retry: unknown = null;
	#running = false;
	#online = true;
	#streaming = false;

	/** `fromSeq`: the pod event the page's data was read at, so nothing after it is missed. */
	constructor(world: PodStreamWorld<Message>, fromSeq: number) {
		this.#world = world;
		this.#seq = fromSeq;
	}

	get seq() {
		return this.#seq;
	}

	/** Hear every message, in order, once. Returns the teardown. */
	subscribe(listener: (message: Message, seq: number) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/** Open the stream and keep it open, until the teardown this returns or the server ends it. */
	connect(): () => void {
		const network = this.#world.network ?? browserNetwork;
		this.#running = true;
		this.#online = network.online;
		const stopListening = network.listen((online) => {
			this.#online = online;
			// A network that goes away can leave a stream hanging open with nothing on it, and the
			// browser may not notice for minutes: close it, and open a fresh one, from where it
			// stopped, the moment the device is back.
			this.#close();
			if (online) this.#open();
			this.#show();
		});
		this.#open();
		this.#show();
		return () => {
			this.#running = false;
			this.#close();
			stopListening();
		};
	}

	#open() {
		if (!this.#running || !this.#online || this.state === 'ended') return;
		const opened = ++this.#opened;
		const current = () => opened === this.#opened && this.#running;
		this.#subscription = this.#world.subscribe(String(this.#seq), {
			onStarted: () => {
				if (!current()) return;
				this.#attempt = 0;
				this.#streaming = true;
				this.#show();
			},
			onData: ({ id, data }) => {
				const seq = Number(id);
				// The link replays after the last id it saw; anything at or before ours is heard already.
				if (!current() || !(seq > this.#seq)) return;
				this.#seq = seq;
				for (const listener of this.#listeners) {
					try {
						listener(data, seq);
					} catch (error) {
						// One broken view must not stop the others hearing the pod.
						console.error('Podboard: a live view failed on a message:', error);
					}
				}
			},
			onConnectionStateChange: ({ state }) => {
				if (!current()) return;
				this.#streaming = state === 'pending';
				if (state === 'connecting' && this.state === 'live') this.state = 'reconnecting';
				this.#show();
			},
			onError: (error) => {
				if (!current()) return;
				if (signedOut(error)) return this.#end();
				this.#close();
				if (this.state === 'connecting' || this.state === 'live') this.state = 'reconnecting';
				this.#show();
				const wait = RETRY_MS[Math.min(this.#attempt++, RETRY_MS.length - 1)];
				this.#retry = (this.#world.setTimer ?? setTimeout)(() => {
					this.#retry = null;
					this.#open();
				}, wait);
			},
			onComplete: () => {
				if (current()) this.#end();
			}
		});
	}

	#close() {
		this.#opened++;
		if (this.#retry !== null) {
			(this.#world.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>)))(
				this.#retry
			);
			this.#retry = null;
		}
		this.#subscription?.unsubscribe();
		this.#subscription = null;
		this.#streaming = false;
	}

	/** The server ended the stream: the session behind it is over, and so is this stream. */
	#end() {
		this.#close();
		this.state = 'ended';
	}

	#show() {
		if (this.state === 'ended') return;
		if (!this.#online) this.state = 'offline';
		else if (this.#streaming) this.state = 'live';
		else if (this.state !== 'connecting') this.state = 'reconnecting';
	}
}

/**
 * One live view's place in the stream: the last event it shows, and what waits while it reads
 * itself again. A message it already shows is skipped; one that arrives during a reload is held,
 * then applied once, in order, on top of what was read.
 */
export class StreamSubscriber<Message> {
	#apply: (message: Message, seq: number) => void | Promise<void>;
	#seq: number;
	#reloading: Promise<void> | null = null;
	#held: { message: Message; seq: number }[] = [];

	constructor(apply: (message: Message, seq: number) => void | Promise<void>, seq = 0) {
		this.#apply = apply;
		this.#seq = seq;
	}

	get seq() {
		return this.#seq;
	}

	/** The view was read afresh, as of pod event `seq`. */
	caughtUp(seq: number) {
		this.#seq = Math.max(this.#seq, seq);
	}

	async receive(message: Message, seq: number): Promise<void> {
		if (seq <= this.#seq) return;
		if (this.#reloading) {
			this.#held.push({ message, seq });
			return;
		}
		this.#seq = seq;
		await this.#apply(message, seq);
	}

	/**
	 * Read the view again (`read` calls caughtUp with what it read). What arrives meanwhile waits,
	 * then applies on top, so nothing is lost or applied twice. A reload asked for during one is
	 * that one. Should the read fail, the view keeps what it has and the held messages apply.
	 */
	reload(read: () => Promise<void>): Promise<void> {
		this.#reloading ??= (async () => {
			try {
				await read();
			} catch {
				// The next change that needs a reload tries again.
			} finally {
				this.#reloading = null;
				const held = this.#held;
				this.#held = [];
				for (const { message, seq } of held) await this.receive(message, seq);
			}
		})();
		return this.#reloading;
	}
}
