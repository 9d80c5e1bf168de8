// The pod event bus over PostgreSQL LISTEN/NOTIFY, with two buses and two pools on one
// database standing in for two app servers: what one writes, the other's streams hear, in
// order, with nothing missed across a lost connection. Runs in the "integration-postgres"
// project only (vite.config.ts).
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, endSessionsOf, hashToken } from '../../src/lib/server/auth/sessions';
import { createDb, type Database } from '../../src/lib/server/db';
import type { PodEvent } from '../../src/lib/server/live/bus';
import { latestSeq, writeWithEvents, type RecordPodEvent } from '../../src/lib/server/live/log';
import { PostgresPodEventBus, SESSIONS_ENDED_CHANNEL } from '../../src/lib/server/live/postgres-bus';
import { podEventStream } from '../../src/lib/server/live/stream';
import { createTestPod, type TestPod } from '../support/pod';

/** Records a kind no feature writes, with any payload: these tests are about the log and the bus. */
function recordTest(record: RecordPodEvent, podId: string, payload: Record<string, unknown>) {
	const recordAny = record as unknown as (podId: string, kind: string, payload: unknown) => Promise<PodEvent>;
	return recordAny(podId, 'test', payload);
}

let pod: TestPod;
/** Server A's pool and bus, and server B's. */
let dbA: Kysely<Database>;
let dbB: Kysely<Database>;
let busA: PostgresPodEventBus;
let busB: PostgresPodEventBus;

beforeAll(async () => {
	pod = await createTestPod();
	dbA = pod.db;
	dbB = createDb(pod.databaseUrl);
	busA = new PostgresPodEventBus(dbA, pod.databaseUrl);
	busB = new PostgresPodEventBus(dbB, pod.databaseUrl);
	await Promise.all([busA.listen(), busB.listen()]);
});
afterAll(async () => {
	await Promise.all([busA?.close(), busB?.close()]);
	await Promise.all([dbB?.destroy(), dbA?.destroy()]);
});

const sleep = (ms: number) => new Promise((resume) => setTimeout(resume, ms));

/** Write `n` events through server A, each in a transaction of its own. */
async function writeOnA(n: number, payload: Record<string, unknown> = {}) {
	const events: PodEvent[] = [];
	for (let i = 0; i < n; i++) {
		events.push(
			await writeWithEvents(
				dbA,
				(_trx, record) => recordTest(record, pod.podId, { studentIds: [], i, ...payload }),
				busA
			)
		);
	}
	return events;
}

/** What a bus's listener for the pod hears, until `stop()`. */
function hear(bus: PostgresPodEventBus) {
	const heard: PodEvent[] = [];
	const stop = bus.subscribe(pod.podId, (event) => heard.push(event));
	return { heard, stop };
}

async function until(condition: () => boolean, ms = 5000) {
	const end = Date.now() + ms;
	while (!condition() && Date.now() < end) await sleep(10);
}

/** A stream on server B from `lastSeq`, collecting what it yields until aborted. */
function streamOnB(lastSeq: number) {
	const abort = new AbortController();
	const seqs: number[] = [];
	const done = (async () => {
		for await (const event of podEventStream({
			db: dbB,
			bus: busB,
			podId: pod.podId,
			lastSeq,
			signal: abort.signal
		}))
			seqs.push(event.seq);
	})();
	return { seqs, stop: () => abort.abort(), done };
}

