import { describe, expect, it } from 'vitest';
import {
	PodStream,
	RETRY_MS,
	StreamSubscriber,
	type StreamCallbacks
} from '../../src/lib/live/pod-stream.svelte';

interface Message {
	note: string;
}

/** A server, a network and timers we drive by hand: every subscription the stream opens. */
function world() {
	const subscriptions: { lastEventId: string; callbacks: StreamCallbacks<Message>; closed: boolean }[] = [];
	const timers: { run: () => void; ms: number; cleared: boolean }[] = [];
	const listeners = new Set<(online: boolean) => void>();
	const network = {
		online: true,
		listen(changed: (online: boolean) => void) {
			listeners.add(changed);
			return () => listeners.delete(changed);
		}
	};
	const server = {
		subscriptions,
		timers,
		listeners,
		world: {
			subscribe(lastEventId: string, callbacks: StreamCallbacks<Message>) {
				const subscription = { lastEventId, callbacks, closed: false };
				subscriptions.push(subscription);
				return { unsubscribe: () => (subscription.closed = true) };
			},
			network,
			setTimer: (run: () => void, ms: number) => {
				const timer = { run, ms, cleared: false };
				timers.push(timer);
				return timer;
			},
			clearTimer: (timer: unknown) => ((timer as { cleared: boolean }).cleared = true)
		},
		/** The subscription open now (the last one opened). */
		get open() {
			return subscriptions.at(-1)!;
		},
		/** The server answers: the stream is up. */
		start() {
			server.open.callbacks.onStarted();
			server.open.callbacks.onConnectionStateChange({ state: 'pending' });
		},
		send(...seqs: number[]) {
			for (const seq of seqs)
				server.open.callbacks.onData({ id: String(seq), data: { note: `event ${seq}` } });
		},
		goOnline(online: boolean) {
			network.online = online;
			for (const changed of listeners) changed(online);
		},
		/** The retry the stream is waiting on, if any. */
		get retry() {
			return timers.filter((t) => !t.cleared).at(-1);
		}
	};
	return server;
}

/** A stream of the pod from `seq`, connected, with what one subscriber heard. */
function connected(seq = 10) {
	const server = world();
	const stream = new PodStream<Message>(server.world, seq);
	const heard: number[] = [];
	stream.subscribe((_, at) => heard.push(at));
	const stop = stream.connect();
	return { server, stream, heard, stop };
}

const unauthorized = Object.assign(new Error('Sign in first.'), {
	data: { code: 'UNAUTHORIZED', httpStatus: 401 }
});

