import { randomUUID } from 'node:crypto';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seedDemoPod } from '../../db/seed/demo';
import { unpackCells } from '../../src/lib/dashboard/cells';
import { podHeatmap } from '../../src/lib/server/dashboard/heatmap';
import { migrateToLatest, type Database } from '../../src/lib/server/db';
import { getPodEventBus } from '../../src/lib/server/live/app-bus';
import type { PodEvent } from '../../src/lib/server/live/bus';
import { latestSeq, writeWithEvents, type RecordPodEvent } from '../../src/lib/server/live/log';
import { openSessionStreams } from '../../src/lib/server/live/session-streams';
import { createCaller } from '../../src/lib/server/trpc/router';
import { createTestPod, SEED_NOW, sessionAs, type TestPod } from '../support/pod';

/** Records a kind no feature writes, with any payload: these tests are about the log and the bus. */
function recordTest(record: RecordPodEvent, podId: string, payload: Record<string, unknown>) {
	const recordAny = record as unknown as (podId: string, kind: string, payload: unknown) => Promise<PodEvent>;
	return recordAny(podId, 'test', payload);
}

let pod: TestPod;
beforeAll(async () => {
	pod = await createTestPod();
});
afterAll(() => pod.db.destroy());

const noCookie = { set: () => {}, clear: () => {} };

describe('dashboard.heatmap', () => {
	it('gives every student, every activity on a playlist, and one cell per assignment', async () => {
		const board = await podHeatmap(pod.db, pod.podId);
		const assignments = await pod.db
			.selectFrom('assignments')
			.select(['student_id', 'activity_id'])
			.where('pod_id', '=', pod.podId)
			.execute();
		expect(board.students).toHaveLength(72);
		expect(unpackCells(board)).toHaveLength(assignments.length);
		expect(new Set(board.activities.map((a) => a.id))).toEqual(
			new Set(assignments.map((a) => a.activity_id))
		);
		// Each cell names its student and activity by position, and matches that assignment.
		const stored = await pod.db
			.selectFrom('assignments')
			.select(['student_id', 'activity_id', 'status', 'score', 'score_source', 'priority'])
			.where('pod_id', '=', pod.podId)
			.execute();
		const key = (row: { studentId: string; activityId: string }) => `${row.studentId}:${row.activityId}`;
		expect(new Map(unpackCells(board).map((cell) => [key(cell), cell]))).toEqual(
			new Map(
				stored.map((a) => {
					const cell = {
						studentId: a.student_id,
						activityId: a.activity_id,
						status: a.status,
						score: a.score,
						scoreSource: a.score_source,
						priority: a.priority
					};
					return [key(cell), cell];
				})
			)
		);
		expect(board.asOfSeq).toBeTypeOf('number');
	});

	it('says when each student last did anything, and null for a student who has not begun', async () => {
		const board = await podHeatmap(pod.db, pod.podId);
		const latest = new Map<string, string>();
		for (const a of await pod.db
			.selectFrom('assignments')
			.select(['student_id', 'last_event_at'])
			.where('pod_id', '=', pod.podId)
			.where('last_event_at', 'is not', null)
			.execute()) {
			if (a.last_event_at! > (latest.get(a.student_id) ?? '')) latest.set(a.student_id, a.last_event_at!);
		}
		expect(latest.size).toBeGreaterThan(0);
		expect(board.students.map((s) => [s.id, s.lastActive])).toEqual(
			board.students.map((s) => [s.id, latest.get(s.id) ?? null])
		);
	});

	it('shows nothing of another pod', async () => {
		const south = await podHeatmap(pod.db, pod.otherPodId);
		expect(south).toMatchObject({ students: [], activities: [], rows: [] });
		const north = await podHeatmap(pod.db, pod.podId);
		expect(north.students.map((s) => s.id)).not.toContain(pod.users.otherPodTeacher);
	});
});

describe('the heatmap’s cost follows the pod, not the database', () => {
	it('reads every table through an index that starts with the pod (no full table scans)', async () => {
		const sqlite = new SQLite(':memory:');
		const queries: { sql: string; parameters: readonly unknown[] }[] = [];
		const db = new Kysely<Database>({
			dialect: new SqliteDialect({ database: sqlite }),
			log: (event) => {
				if (event.level === 'query') queries.push(event.query);
			}
		});
		await migrateToLatest(db);
		const { podId } = await seedDemoPod(db, { now: SEED_NOW });
		queries.length = 0;
		await podHeatmap(db, podId);
		expect(queries.length).toBeGreaterThan(5);
		const plans = queries.flatMap((query) =>
			(
				sqlite.prepare(`explain query plan ${query.sql}`).all(...(query.parameters as unknown[])) as {
					detail: string;
				}[]
			).map((row) => row.detail)
		);
		const fullScans = plans.filter((detail) => /^SCAN \w+$|^SCAN \w+ USING COVERING INDEX/.test(detail));
		expect(fullScans).toEqual([]);
		await db.destroy();
	});
});

describe('dashboard.live', () => {
	async function leadSession() {
		const session = (await sessionAs(pod, 'lead'))!;
		return {
			session,
			api: createCaller({ db: pod.db, session, address: '10.0.0.9', sessionCookie: noCookie })
		};
	}

	it('streams each pod event tracked with its sequence, and ends when the lead signs out', async () => {
		const { api } = await leadSession();
		// Resuming from the newest event, so the write below is heard however slowly the stream starts.
		const lastEventId = String(await latestSeq(pod.db, pod.podId));
		const stream = (await api.dashboard.live({ podId: pod.podId, lastEventId })) as AsyncIterable<unknown> &
			AsyncIterator<unknown>;
		const iterator = stream[Symbol.asyncIterator]();
		const first = iterator.next();
		const event = await writeWithEvents(pod.db, (_trx, record) =>
			recordTest(record, pod.podId, { studentIds: [] })
		);
		const message = (await first).value as [string, unknown] | { id: string; data: unknown };
		expect(JSON.stringify(message)).toContain(String(event.seq));
		expect(openSessionStreams()).toBe(1);

		const next = iterator.next();
		await api.auth.logout();
		expect(await next).toMatchObject({ done: true });
		expect(openSessionStreams()).toBe(0);
		expect(getPodEventBus().listenerCount(pod.podId)).toBe(0);
	});

	it('leaves nothing behind when 100 boards connect and go away', async () => {
		const lastEventId = String(await latestSeq(pod.db, pod.podId));
		// A hundred devices: one session holds only a few streams at a time.
		const iterators = await Promise.all(
			Array.from({ length: 100 }, async () => {
				const { api } = await leadSession();
				const stream = (await api.dashboard.live({
					podId: pod.podId,
					lastEventId
				})) as AsyncIterable<unknown>;
				const iterator = stream[Symbol.asyncIterator]();
				return { iterator, first: iterator.next() };
			})
		);
		await vi.waitFor(() => expect(getPodEventBus().listenerCount(pod.podId)).toBe(100), { timeout: 20_000 });
		await writeWithEvents(pod.db, (_trx, record) =>
			recordTest(record, pod.podId, { studentIds: [randomUUID()] })
		);
		expect((await Promise.all(iterators.map((i) => i.first))).every((r) => !r.done)).toBe(true);
		await Promise.all(iterators.map((i) => i.iterator.return?.(undefined)));
		expect(getPodEventBus().listenerCount(pod.podId)).toBe(0);
		expect(openSessionStreams()).toBe(0);
	});
});
