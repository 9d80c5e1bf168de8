import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_END_NOTE } from '../../src/lib/server/flags/day-end';
import { sweepFlags } from '../../src/lib/server/flags/engine';
import { helpQueue } from '../../src/lib/server/help/requests';
import { getPodEventBus } from '../../src/lib/server/live/app-bus';
import type { PodEvent } from '../../src/lib/server/live/bus';
import { zonedInstant } from '../../src/lib/server/pods/clock';
import { callerAs, createTestPod, SEED_NOW, type TestPod } from '../support/pod';
import { schoolOf } from '../support/schools';

// Yesterday is not now (issue 19): hands left up and the flags about the school day are closed
// by the minute sweep once the pod's school day is over, in the pod's time zone (New York) and
// hours (08:30–15:00), on the school's calendar, with a note and as pod events. The clock is the
// sweep's `now`: the demo was seeded at SEED_NOW, Wednesday 18 November 2026, 13:00 in New York.

const NY = 'America/New_York';
const at = (date: string, hhmm: string) => zonedInstant(date, hhmm, NY);
const WED = '2026-11-18';
const THU = '2026-11-19';
const FRI = '2026-11-20';
const MON = '2026-11-23';

let pod: TestPod;
beforeAll(async () => {
	pod = await createTestPod();
});
afterAll(() => pod.db.destroy());

const hands = () =>
	pod.db
		.selectFrom('help_requests')
		.select(['id', 'student_id', 'open_key', 'resolved_at', 'resolution_note'])
		.where('pod_id', '=', pod.podId)
		.execute();
const flags = () =>
	pod.db
		.selectFrom('flags')
		.select(['id', 'student_id', 'rule', 'reason', 'status', 'resolution_note'])
		.where('pod_id', '=', pod.podId)
		.execute();

/** Some of the pod's students with no hand up, to raise hands for. */
async function studentsWithoutHands(count: number): Promise<string[]> {
	const up = new Set((await hands()).filter((h) => h.open_key).map((h) => h.student_id));
	const roster = await pod.db
		.selectFrom('pod_students')
		.select('user_id')
		.where('pod_id', '=', pod.podId)
		.orderBy('user_id', 'desc')
		.execute();
	return roster
		.map((s) => s.user_id)
		.filter((id) => !up.has(id))
		.slice(0, count);
}

async function raiseHand(studentId: string, askedAt: Date, claimedBy: string | null = null) {
	const id = crypto.randomUUID();
	await pod.db
		.insertInto('help_requests')
		.values({
			id,
			pod_id: pod.podId,
			student_id: studentId,
			assignment_id: null,
			asked_at: askedAt.toISOString(),
			claimed_by: claimedBy,
			claimed_at: claimedBy ? askedAt.toISOString() : null,
			resolved_at: null,
			resolved_by: null,
			resolution_note: null,
			open_key: studentId
		})
		.execute();
	return id;
}

/** Sweep at `now`, and what the pod's boards heard meanwhile. */
async function sweepHearing(now: Date): Promise<PodEvent[]> {
	const heard: PodEvent[] = [];
	const stop = getPodEventBus().subscribe(pod.podId, (event) => heard.push(event));
	try {
		await sweepFlags(pod.db, now);
	} finally {
		stop();
	}
	return heard;
}

const named = (events: PodEvent[], kind: PodEvent['kind']) =>
	new Set(
		events
			.filter((e) => e.kind === kind)
			.flatMap((e) => [...(e.payload as { studentIds: string[] }).studentIds])
	);

