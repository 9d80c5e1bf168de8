import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessPodEventBus, type PodEvent } from '../../src/lib/server/live/bus';
import { latestSeq, writeWithEvents } from '../../src/lib/server/live/log';
import { podEventStream } from '../../src/lib/server/live/stream';
import { createTestPod, type TestPod } from '../support/pod';

let pod: TestPod;
beforeAll(async () => {
	pod = await createTestPod();
});
afterAll(() => pod.db.destroy());

async function publish(bus: InProcessPodEventBus, n: number, studentId = 'someone') {
	for (let i = 0; i < n; i++) {
		await writeWithEvents(
			pod.db,
			(_trx, record) => record(pod.podId, 'test', { studentIds: [studentId], i }),
			bus
		);
	}
}

/** Take `count` events from a stream, then stop it the way a closed connection does. */
async function take(stream: AsyncGenerator<PodEvent>, count: number, abort: AbortController) {
	const seen: PodEvent[] = [];
	for await (const event of stream) {
		seen.push(event);
		if (seen.length === count) break;
	}
	abort.abort();
	return seen;
}

const latest = () => latestSeq(pod.db, pod.podId);

describe('pod event streams', () => {
	it('deliver live events in order, starting from now', async () => {
		const bus = new InProcessPodEventBus();
		await publish(bus, 2); // before subscribing: not replayed without a lastSeq
		const start = await latest();
		const abort = new AbortController();
		const stream = podEventStream({ db: pod.db, bus, podId: pod.podId, lastSeq: null, signal: abort.signal });
		let taken = false;
		const seen = take(stream, 5, abort).finally(() => (taken = true));
		// "Now" is when the stream has read the log's end, however long that takes: write until five are heard.
		while (!taken) await publish(bus, 1);
		const seqs = (await seen).map((e) => e.seq);
		expect(seqs[0]).toBeGreaterThan(start);
		expect(seqs).toEqual([0, 1, 2, 3, 4].map((n) => seqs[0] + n));
	});

	it('replay what a reconnecting client missed, then carry on live, without repeats', async () => {
		const bus = new InProcessPodEventBus();
		const lastSeen = await latest();
		await publish(bus, 3); // missed while disconnected
		const abort = new AbortController();
		const stream = podEventStream({
			db: pod.db,
			bus,
			podId: pod.podId,
			lastSeq: lastSeen,
			signal: abort.signal
		});
		const seen = take(stream, 6, abort);
		await publish(bus, 3);
		const seqs = (await seen).map((e) => e.seq);
		expect(seqs).toEqual([1, 2, 3, 4, 5, 6].map((n) => lastSeen + n));
	});

	it('give a subscriber only the events it may see', async () => {
		const bus = new InProcessPodEventBus();
		const abort = new AbortController();
		const stream = podEventStream({
			db: pod.db,
			bus,
			podId: pod.podId,
			lastSeq: await latest(),
			signal: abort.signal,
			accept: (event) => (event.payload.studentIds as string[]).includes('ada')
		});
		const seen = take(stream, 2, abort);
		await publish(bus, 2, 'grace');
		await publish(bus, 2, 'ada');
		expect((await seen).map((e) => e.payload.studentIds)).toEqual([['ada'], ['ada']]);
	});

	it('leave no listener behind when 100 subscribers come and go', async () => {
		const bus = new InProcessPodEventBus();
		const aborts = Array.from({ length: 100 }, () => new AbortController());
		const lastSeq = await latest();
		const streams = aborts.map((abort) =>
			podEventStream({ db: pod.db, bus, podId: pod.podId, lastSeq, signal: abort.signal })
		);
		const firsts = streams.map((stream) => stream.next());
		expect(bus.listenerCount(pod.podId)).toBe(100);
		await publish(bus, 1);
		expect((await Promise.all(firsts)).every((r) => !r.done)).toBe(true);
		for (const abort of aborts) abort.abort();
		await Promise.all(streams.map((stream) => stream.return(undefined)));
		expect(bus.listenerCount()).toBe(0);
	});

	it('end a waiting stream when its connection closes', async () => {
		const bus = new InProcessPodEventBus();
		const abort = new AbortController();
		const stream = podEventStream({ db: pod.db, bus, podId: pod.podId, lastSeq: null, signal: abort.signal });
		const next = stream.next();
		await new Promise((resolve) => setTimeout(resolve, 10));
		abort.abort();
		expect(await next).toEqual({ done: true, value: undefined });
		expect(bus.listenerCount()).toBe(0);
	});

	it('never publish an event whose transaction rolled back', async () => {
		const bus = new InProcessPodEventBus();
		const heard: PodEvent[] = [];
		const stop = bus.subscribe(pod.podId, (event) => heard.push(event));
		const before = await latest();
		await expect(
			writeWithEvents(
				pod.db,
				async (_trx, record) => {
					await record(pod.podId, 'test', { studentIds: [] });
					throw new Error('changed my mind');
				},
				bus
			)
		).rejects.toThrow('changed my mind');
		stop();
		expect(heard).toEqual([]);
		expect(await latest()).toBe(before);
	});
});
