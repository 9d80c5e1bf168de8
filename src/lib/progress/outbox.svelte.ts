import type { ProgressEventKind } from '../domain';
import { MAX_EVENTS_PER_BATCH } from './batch';

// The student's device writes every action here first, then sends it. Reloading the page or
// losing Wi-Fi loses nothing; each action keeps its eventId, so a resend is stored once.
// Only ids, kinds, scores and times are kept: no names, no titles.

export interface OutboxEntry {
	eventId: string;
	assignmentId: string;
	kind: ProgressEventKind;
	score?: number | null;
	occurredAt: string;
}

export type SendResult =
	| { ok: true; acknowledged: string[] }
	/** retry: the network or the server failed, try later; otherwise the server refused these. */
	| { ok: false; retry: boolean; message: string };

export interface OutboxDeps {
	storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
	send: (batch: OutboxEntry[]) => Promise<SendResult>;
	/** After a batch is saved: refresh what the page shows from the server. */
	onSaved?: () => void;
	setTimer?: (run: () => void, ms: number) => unknown;
	clearTimer?: (timer: unknown) => void;
	random?: () => number;
}

export const OUTBOX_PREFIX = 'podboard.outbox.';
const MAX_BACKOFF_MS = 30_000;

/** How long to wait before the n-th retry: doubling from a second, capped, with jitter. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
	const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt);
	return Math.round(base * (0.5 + random() / 2));
}

export class Outbox {
	entries = $state<OutboxEntry[]>([]);
	sending = $state(false);
	/** Set while sends are failing: what the page tells the student. */
	problem = $state<string | null>(null);
	/** Actions the server refused for good (never acknowledged), with its reason. */
	refused = $state<string[]>([]);

	#key: string;
	#deps: OutboxDeps;
	#attempt = 0;
	#timer: unknown = null;
	#oneAtATime = false;
	#disposed = false;

	constructor(key: string, deps: OutboxDeps) {
		this.#key = OUTBOX_PREFIX + key;
		this.#deps = deps;
		this.entries = this.#load();
	}

	get state(): 'saved' | 'saving' | 'waiting' {
		if (this.entries.length === 0) return 'saved';
		return this.problem ? 'waiting' : 'saving';
	}

	add(entry: OutboxEntry): void {
		this.entries = [...this.entries, entry];
		this.#save();
		void this.flush();
	}

	/** Send what is waiting, now; on failure try again later, backing off. */
	async flush(): Promise<void> {
		if (this.sending || this.#disposed || this.entries.length === 0) return;
		this.#cancelTimer();
		this.sending = true;
		const batch = this.entries.slice(0, this.#oneAtATime ? 1 : MAX_EVENTS_PER_BATCH);
		let result: SendResult;
		try {
			result = await this.#deps.send(batch);
		} catch {
			result = { ok: false, retry: true, message: 'No connection to Podboard right now.' };
		}
		this.sending = false;
		if (this.#disposed) return;

		if (result.ok) {
			const done = result.acknowledged;
			this.entries = this.entries.filter((e) => !done.includes(e.eventId));
			this.#attempt = 0;
			this.problem = null;
			if (batch.length === 1) this.#oneAtATime = false;
			this.#save();
			this.#deps.onSaved?.();
		} else if (result.retry) {
			this.problem = result.message;
			this.#schedule(backoffMs(this.#attempt++, this.#deps.random));
			return;
		} else if (batch.length > 1) {
			// One of these is refused: send them one by one to keep every one that can be saved.
			this.#oneAtATime = true;
		} else {
			this.refused = [...this.refused, result.message];
			this.entries = this.entries.filter((e) => e.eventId !== batch[0].eventId);
			this.#save();
		}
		if (this.entries.length) await this.flush();
	}

	dispose(): void {
		this.#disposed = true;
		this.#cancelTimer();
	}

	#schedule(ms: number) {
		this.#cancelTimer();
		const set = this.#deps.setTimer ?? ((run: () => void, delay: number) => setTimeout(run, delay));
		this.#timer = set(() => {
			this.#timer = null;
			void this.flush();
		}, ms);
	}

	#cancelTimer() {
		if (this.#timer === null) return;
		(this.#deps.clearTimer ?? ((t: unknown) => clearTimeout(t as ReturnType<typeof setTimeout>)))(
			this.#timer
		);
		this.#timer = null;
	}

	#load(): OutboxEntry[] {
		try {
			const saved = this.#deps.storage?.getItem(this.#key);
			const parsed: unknown = saved ? JSON.parse(saved) : [];
			return Array.isArray(parsed) ? (parsed as OutboxEntry[]) : [];
		} catch {
			return [];
		}
	}

	#save() {
		try {
			if (this.entries.length) this.#deps.storage?.setItem(this.#key, JSON.stringify(this.entries));
			else this.#deps.storage?.removeItem(this.#key);
		} catch {
			// Storage full or unavailable (a locked-down browser): the outbox still works in memory.
		}
	}
}

/** Signing out clears every outbox on this device: the next student starts clean. */
export function clearOutboxes(storage: Storage): void {
	for (let i = storage.length - 1; i >= 0; i--) {
		const key = storage.key(i);
		if (key?.startsWith(OUTBOX_PREFIX)) storage.removeItem(key);
	}
}

/** A v4 UUID. crypto.randomUUID needs HTTPS; a school LAN may serve plain HTTP. */
export function newEventId(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	bytes[6] = (bytes[6] & 0x0f) | 0x40;
	bytes[8] = (bytes[8] & 0x3f) | 0x80;
	const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** How many actions wait, unsent, in any outbox on this device. */
export function waitingOnDevice(storage: Storage): number {
	let waiting = 0;
	for (let i = 0; i < storage.length; i++) {
		const key = storage.key(i);
		if (!key?.startsWith(OUTBOX_PREFIX)) continue;
		try {
			const entries: unknown = JSON.parse(storage.getItem(key) ?? '[]');
			if (Array.isArray(entries)) waiting += entries.length;
		} catch {
			// An unreadable outbox holds nothing we could send.
		}
	}
	return waiting;
}