describe('the PostgreSQL pod event bus', () => {
	it("hands an event written through one server to the other's listeners, and to its own", async () => {
		const onA = hear(busA);
		const onB = hear(busB);
		const [event] = await writeOnA(1, { note: 'from A' });
		await until(() => onA.heard.length > 0 && onB.heard.length > 0);
		onA.stop();
		onB.stop();
		expect(onB.heard).toEqual([event]);
		expect(onA.heard).toEqual([event]);
		expect(event.payload).toMatchObject({ note: 'from A' });
	});

	it('says nothing of a transaction that rolled back', async () => {
		const onB = hear(busB);
		const before = await latestSeq(dbA, pod.podId);
		await expect(
			writeWithEvents(
				dbA,
				async (_trx, record) => {
					await recordTest(record, pod.podId, { studentIds: [] });
					throw new Error('changed our mind');
				},
				busA
			)
		).rejects.toThrow('changed our mind');
		const [after] = await writeOnA(1);
		await until(() => onB.heard.length > 0);
		await sleep(50);
		onB.stop();
		// Only the committed event arrives, numbered straight after the last.
		expect(onB.heard.map((e) => e.seq)).toEqual([before + 1]);
		expect(after.seq).toBe(before + 1);
	});

	it('carries an event too large for a notification whole, read from the log', async () => {
		const onB = hear(busB);
		const studentIds = Array.from({ length: 400 }, (_, i) => `student-${String(i).padStart(30, '0')}`);
		expect(JSON.stringify(studentIds).length).toBeGreaterThan(8000);
		const [event] = await writeOnA(1, { studentIds });
		await until(() => onB.heard.length > 0);
		onB.stop();
		expect(onB.heard).toEqual([event]);
		expect(onB.heard[0].payload.studentIds).toHaveLength(400);
	});

	it('gives a stream on one server every event from writers on both, in order', async () => {
		const from = await latestSeq(dbA, pod.podId);
		const stream = streamOnB(from);
		await Promise.all([
			writeOnA(10),
			(async () => {
				for (let i = 0; i < 10; i++)
					await writeWithEvents(
						dbB,
						(_trx, record) => recordTest(record, pod.podId, { studentIds: [] }),
						busB
					);
			})()
		]);
		await until(() => stream.seqs.length >= 20);
		stream.stop();
		await stream.done;
		expect(stream.seqs).toEqual(Array.from({ length: 20 }, (_, i) => from + i + 1));
	});

	it('misses nothing written while its connection to PostgreSQL was lost', async () => {
		const from = await latestSeq(dbA, pod.podId);
		const stream = streamOnB(from);
		await writeOnA(2);
		await until(() => stream.seqs.length === 2);
		// What a database restart or a network cut does to the LISTEN connections.
		await sql`
			select pg_terminate_backend(pid) from pg_stat_activity
			where datname = current_database() and query like 'LISTEN%' and pid <> pg_backend_pid()
		`.execute(dbA);
		await writeOnA(3);
		await until(() => stream.seqs.length === 5, 15_000);
		stream.stop();
		await stream.done;
		expect(stream.seqs).toEqual([1, 2, 3, 4, 5].map((n) => from + n));
	}, 20_000);

	it('tells every server of the sessions a transaction ended once it commits, and nothing when it rolls back', async () => {
		// What the other servers hear, on a LISTEN connection of its own.
		const other = new pg.Client({ connectionString: pod.databaseUrl });
		await other.connect();
		const heard: string[] = [];
		other.on('notification', (message) => {
			if (message.channel === SESSIONS_ENDED_CHANNEL) heard.push(...(message.payload ?? '').split(','));
		});
		await other.query(`LISTEN ${SESSIONS_ENDED_CHANNEL}`);
		try {
			const devices = async (userId: string, count: number) => {
				const hashes: string[] = [];
				for (let i = 0; i < count; i++) {
					const { token } = await createSession(dbA, {
						userId,
						podId: null,
						idleMinutes: 60,
						expiresAt: new Date(Date.now() + 3_600_000)
					});
					hashes.push(hashToken(token));
				}
				return hashes;
			};
			const teacher = await devices(pod.users.teacher, 3);
			// More than one notification holds.
			const lead = await devices(pod.users.lead, 200);
			await expect(
				writeWithEvents(
					dbA,
					async (trx) => {
						await endSessionsOf(trx, [pod.users.teacher]);
						throw new Error('changed our mind');
					},
					busA
				)
			).rejects.toThrow('changed our mind');
			await writeWithEvents(dbA, (trx) => endSessionsOf(trx, [pod.users.lead]), busA);
			// Anything said of the teacher's sessions would have come first.
			await until(() => heard.length >= lead.length);
			expect(heard.sort()).toEqual([...lead].sort());
			const kept = await dbA
				.selectFrom('sessions')
				.select('token_hash')
				.where('token_hash', 'in', teacher)
				.execute();
			expect(kept).toHaveLength(3);
		} finally {
			await other.end();
		}
	});

	it('leaves no listener behind when 100 streams come and go', async () => {
		const from = await latestSeq(dbA, pod.podId);
		const streams = Array.from({ length: 100 }, () => streamOnB(from));
		await writeOnA(1);
		await until(() => streams.every((s) => s.seqs.length === 1));
		expect(busB.listenerCount(pod.podId)).toBe(100);
		for (const stream of streams) stream.stop();
		await Promise.all(streams.map((s) => s.done));
		expect(busB.listenerCount(pod.podId)).toBe(0);
		expect(streams.every((s) => s.seqs.length === 1)).toBe(true);
	});
});