describe('the end of the school day', () => {
	it('leaves hands and the day’s flags alone while school is in, even at 15:00 UTC (10:00 in New York)', async () => {
		const [claimed] = await studentsWithoutHands(1);
		await raiseHand(claimed, at(WED, '14:40'), pod.users.teacher);
		const before = (await hands()).filter((h) => h.open_key);
		expect(before.length).toBeGreaterThanOrEqual(3); // the demo's two hands and this one

		await sweepFlags(pod.db, new Date(`${WED}T15:00:00Z`));
		await sweepFlags(pod.db, at(WED, '14:59'));

		expect((await hands()).filter((h) => h.open_key).map((h) => h.id)).toEqual(before.map((h) => h.id));
		expect(
			(await flags()).filter((f) => f.rule === 'hand_up' && f.status !== 'resolved').length
		).toBeGreaterThan(0);
	});

	it('closes every hand still up at the bell, taken or not, and the day’s flags, with a note the boards hear', async () => {
		const open = (await hands()).filter((h) => h.open_key);
		const dayFlags = (await flags()).filter(
			(f) => f.status !== 'resolved' && (f.rule === 'idle' || f.rule === 'hand_up')
		);
		expect(dayFlags.some((f) => f.rule === 'idle')).toBe(true);
		expect(dayFlags.some((f) => f.rule === 'hand_up')).toBe(true);
		const kept = (await flags()).filter(
			(f) =>
				f.status !== 'resolved' &&
				(f.rule === 'low_score' ||
					f.rule === 'behind_pace' ||
					(f.rule === 'stuck' && f.reason.startsWith('Tapped')))
		);
		expect(kept.length).toBeGreaterThan(0);

		const heard = await sweepHearing(at(WED, '15:01'));

		const after = await hands();
		for (const hand of open) {
			expect(after.find((h) => h.id === hand.id)).toMatchObject({
				open_key: null,
				resolution_note: DAY_END_NOTE,
				resolved_at: at(WED, '15:01').toISOString()
			});
		}
		expect(await helpQueue(pod.db, pod.podId)).toEqual([]);
		const flagsAfter = await flags();
		for (const flag of dayFlags)
			expect(flagsAfter.find((f) => f.id === flag.id)).toMatchObject({
				status: 'resolved',
				resolution_note: DAY_END_NOTE
			});
		// A tapped "I’m stuck", a low score and behind pace are about the work: they stay.
		for (const flag of kept) expect(flagsAfter.find((f) => f.id === flag.id)?.status).not.toBe('resolved');

		const helpHeard = named(heard, 'help.changed');
		for (const hand of open) expect(helpHeard).toContain(hand.student_id);
		const flagsHeard = named(heard, 'flags.changed');
		for (const flag of dayFlags) expect(flagsHeard).toContain(flag.student_id);

		// Said once: the next sweep finds nothing more to close.
		expect(await sweepHearing(at(WED, '15:02'))).toEqual([]);
	});

	it('keeps a hand raised after school until that day is over, then closes it', async () => {
		const [late] = await studentsWithoutHands(1);
		const id = await raiseHand(late, at(WED, '15:20'));

		await sweepFlags(pod.db, at(WED, '23:58'));
		expect((await hands()).find((h) => h.id === id)?.open_key).toBe(late);

		await sweepFlags(pod.db, at(THU, '00:01'));
		expect((await hands()).find((h) => h.id === id)).toMatchObject({
			open_key: null,
			resolution_note: DAY_END_NOTE
		});
	});

	it('Monday does not open with Friday’s hands, even when nothing swept over the weekend', async () => {
		const [friday] = await studentsWithoutHands(1);
		const id = await raiseHand(friday, at(FRI, '14:50'));
		await sweepFlags(pod.db, at(FRI, '14:56'));
		const flagged = (await flags()).find(
			(f) => f.student_id === friday && f.rule === 'hand_up' && f.status === 'open'
		);
		expect(flagged?.reason).toMatch(/^Hand up since/);

		// The server was off from Friday 15:00 until Monday morning.
		await sweepFlags(pod.db, at(MON, '08:00'));

		expect((await hands()).find((h) => h.id === id)).toMatchObject({
			open_key: null,
			resolution_note: DAY_END_NOTE
		});
		expect((await flags()).find((f) => f.id === flagged!.id)).toMatchObject({
			status: 'resolved',
			resolution_note: DAY_END_NOTE
		});
		expect(await helpQueue(pod.db, pod.podId)).toEqual([]);
	});

	it('follows the school calendar: on a day off a hand waits until that day is over, not until 15:00', async () => {
		const api = await callerAs(pod, 'admin');
		await api.calendar.add({ schoolId: await schoolOf(pod), firstDay: THU, name: 'Staff day' });
		const [home] = await studentsWithoutHands(1);
		const id = await raiseHand(home, at(THU, '10:00'));

		await sweepFlags(pod.db, at(THU, '15:30'));
		expect((await hands()).find((h) => h.id === id)?.open_key).toBe(home);

		await sweepFlags(pod.db, at(FRI, '00:01'));
		expect((await hands()).find((h) => h.id === id)).toMatchObject({
			open_key: null,
			resolution_note: DAY_END_NOTE
		});
	});

	it('leaves an archived pod as it was left', async () => {
		const [student] = await studentsWithoutHands(1);
		const id = await raiseHand(student, at(FRI, '10:00'));
		await pod.db
			.updateTable('pods')
			.set({ archived_at: at(FRI, '11:00').toISOString() })
			.where('id', '=', pod.podId)
			.execute();
		try {
			await sweepFlags(pod.db, at(MON, '08:00'));
			expect((await hands()).find((h) => h.id === id)?.open_key).toBe(student);
		} finally {
			await pod.db.updateTable('pods').set({ archived_at: null }).where('id', '=', pod.podId).execute();
		}
	});
});

it('SEED_NOW is the Wednesday these cases are written around', () => {
	expect(SEED_NOW.toISOString()).toBe(at(WED, '13:00').toISOString());
});
