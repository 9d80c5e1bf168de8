// Live streams over real HTTP and SSE, read the way tRPC's httpSubscriptionLink reads them:
// a dashboard following dashboard.live (or a student's page following playlists.live) for tests
// that count every event it hears and see when the server ends it; and an in-process HTTP
// server that streams its answers, for tests that count what a closed stream leaves behind.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import { resolveSession, SESSION_COOKIE } from '../../src/lib/server/auth/sessions';
import type { Database } from '../../src/lib/server/db';
import { handleTrpcRequest } from '../../src/lib/server/trpc/http';

export interface BoardMessage {
	seq: number;
	kind: string;
	payload: { assignments?: { assignmentId: string; lastEventAt: string | null }[] };
	arrivedAt: number;
}

/** A dashboard following dashboard.live over SSE, as tRPC's httpSubscriptionLink does. */
export interface Board {
	/** Every tracked message in arrival order: a repeat or a gap would show here. */
	received: BoardMessage[];
	lastSeq: number;
	connections: number;
	errors: string[];
	/** Whether the server ended the stream (at sign-out, say) rather than the test dropping it. */
	ended: boolean;
	/** Close the connection the way a dropped network does, without a goodbye. */
	drop(): void;
	/** Connect again, resuming after the last event id seen. */
	resume(): Promise<void>;
}

export function followBoard(origin: string, podId: string, cookie: string, fromSeq: number): Promise<Board> {
	return followStream(origin, 'dashboard.live', { podId }, cookie, fromSeq);
}

/** Any live subscription (`procedure`, with `input`) over SSE, resuming after `fromSeq`. */
export async function followStream(
	origin: string,
	procedure: string,
	input: Record<string, unknown>,
	cookie: string,
	fromSeq: number
): Promise<Board> {
	let connection: AbortController | undefined;
	const board: Board = {
		received: [],
		lastSeq: fromSeq,
		connections: 0,
		errors: [],
		ended: false,
		drop: () => connection?.abort(),
		resume
	};

	function dispatch(fields: Map<string, string>) {
		const event = fields.get('event');
		if (event === 'serialized-error' || event === 'return') {
			board.errors.push(`${procedure} sent "${event}": ${fields.get('data')}`);
		}
		if (event !== undefined || !fields.has('data') || !fields.get('id')) return;
		const message = JSON.parse(fields.get('data')!) as Omit<BoardMessage, 'arrivedAt'>;
		board.received.push({ ...message, arrivedAt: performance.now() });
		board.lastSeq = Number(fields.get('id'));
	}

	async function read(body: ReadableStream<Uint8Array>, signal: AbortSignal) {
		const reader = body.getReader();
		const decoder = new TextDecoder();
		let buffer = '';
		let fields = new Map<string, string>();
		try {
			for (;;) {
				const { value, done } = await reader.read();
				if (done) {
					if (!signal.aborted) {
						board.ended = true;
						board.errors.push(`${procedure} ended the stream`);
					}
					return;
				}
				buffer += decoder.decode(value, { stream: true });
				let end: number;
				while ((end = buffer.indexOf('\n')) >= 0) {
					const line = buffer.slice(0, end);
					buffer = buffer.slice(end + 1);
					if (line === '') {
						if (fields.size) dispatch(fields);
						fields = new Map();
						continue;
					}
					const colon = line.indexOf(':');
					if (colon === 0) continue; // a comment
					const name = colon < 0 ? line : line.slice(0, colon);
					fields.set(name, colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, ''));
				}
			}
		} catch (error) {
			if (!(error instanceof Error && error.name === 'AbortError')) board.errors.push(String(error));
		}
	}

	async function resume() {
		connection = new AbortController();
		const query = encodeURIComponent(JSON.stringify({ ...input, lastEventId: String(board.lastSeq) }));
		const response = await fetch(`${origin}/api/trpc/${procedure}?input=${query}`, {
			headers: { cookie, accept: 'text/event-stream' },
			signal: connection.signal
		});
		if (!response.ok || !response.body) {
			board.errors.push(`${procedure} answered ${response.status}: ${await response.text()}`);
			return;
		}
		board.connections++;
		void read(response.body, connection.signal);
	}

	await resume();
	return board;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

/**
 * A real HTTP server around the app's tRPC handler that streams each answer as it is written
 * (live streams included) and aborts a request's signal when its connection closes, as
 * adapter-node does. `requestSignals`: every request's signal, in the order they came.
 */
export async function startStreamingApiServer(db: Kysely<Database>) {
	const requestSignals: AbortSignal[] = [];
	const server = createServer(async (req, res) => {
		const connection = new AbortController();
		res.once('close', () => connection.abort());
		requestSignals.push(connection.signal);
		try {
			const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req);
			const headers = new Headers();
			for (const [name, value] of Object.entries(req.headers)) {
				if (typeof value === 'string') headers.set(name, value);
			}
			const token = (req.headers.cookie ?? '')
				.split(';')
				.map((part) => part.trim().split('='))
				.find(([name]) => name === SESSION_COOKIE)?.[1];
			const request = new Request(`http://${req.headers.host}${req.url}`, {
				method: req.method,
				headers,
				body: body && new Uint8Array(body),
				signal: connection.signal
			});
			const response = await handleTrpcRequest(request, {
				db,
				session: await resolveSession(db, token),
				address: req.socket.remoteAddress ?? 'unknown'
			});
			const outgoing: Record<string, string | string[]> = Object.fromEntries(response.headers);
			if (response.headers.getSetCookie().length) outgoing['set-cookie'] = response.headers.getSetCookie();
			res.writeHead(response.status, outgoing);
			if (response.body) {
				const reader = response.body.getReader();
				// A client that goes away cancels the answer, as SvelteKit's adapter does.
				res.once('close', () => void reader.cancel().catch(() => {}));
				for (;;) {
					const { value, done } = await reader.read();
					if (done) break;
					res.write(value);
				}
			}
			res.end();
		} catch {
			res.destroy();
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		origin,
		requestSignals,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}
