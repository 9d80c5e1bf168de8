import { getEventListeners } from 'node:events';
import type { TRPCError } from '@trpc/server';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSession, endSessionsOf, hashToken, SESSION_COOKIE } from '../../src/lib/server/auth/sessions';
import { isoNow, newId } from '../../src/lib/server/ids';
import { getPodEventBus } from '../../src/lib/server/live/app-bus';
import { InProcessPodEventBus, type PodEvent } from '../../src/lib/server/live/bus';
import { latestSeq, writeWithEvents, type RecordPodEvent } from '../../src/lib/server/live/log';
import { checkOpenSessions, openSessionStreams } from '../../src/lib/server/live/session-streams';
import { podEventStream } from '../../src/lib/server/live/stream';
import { applyImport } from '../../src/lib/server/roster/oneroster/apply';
import type { Incoming } from '../../src/lib/server/roster/oneroster/incoming';
import { createCaller } from '../../src/lib/server/trpc/router';
import { callerAs, createTestPod, sessionAs, type TestPod } from '../support/pod';
import { followBoard, followStream, startStreamingApiServer, type Board } from '../support/sse-board';

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

async function publish(bus: InProcessPodEventBus, n: number, studentId = 'someone') {
	for (let i = 0; i < n; i++) {
		await writeWithEvents(
			pod.db,
			(_trx, record) => recordTest(record, pod.podId, { studentIds: [studentId], i }),
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

	it('miss nothing when their reader stops reading for longer than they hold events', async () => {
		const bus = new InProcessPodEventBus();
		const abort = new AbortController();
		const from = await latest();
		const stream = podEventStream({ db: pod.db, bus, podId: pod.podId, lastSeq: from, signal: abort.signal });
		const first = stream.next();
		await publish(bus, 1);
		expect((await first).value?.seq).toBe(from + 1);
		// A stalled Chromebook: 1,500 events go by while nothing is read. The stream lets go of what
		// it holds past its limit, and reads the log again when its reader is back.
		await writeWithEvents(
			pod.db,
			async (_trx, record) => {
				for (let i = 0; i < 1500; i++) await recordTest(record, pod.podId, { studentIds: [], i });
			},
			bus
		);
		const rest = await take(stream, 1500, abort);
		expect(rest.map((e) => e.seq)).toEqual(Array.from({ length: 1500 }, (_, i) => from + 2 + i));
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
					await recordTest(record, pod.podId, { studentIds: [] });
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

describe('live streams over HTTP, which end with their session however it ends', () => {
	let server: Awaited<ReturnType<typeof startStreamingApiServer>>;
	beforeAll(async () => {
		server = await startStreamingApiServer(pod.db);
	});
	afterAll(() => server.close());
	// Each test closes what it opened: a board dropped at its end is let go of before the next begins.
	afterEach(async () => {
		await vi.waitFor(() => expect(openSessionStreams()).toBe(0), { timeout: 10_000 });
	});

	/** A signed-in device of `userId`: its cookie, and the session's hash as the server keeps it. */
	async function signIn(userId: string, { podId = null as string | null, expiresInMs = 3_600_000 } = {}) {
		const { token } = await createSession(pod.db, {
			userId,
			podId,
			idleMinutes: 60,
			expiresAt: new Date(Date.now() + expiresInMs)
		});
		return { cookie: `${SESSION_COOKIE}=${token}`, tokenHash: hashToken(token) };
	}

	/** A teacher of Pod North of their own, whom a test may deactivate. */
	async function newTeacher() {
		const id = newId();
		await pod.db
			.insertInto('users')
			.values({
				id,
				kind: 'staff',
				given_name: 'Temp',
				family_name: `Teacher ${id.slice(0, 8)}`,
				email: `temp-${id}@demo.school`,
				created_at: isoNow()
			})
			.execute();
		await pod.db
			.insertInto('pod_staff')
			.values({ pod_id: pod.podId, user_id: id, role: 'teacher' })
			.execute();
		return id;
	}

	/** A teacher's board, following dashboard.live from now; its stream is open once this returns. */
	async function boardOf(userId: string) {
		const device = await signIn(userId);
		const board = await followBoard(server.origin, pod.podId, device.cookie, await latest());
		expect(board.errors).toEqual([]);
		return { ...device, board };
	}

	/** One session's streams on one server, at most. */
	const STREAMS_PER_SESSION = 8;

	const endedByServer = (board: Board) => expect(board.ended, board.errors.join('; ')).toBe(true);

	it("end a student's page when the lead erases the student", async () => {
		const studentId = pod.classmateId;
		const device = await signIn(studentId, { podId: pod.podId });
		const page = await followStream(server.origin, 'playlists.live', {}, device.cookie, await latest());
		expect(page.errors).toEqual([]);
		const student = await pod.db
			.selectFrom('users')
			.select(['given_name', 'family_name'])
			.where('id', '=', studentId)
			.executeTakeFirstOrThrow();
		const lead = await callerAs(pod, 'lead');
		await lead.studentData.erase({
			podId: pod.podId,
			studentId,
			confirmName: `${student.given_name} ${student.family_name}`
		});
		await vi.waitFor(() => endedByServer(page), { timeout: 10_000 });
	});

	it("end a teacher's board when the roster import deactivates the teacher", async () => {
		const teacherId = await newTeacher();
		const { email } = await pod.db
			.selectFrom('users')
			.select('email')
			.where('id', '=', teacherId)
			.executeTakeFirstOrThrow();
		const { board } = await boardOf(teacherId);
		const stays = await boardOf(pod.users.teacher);
		const incoming: Incoming = {
			format: 'oneroster',
			people: [
				{
					kind: 'staff',
					sourcedId: `t-${teacherId}`,
					givenName: 'Temp',
					familyName: 'Teacher',
					email,
					grade: null,
					cohort: null,
					active: false,
					member: true,
					from: { file: 'users.csv', line: 2 }
				}
			],
			classes: [],
			deactivateMissing: false,
			presentSourcedIds: new Set([`t-${teacherId}`]),
			notInPods: 0,
			errors: []
		};
		const result = await applyImport(pod.db, {
			podId: pod.podId,
			incoming,
			actorId: pod.users.lead,
			actor: { isAdmin: false },
			via: 'test'
		});
		expect(result.plan.errors).toEqual([]);
		expect(result.counts.staff.deactivate).toBe(1);
		await vi.waitFor(() => endedByServer(board), { timeout: 10_000 });
		expect(stays.board.ended).toBe(false);
		stays.board.drop();
	});

	it('end nothing when the transaction that ended the sessions rolls back, and end them when it commits', async () => {
		const teacherId = await newTeacher();
		const { board, tokenHash } = await boardOf(teacherId);
		await expect(
			writeWithEvents(pod.db, async (trx) => {
				await endSessionsOf(trx, [teacherId]);
				throw new Error('changed our mind');
			})
		).rejects.toThrow('changed our mind');
		const session = () =>
			pod.db.selectFrom('sessions').select('token_hash').where('token_hash', '=', tokenHash).execute();
		expect(await session()).toHaveLength(1);
		// Announced after the commit, before writeWithEvents answers: had it been, the board would be ending now.
		expect(board.ended).toBe(false);
		expect(openSessionStreams()).toBeGreaterThan(0);

		await writeWithEvents(pod.db, (trx) => endSessionsOf(trx, [teacherId]));
		expect(await session()).toEqual([]);
		await vi.waitFor(() => endedByServer(board), { timeout: 10_000 });
	});

	it.each([
		[
			'their person is deactivated by hand',
			(userId: string) =>
				pod.db.updateTable('users').set({ status: 'inactive' }).where('id', '=', userId).execute()
		],
		[
			'the session is deleted',
			(userId: string) => pod.db.deleteFrom('sessions').where('user_id', '=', userId).execute()
		],
		[
			'the session has been idle past its limit',
			(userId: string) =>
				pod.db
					.updateTable('sessions')
					.set({ last_seen_at: isoNow(new Date(Date.now() - 61 * 60_000)) })
					.where('user_id', '=', userId)
					.execute()
		]
	])("end a board at the watchdog's check when %s", async (_, change) => {
		const teacherId = await newTeacher();
		const { board } = await boardOf(teacherId);
		const stays = await boardOf(pod.users.teacher);
		await change(teacherId);
		await checkOpenSessions();
		await vi.waitFor(() => endedByServer(board), { timeout: 10_000 });
		// The watchdog ends only streams whose session no longer holds.
		expect(stays.board.ended).toBe(false);
		stays.board.drop();
	});

	it('end a board when its session reaches its expiry', async () => {
		const device = await signIn(await newTeacher(), { expiresInMs: 3000 });
		const board = await followBoard(server.origin, pod.podId, device.cookie, await latest());
		expect(board.errors).toEqual([]);
		await vi.waitFor(() => endedByServer(board), { timeout: 15_000 });
	});

	it(`refuse one session's streams past ${STREAMS_PER_SESSION} on a server, and leave nothing behind when they close`, async () => {
		const before = { streams: openSessionStreams(), listeners: getPodEventBus().listenerCount() };
		const device = await signIn(pod.users.student, { podId: pod.podId });
		const from = await latest();
		// 200 at once, as one page reloaded in a loop (or a script) would open them.
		const pages = await Promise.all(
			Array.from({ length: 200 }, () =>
				followStream(server.origin, 'playlists.live', {}, device.cookie, from)
			)
		);
		const refused = () => pages.filter((page) => page.errors.some((e) => e.includes('TOO_MANY_REQUESTS')));
		await vi.waitFor(() => expect(refused()).toHaveLength(200 - STREAMS_PER_SESSION), {
			timeout: 20_000
		});
		const open = pages.filter((page) => page.errors.length === 0);
		expect(open).toHaveLength(STREAMS_PER_SESSION);
		expect(openSessionStreams()).toBe(before.streams + STREAMS_PER_SESSION);
		expect(refused()[0].errors.join(' ')).toContain(
			`This sign-in already has ${STREAMS_PER_SESSION} live pages open`
		);

		for (const page of open) page.drop();
		await vi.waitFor(
			() => {
				expect(openSessionStreams()).toBe(before.streams);
				expect(getPodEventBus().listenerCount()).toBe(before.listeners);
			},
			{ timeout: 10_000 }
		);
		const abortListeners = server.requestSignals.reduce(
			(total, signal) => total + (signal.aborted ? getEventListeners(signal, 'abort').length : 0),
			0
		);
		expect(abortListeners).toBe(0);
		// Closed streams no longer count: the same device opens a page again.
		const again = await followStream(server.origin, 'playlists.live', {}, device.cookie, from);
		expect(again.errors).toEqual([]);
		again.drop();
	});

	it('leave no listener on the signals of 200 streams called at once in process, refused or closed', async () => {
		const before = openSessionStreams();
		const session = await sessionAs(pod, 'teacher');
		const connections = Array.from({ length: 200 }, () => new AbortController());
		const answers = await Promise.allSettled(
			connections.map((connection) =>
				createCaller(
					{ db: pod.db, session, address: '10.0.0.1', sessionCookie: { set() {}, clear() {} } },
					{ signal: connection.signal }
				).dashboard.live({ podId: pod.podId, lastEventId: null })
			)
		);
		const refusals = answers.flatMap((a) => (a.status === 'rejected' ? [a.reason as TRPCError] : []));
		expect(refusals).toHaveLength(200 - STREAMS_PER_SESSION);
		expect(new Set(refusals.map((e) => e.code))).toEqual(new Set(['TOO_MANY_REQUESTS']));
		for (const connection of connections) connection.abort();
		await vi.waitFor(() => expect(openSessionStreams()).toBe(before), { timeout: 10_000 });
		const left = connections.reduce((total, c) => total + getEventListeners(c.signal, 'abort').length, 0);
		expect(left).toBe(0);
	});
});
