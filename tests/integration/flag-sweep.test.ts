import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlagRule } from '../../src/lib/server/db/schema';
import { sweepFlags } from '../../src/lib/server/flags/engine';
import { createTestPod, SEED_NOW, type TestPod } from '../support/pod';

// The sweep runs the time-based rules on the clock. The demo pod was seeded at SEED_NOW, a
// Wednesday 13:00 in New York, in the middle of the school day.

let pod: TestPod;
beforeAll(async () => {
	pod = await createTestPod();
});
afterAll(() => pod.db.destroy());

const minutesAfterSeed = (n: number) => new Date(SEED_NOW.getTime() + n * 60_000);
const flags = (rule: FlagRule) =>
	pod.db
		.selectFrom('flags')
		.select(['student_id', 'status', 'reason', 'resolution_note', 'resolved_by'])
		.where('pod_id', '=', pod.podId)
		.where('rule', '=', rule)
		.execute();
const open = async (rule: FlagRule) => (await flags(rule)).filter((f) => f.status !== 'resolved');

describe('the flag sweep', () => {
	it('flags students who have gone quiet as time passes, with the time they stopped', async () => {
		const idleBefore = await open('idle');
		const seqBefore = await pod.db
			.selectFrom('pod_events')
			.select((eb) => eb.fn.max('seq').as('seq'))
			.where('pod_id', '=', pod.podId)
			.executeTakeFirst();

		await sweepFlags(pod.db, minutesAfterSeed(40));

		const idleAfter = await open('idle');
		expect(idleAfter.length).toBeGreaterThan(idleBefore.length);
		for (const flag of idleAfter)
			expect(flag.reason).toMatch(/^Nothing on their playlist since \d{1,2}:\d{2}$/);
		const events = await pod.db
			.selectFrom('pod_events')
			.select(['kind', 'payload'])
			.where('pod_id', '=', pod.podId)
			.where('seq', '>', Number(seqBefore?.seq ?? 0))
			.execute();
		const named = events
			.filter((e) => e.kind === 'flags.changed')
			.flatMap((e) => JSON.parse(e.payload).studentIds);
		for (const flag of idleAfter.filter((f) => !idleBefore.some((b) => b.student_id === f.student_id))) {
			expect(named).toContain(flag.student_id);
		}
	});

	it('a second sweep at the same moment changes nothing', async () => {
		const before = await pod.db.selectFrom('flags').select(['id', 'status']).orderBy('id').execute();
		await sweepFlags(pod.db, minutesAfterSeed(40));
		expect(await pod.db.selectFrom('flags').select(['id', 'status']).orderBy('id').execute()).toEqual(before);
	});

	it('clears the time-based flags by itself when the school day ends, and keeps a tapped "I’m stuck"', async () => {
		const tapped = (await open('stuck')).filter((f) => f.reason.startsWith('Tapped'));
		expect(tapped.length).toBeGreaterThan(0);
		expect((await open('idle')).length).toBeGreaterThan(0);

		// 16:30 in New York: the session ended at 15:00.
		await sweepFlags(pod.db, new Date('2026-11-18T21:30:00Z'));

		expect(await open('idle')).toEqual([]);
		const idle = await flags('idle');
		// Closed by the day's end (issue 19), no longer "Cleared by itself: the session ended".
		expect(idle.every((f) => f.resolution_note === 'Closed at the end of the day')).toBe(true);
		expect(idle.every((f) => f.resolved_by === null)).toBe(true);
		const stillTapped = (await open('stuck')).filter((f) => f.reason.startsWith('Tapped'));
		expect(stillTapped.map((f) => f.student_id).sort()).toEqual(tapped.map((f) => f.student_id).sort());
		expect((await open('stuck')).filter((f) => f.reason.startsWith('In progress'))).toEqual([]);
	});

	it('lets other requests run while it goes through a pod, a few students at a time', async () => {
		const studentCount = (
			await pod.db
				.selectFrom('pod_students')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.where('pod_id', '=', pod.podId)
				.executeTakeFirstOrThrow()
		).n;
		// A waiting request is a callback in the event loop's queue: count how often it gets in.
		let turns = 0;
		let sweeping = true;
		const waitingRequest = () => {
			turns++;
			if (sweeping) setImmediate(waitingRequest);
		};
		setImmediate(waitingRequest);
		await sweepFlags(pod.db, minutesAfterSeed(41));
		sweeping = false;
		expect(Number(studentCount)).toBeGreaterThan(40);
		// One turn at least between every eight students, not one for the whole pod.
		expect(turns).toBeGreaterThanOrEqual(Math.ceil(Number(studentCount) / 8));
	});

	it('stops at its next step when told to, with each step written whole', async () => {
		const fresh = await createTestPod();
		try {
			const idle = async () =>
				(
					await fresh.db
						.selectFrom('flags')
						.select('student_id')
						.where('rule', '=', 'idle')
						.where('status', '!=', 'resolved')
						.execute()
				).map((f) => f.student_id);
			const before = new Set(await idle());
			// Pod North's students (the demo has Pod Ridge's too, with nothing begun to go idle on).
			const roster = await fresh.db
				.selectFrom('pod_students')
				.select('user_id')
				.where('pod_id', '=', fresh.podId)
				.orderBy('user_id')
				.execute();
			const stopping = new AbortController();
			stopping.abort(); // the server is shutting down before the first step ends

			await sweepFlags(fresh.db, minutesAfterSeed(40), stopping.signal);

			const firstStep = new Set(roster.slice(0, 8).map((s) => s.user_id));
			const raised = (await idle()).filter((id) => !before.has(id));
			for (const id of raised) expect(firstStep.has(id)).toBe(true);
			// Left to run, the same sweep reaches the rest of the pod.
			await sweepFlags(fresh.db, minutesAfterSeed(40));
			expect((await idle()).filter((id) => !before.has(id) && !firstStep.has(id)).length).toBeGreaterThan(0);
		} finally {
			await fresh.db.destroy();
		}
	});
});
