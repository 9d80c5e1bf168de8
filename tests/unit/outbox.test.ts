import { describe, expect, it } from 'vitest';
import {
	backoffMs,
	clearOutboxes,
	Outbox,
	newEventId,
	OUTBOX_PREFIX,
	type OutboxEntry,
	type SendResult,
	waitingOnDevice
} from '../../src/lib/progress/outbox.svelte';

class MemoryStorage {
	items = new Map<string, string>();
	get length() {
		return this.items.size;
	}
	key = (i: number) => [...this.items.keys()][i] ?? null;
	getItem = (k: string) => this.items.get(k) ?? null;
	setItem = (k: string, v: string) => void this.items.set(k, v);
	removeItem = (k: string) => void this.items.delete(k);
	clear = () => this.items.clear();
}

let n = 0;
const entry = (kind: OutboxEntry['kind'] = 'start'): OutboxEntry => ({
	eventId: `e${++n}`,
	assignmentId: 'a1',
	kind,
	occurredAt: '2026-11-23T14:00:00.000Z'
});

/** A server we control: answers each send with the next scripted result. */
function scriptedServer(results: SendResult[] | ((batch: OutboxEntry[]) => SendResult)) {
	const sent: OutboxEntry[][] = [];
	const timers: { run: () => void; ms: number }[] = [];
	return {
		sent,
		timers,
		send: async (batch: OutboxEntry[]) => {
			sent.push(batch);
			if (typeof results === 'function') return results(batch);
			return results.shift() ?? { ok: true as const, acknowledged: batch.map((e) => e.eventId) };
		},
		setTimer: (run: () => void, ms: number) => timers.push({ run, ms }),
		clearTimer: () => {},
		random: () => 1
	};
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the student outbox', () => {
	it('sends an action at once and is saved when the server acknowledges it', async () => {
		const server = scriptedServer([]);
		const outbox = new Outbox('s1', { storage: new MemoryStorage(), ...server });
		outbox.add(entry());
		await settle();
		expect(server.sent).toHaveLength(1);
		expect(outbox.state).toBe('saved');
	});

	it('keeps actions through a lost connection, says it is waiting, and sends them once later', async () => {
		const storage = new MemoryStorage();
		const offline: SendResult = { ok: false, retry: true, message: 'No connection' };
		const server = scriptedServer([offline, offline]);
		const outbox = new Outbox('s1', { storage, ...server });
		const start = entry('start');
		const done = entry('submit');
		outbox.add(start);
		await settle();
		outbox.add(done);
		await settle();
		expect(outbox.state).toBe('waiting');
		expect(outbox.problem).toBe('No connection');
		expect(JSON.parse(storage.getItem(`${OUTBOX_PREFIX}s1`)!)).toEqual([start, done]);

		// Back online: the retry timer fires and both go, in one batch, in order.
		server.timers.at(-1)!.run();
		await settle();
		expect(server.sent.at(-1)).toEqual([start, done]);
		expect(outbox.state).toBe('saved');
		expect(storage.getItem(`${OUTBOX_PREFIX}s1`)).toBeNull();
	});

	it('survives a reload: a new page picks up what was waiting', async () => {
		const storage = new MemoryStorage();
		const first = new Outbox('s1', {
			storage,
			...scriptedServer([{ ok: false, retry: true, message: 'offline' }])
		});
		const waiting = entry();
		first.add(waiting);
		await settle();
		first.dispose();

		const server = scriptedServer([]);
		const second = new Outbox('s1', { storage, ...server });
		expect(second.entries).toEqual([waiting]);
		await second.flush();
		expect(server.sent).toEqual([[waiting]]);
		expect(second.state).toBe('saved');
	});

	it('keeps every action the server will take when one in a batch is refused', async () => {
		const bad = entry('submit');
		const server = scriptedServer((batch) =>
			batch.some((e) => e.eventId === bad.eventId)
				? { ok: false, retry: false, message: 'A score for Quiz must be between 0 and 10.' }
				: { ok: true, acknowledged: batch.map((e) => e.eventId) }
		);
		const outbox = new Outbox('s1', { storage: new MemoryStorage(), ...server, send: server.send });
		outbox.entries = [entry('start'), bad, entry('progress')];
		await outbox.flush();
		expect(outbox.entries).toEqual([]);
		expect(outbox.refused).toEqual(['A score for Quiz must be between 0 and 10.']);
		const acknowledged = server.sent.filter((b) => !b.some((e) => e.eventId === bad.eventId)).flat();
		expect(acknowledged).toHaveLength(2);
	});

	it('on a Chromebook whose clock runs ahead, saves what it can, says why the rest is not saved, and stops', async () => {
		// The server's rule (progress/record.ts): a batch holding an event more than two minutes
		// ahead of the server's clock is refused whole, with BAD_REQUEST; the rest goes on its own.
		const serverNow = Date.parse('2026-11-23T14:00:00Z');
		const clockAhead =
			'This Chromebook’s clock is ahead by about 3 hours, so Podboard cannot tell when you did this.';
		const server = scriptedServer((batch) =>
			batch.some((e) => Date.parse(e.occurredAt) > serverNow + 2 * 60_000)
				? { ok: false, retry: false, message: clockAhead }
				: { ok: true, acknowledged: batch.map((e) => e.eventId) }
		);
		const storage = new MemoryStorage();
		const outbox = new Outbox('s1', { storage, ...server });
		const beforeTheClockJumped = { ...entry('start'), occurredAt: '2026-11-23T13:55:00.000Z' };
		const fast = [
			{ ...entry('progress'), occurredAt: '2026-11-23T17:00:00.000Z' },
			{ ...entry('submit'), occurredAt: '2026-11-23T17:05:00.000Z' }
		];
		outbox.entries = [beforeTheClockJumped, ...fast];
		await outbox.flush();

		const saved = server.sent.filter((b) => b.length === 1 && b[0] === beforeTheClockJumped);
		expect(saved).toHaveLength(1);
		// Each action it could not save is named once; nothing waits to be retried in a loop.
		expect(outbox.refused).toEqual([clockAhead, clockAhead]);
		expect(outbox.entries).toEqual([]);
		expect(storage.getItem(`${OUTBOX_PREFIX}s1`)).toBeNull();
		expect(server.timers).toEqual([]);
		// The whole batch, refused; then one by one until it knows which ones are refused.
		expect(server.sent.map((b) => b.length)).toEqual([3, 1, 2, 1, 1]);
	});

	it.each([
		[0, 1000],
		[1, 2000],
		[3, 8000],
		[10, 30000]
	])('backs off: retry %i waits up to %i ms', (attempt, ms) => {
		expect(backoffMs(attempt, () => 1)).toBe(ms);
		expect(backoffMs(attempt, () => 0)).toBe(ms / 2);
	});

	it('counts what waits on the device, across students', () => {
		const storage = new MemoryStorage();
		storage.setItem(`${OUTBOX_PREFIX}s1`, JSON.stringify([entry(), entry()]));
		storage.setItem(`${OUTBOX_PREFIX}s2`, 'not json');
		storage.setItem('other-app', JSON.stringify([1, 2, 3]));
		expect(waitingOnDevice(storage as unknown as Storage)).toBe(2);
	});

	it('clears every outbox on the device at sign-out, and nothing else', () => {
		const storage = new MemoryStorage();
		storage.setItem(`${OUTBOX_PREFIX}s1`, '[]');
		storage.setItem(`${OUTBOX_PREFIX}s2`, '[]');
		storage.setItem('other-app', 'keep');
		clearOutboxes(storage as unknown as Storage);
		expect([...storage.items.keys()]).toEqual(['other-app']);
	});
});

describe('event ids made on the device', () => {
	it('are version-4 UUIDs the server accepts, and differ every time', () => {
		const ids = new Set(Array.from({ length: 1000 }, () => newEventId()));
		expect(ids.size).toBe(1000);
		for (const id of [...ids].slice(0, 20)) {
			expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		}
	});
});
