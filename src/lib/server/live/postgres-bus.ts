import { sql, type Kysely, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from '../db/schema';
import {
	InProcessPodEventBus,
	toPodEvent,
	type PodEvent,
	type PodEventBus,
	type PodEventListener
} from './bus';
import { endSessionStreams } from './session-streams';

// Several app servers over one PostgreSQL database: each writes its pod events to the log and
// sends a NOTIFY in the same transaction; PostgreSQL delivers it, at commit, to every server
// LISTENing (the writer's own included), and each hands it to its own subscribers.

export const POD_EVENTS_CHANNEL = 'podboard_pod_events';
export const SESSIONS_ENDED_CHANNEL = 'podboard_sessions_ended';
/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more; a larger event is read from the log. */
const NOTIFY_MAX_BYTES = 7900;
/** A token hash is 43 characters: 150 of them, with their commas, stay under NOTIFY_MAX_BYTES. */
const HASHES_PER_NOTICE = 150;
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 10_000;

/** What a notification carries: the whole event, or where to read it when it is too large. */
type Notice = PodEvent | { podId: string; seq: number; kind?: undefined };

const sleep = (ms: number) => new Promise((resume) => setTimeout(resume, ms));

export class PostgresPodEventBus implements PodEventBus {
	#local = new InProcessPodEventBus();
	#db: Kysely<Database>;
	#connectionString: string;
	#client: pg.Client | null = null;
	#listening: Promise<void> | null = null;
	#closed = false;

	/** `db` reads events too large to notify; `connectionString` opens the one LISTEN connection. */
	constructor(db: Kysely<Database>, connectionString: string) {
		this.#db = db;
		this.#connectionString = connectionString;
	}

	/** Resolves once this server hears notifications; subscribing starts it too. */
	listen(): Promise<void> {
		this.#listening ??= this.#connect();
		return this.#listening;
	}

	async sendAtCommit(trx: Transaction<Database>, event: PodEvent): Promise<void> {
		const whole = JSON.stringify(event);
		const notice =
			Buffer.byteLength(whole) <= NOTIFY_MAX_BYTES
				? whole
				: JSON.stringify({ podId: event.podId, seq: event.seq });
		await sql`select pg_notify(${POD_EVENTS_CHANNEL}, ${notice})`.execute(trx);
	}

	publish(): void {
		// The notification sent at commit comes back to this server's LISTEN connection like any
		// other's, so every server hands events over the same way, in the same order.
	}

	subscribe(podId: string, listener: PodEventListener): () => void {
		void this.listen();
		return this.#local.subscribe(podId, listener);
	}

	listenerCount(podId?: string): number {
		return this.#local.listenerCount(podId);
	}

	async sessionEnded(...tokenHashes: string[]): Promise<void> {
		for (const tokenHash of tokenHashes) endSessionStreams(tokenHash); // here at once; the others when they hear
		// Comma-separated (a token hash is base64url: no commas), as many as one notification holds.
		for (let i = 0; i < tokenHashes.length; i += HASHES_PER_NOTICE) {
			const notice = tokenHashes.slice(i, i + HASHES_PER_NOTICE).join(',');
			await sql`select pg_notify(${SESSIONS_ENDED_CHANNEL}, ${notice})`.execute(this.#db);
		}
	}

	/** Stop listening, for good. */
	async close(): Promise<void> {
		this.#closed = true;
		const client = this.#client;
		this.#client = null;
		await client?.end().catch(() => {});
	}

	/** Connect and LISTEN, trying again until it works; after a loss, give the server a moment first. */
	async #connect(afterLoss = false): Promise<void> {
		if (afterLoss) await sleep(RETRY_FIRST_MS);
		for (let retryMs = RETRY_FIRST_MS; !this.#closed; retryMs = Math.min(retryMs * 2, RETRY_MAX_MS)) {
			const client = new pg.Client({ connectionString: this.#connectionString });
			client.on('error', (error) => this.#lost(client, error));
			client.on('end', () => this.#lost(client, null));
			try {
				await client.connect();
				client.on('notification', (message) => this.#heard(message));
				await client.query(`LISTEN ${POD_EVENTS_CHANNEL}`);
				await client.query(`LISTEN ${SESSIONS_ENDED_CHANNEL}`);
				if (this.#closed) {
					await client.end();
					return;
				}
				this.#client = client;
				return;
			} catch (error) {
				client.removeAllListeners('end');
				await client.end().catch(() => {});
				console.error(
					`Podboard: cannot listen for live events on PostgreSQL (${(error as Error).message}); trying again in ${retryMs} ms`
				);
				await sleep(retryMs);
			}
		}
	}

	#lost(client: pg.Client, error: Error | null) {
		if (this.#client !== client) return;
		this.#client = null;
		if (this.#closed) return;
		console.error(
			`Podboard: the live-event connection to PostgreSQL was lost${error ? ` (${error.message})` : ''}`
		);
		this.#listening = this.#connect(true).then(() => this.#catchUp());
	}

	/**
	 * Back after a lost connection: what was sent meanwhile is in the log. Handing each pod's
	 * newest event to its streams is enough; a stream that sees it is ahead reads the log up to it.
	 */
	async #catchUp() {
		for (const podId of this.#local.podsListenedTo()) {
			const newest = await this.#db
				.selectFrom('pod_events')
				.selectAll()
				.where('pod_id', '=', podId)
				.orderBy('seq', 'desc')
				.limit(1)
				.executeTakeFirst();
			if (newest) this.#local.publish(toPodEvent(newest));
		}
	}

	async #heard(message: pg.Notification) {
		try {
			if (message.channel === SESSIONS_ENDED_CHANNEL) {
				for (const tokenHash of (message.payload ?? '').split(','))
					if (tokenHash) endSessionStreams(tokenHash);
				return;
			}
			const notice = JSON.parse(message.payload ?? '') as Notice;
			if (this.#local.listenerCount(notice.podId) === 0) return;
			const event = notice.kind === undefined ? await this.#readEvent(notice.podId, notice.seq) : notice;
			if (event) this.#local.publish(event);
		} catch (error) {
			console.error('Podboard: a live-event notification could not be read:', error);
		}
	}

	async #readEvent(podId: string, seq: number): Promise<PodEvent | undefined> {
		const row = await this.#db
			.selectFrom('pod_events')
			.selectAll()
			.where('pod_id', '=', podId)
			.where('seq', '=', seq)
			.executeTakeFirst();
		return row && toPodEvent(row);
	}
}