describe('a pod stream', () => {
	it('starts after the event the page was read at, and is live once the server answers', () => {
		const { server, stream } = connected(10);
		expect(server.subscriptions.map((s) => s.lastEventId)).toEqual(['10']);
		expect(stream.state).toBe('connecting');
		server.start();
		expect(stream.state).toBe('live');
	});

	it('gives every subscriber each message once, in order, skipping what it has heard', () => {
		const { server, stream, heard } = connected(10);
		const notes: string[] = [];
		stream.subscribe((message) => notes.push(message.note));
		server.start();
		server.send(11, 12, 12, 9, 13);
		expect(heard).toEqual([11, 12, 13]);
		expect(notes).toEqual(['event 11', 'event 12', 'event 13']);
		expect(stream.seq).toBe(13);
	});

	it('keeps giving messages to the others when one subscriber fails on one', () => {
		const { server, stream, heard } = connected(10);
		const failing = () => {
			throw new Error('broken view');
		};
		const quiet = console.error;
		console.error = () => {};
		try {
			stream.subscribe(failing);
			server.send(11);
		} finally {
			console.error = quiet;
		}
		expect(heard).toEqual([11]);
	});

	it('says it is reconnecting while the link reconnects by itself, and live again after', () => {
		const { server, stream } = connected();
		server.start();
		server.open.callbacks.onConnectionStateChange({ state: 'connecting' });
		expect(stream.state).toBe('reconnecting');
		server.open.callbacks.onConnectionStateChange({ state: 'pending' });
		expect(stream.state).toBe('live');
	});

	it('resumes after the last event it heard when the stream fails, waiting longer each time', () => {
		const { server, stream, heard } = connected(10);
		server.start();
		server.send(11, 12);
		const waits: number[] = [];
		for (let i = 0; i < RETRY_MS.length + 1; i++) {
			server.open.callbacks.onError(new Error('Bad gateway'));
			expect(stream.state).toBe('reconnecting');
			waits.push(server.retry!.ms);
			server.retry!.run();
		}
		expect(waits).toEqual([...RETRY_MS, RETRY_MS.at(-1)]);
		expect(server.subscriptions.map((s) => s.lastEventId)).toEqual(
			Array(RETRY_MS.length + 2)
				.fill('12')
				.with(0, '10')
		);
		// Once the server answers again, the wait starts over, and nothing is heard twice.
		server.start();
		server.send(12, 13);
		server.open.callbacks.onError(new Error('Bad gateway'));
		expect(server.retry!.ms).toBe(RETRY_MS[0]);
		expect(heard).toEqual([11, 12, 13]);
	});

	it('closes while the device is offline, and opens again from where it stopped when it is back', () => {
		const { server, stream, heard } = connected(10);
		server.start();
		server.send(11);
		server.open.callbacks.onError(new Error('Bad gateway'));
		const retry = server.retry!;

		server.goOnline(false);
		expect(stream.state).toBe('offline');
		expect(retry.cleared).toBe(true);
		expect(server.subscriptions.every((s) => s.closed)).toBe(true);
		expect(server.subscriptions).toHaveLength(1);

		server.goOnline(true);
		expect(stream.state).toBe('reconnecting');
		expect(server.subscriptions.map((s) => s.lastEventId)).toEqual(['10', '11']);
		server.start();
		server.send(12);
		expect(stream.state).toBe('live');
		expect(heard).toEqual([11, 12]);
	});

	it('waits for the network when the page opens offline', () => {
		const server = world();
		server.world.network.online = false;
		const stream = new PodStream<Message>(server.world, 10);
		stream.connect();
		expect(stream.state).toBe('offline');
		expect(server.subscriptions).toHaveLength(0);
		server.goOnline(true);
		expect(server.subscriptions.map((s) => s.lastEventId)).toEqual(['10']);
	});

	it('hears nothing more from a subscription it has closed', () => {
		const { server, stream, heard } = connected(10);
		server.start();
		const old = server.open;
		server.goOnline(false);
		old.callbacks.onData({ id: '11', data: { note: 'late' } });
		old.callbacks.onError(new Error('Aborted'));
		old.callbacks.onComplete();
		expect(heard).toEqual([]);
		expect(server.retry).toBeUndefined();
		expect(stream.state).toBe('offline');
	});

	it.each([
		[
			'ends the stream (the session ended: signed out, card voided)',
			(c: StreamCallbacks<Message>) => c.onComplete()
		],
		['refuses it for want of a session', (c: StreamCallbacks<Message>) => c.onError(unauthorized)]
	])('reports ended when the server %s, and opens no other', (_, end) => {
		const { server, stream } = connected(10);
		server.start();
		end(server.open.callbacks);
		expect(stream.state).toBe('ended');
		expect(server.open.closed).toBe(true);
		expect(server.retry).toBeUndefined();
		server.goOnline(false);
		server.goOnline(true);
		expect(stream.state).toBe('ended');
		expect(server.subscriptions).toHaveLength(1);
	});

	it('closes, stops listening and tries no more once the page lets it go', () => {
		const { server, stop } = connected(10);
		server.open.callbacks.onError(new Error('Bad gateway'));
		const retry = server.retry!;
		stop();
		expect(retry.cleared).toBe(true);
		expect(server.subscriptions.every((s) => s.closed)).toBe(true);
		expect(server.listeners.size).toBe(0);
	});
});

/** A promise the test settles by hand. */
function deferred() {
	let settle!: (ok: boolean) => void;
	const promise = new Promise<void>(
		(resolve, reject) => (settle = (ok) => (ok ? resolve() : reject(new Error('offline'))))
	);
	return { promise, settle };
}

describe("a live view's place in the stream", () => {
	it('holds what comes while the view reads itself again, then applies it once, in order, on top', async () => {
		const { server, stream } = connected(10);
		const applied: number[] = [];
		const read = deferred();
		const reloads: string[] = [];
		const view: StreamSubscriber<Message> = new StreamSubscriber((message, seq) => {
			applied.push(seq);
			if (message.note === 'event 11')
				return view.reload(async () => {
					reloads.push('read');
					await read.promise;
					// What was read already shows event 12.
					view.caughtUp(12);
				});
		}, 10);
		stream.subscribe((message, seq) => void view.receive(message, seq));
		server.start();
		server.send(11, 12, 13);
		// A second reload asked for meanwhile is the one already running.
		void view.reload(async () => void reloads.push('second read'));
		server.send(14);
		expect(applied).toEqual([11]);
		read.settle(true);
		await expect.poll(() => applied).toEqual([11, 13, 14]);
		expect(reloads).toEqual(['read']);
		expect(view.seq).toBe(14);
	});

	it('applies what it held when reading again fails, and keeps what it had', async () => {
		const applied: number[] = [];
		const read = deferred();
		const view = new StreamSubscriber<Message>((_, seq) => void applied.push(seq), 10);
		const reloading = view.reload(() => read.promise);
		await view.receive({ note: 'meanwhile' }, 11);
		expect(applied).toEqual([]);
		read.settle(false);
		await reloading;
		expect(applied).toEqual([11]);
		await view.receive({ note: 'again' }, 11);
		expect(applied).toEqual([11]);
	});
});
