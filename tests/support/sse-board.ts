// A dashboard following dashboard.live over real HTTP and SSE, read the way tRPC's
// httpSubscriptionLink reads it, for tests that count every event a board hears.

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

export async function followBoard(
	origin: string,
	podId: string,
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
			board.errors.push(`dashboard.live sent "${event}": ${fields.get('data')}`);
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
						board.errors.push('dashboard.live ended the stream');
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
		const input = encodeURIComponent(JSON.stringify({ podId, lastEventId: String(board.lastSeq) }));
		const response = await fetch(`${origin}/api/trpc/dashboard.live?input=${input}`, {
			headers: { cookie, accept: 'text/event-stream' },
			signal: connection.signal
		});
		if (!response.ok || !response.body) {
			board.errors.push(`dashboard.live answered ${response.status}: ${await response.text()}`);
			return;
		}
		board.connections++;
		void read(response.body, connection.signal);
	}

	await resume();
	return board;
}
