import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoPod } from '../../db/seed/demo';
import { createDb, migrateToLatest, type Database } from '../../src/lib/server/db/index';
import { DAY_END_NOTE } from '../../src/lib/server/flags/day-end';
import { localParts, podTime, zonedInstant } from '../../src/lib/server/pods/clock';

// The demo's seeded ages agree with each other (issue 19): a hand's wait, its flag's time and the
// student's last event tell one story, all within the school day the room was last seen in, and
// nothing is later than the moment of seeding. Seeded outside school hours, the day's end has
// closed the hands and the day's flags, as the sweep would have. New York, school 08:30–15:00.

const NY = 'America/New_York';
const MINUTE = 60_000;
const at = (date: string, hhmm: string) => zonedInstant(date, hhmm, NY);

const MOMENTS = [
	{
		name: 'Wednesday 13:00, school in session',
		now: at('2026-11-18', '13:00'),
		day: '2026-11-18',
		inSession: true
	},
	{
		name: 'Wednesday 19:00, after school',
		now: at('2026-11-18', '19:00'),
		day: '2026-11-18',
		inSession: false
	},
	{
		name: 'Wednesday 08:45, before today counts',
		now: at('2026-11-18', '08:45'),
		day: '2026-11-17',
		inSession: false
	},
	{ name: 'Saturday 10:00', now: at('2026-11-21', '10:00'), day: '2026-11-20', inSession: false }
];

describe.each(MOMENTS)('the demo seeded on $name', ({ now, day, inSession }) => {
	let db: Kysely<Database>;
	let podId: string;
	const dayStart = at(day, '08:30').toISOString();
	const dayEnd = at(day, '15:00').toISOString();
	const seeded = now.toISOString();

	beforeAll(async () => {
		db = createDb(':memory:');
		await migrateToLatest(db);
		({ podId } = await seedDemoPod(db, { now }));
	});
	afterAll(() => db.destroy());

	// A flag's reason is written when it is raised, so its times read from the room as last seen:
	// now while school is in, else at that day's bell ("since 14:45", not "since Fri 14:45").
	const roomNow = inSession ? now : new Date(dayEnd);
	const clock = async () => {
		const pod = await db
			.selectFrom('pods')
			.select(['timezone', 'school_week'])
			.where('id', '=', podId)
			.executeTakeFirstOrThrow();
		return podTime(pod, roomNow).clock;
	};
	const lastEventOf = async (studentId: string) =>
		(
			await db
				.selectFrom('progress_events')
				.select((eb) => eb.fn.max('occurred_at').as('last'))
				.where('student_id', '=', studentId)
				.executeTakeFirstOrThrow()
		).last as string;

	it('has nothing later than the moment it was seeded', async () => {
		const events = await db.selectFrom('progress_events').select(['occurred_at', 'received_at']).execute();
		const flags = await db.selectFrom('flags').select(['created_at', 'resolved_at']).execute();
		const hands = await db.selectFrom('help_requests').select(['asked_at', 'resolved_at']).execute();
		const times = [
			...events.flatMap((e) => [e.occurred_at, e.received_at]),
			...flags.flatMap((f) => [f.created_at, f.resolved_at]),
			...hands.flatMap((h) => [h.asked_at, h.resolved_at])
		].filter((t): t is string => t !== null);
		expect(times.length).toBeGreaterThan(1000);
		expect(times.filter((t) => t > seeded)).toEqual([]);
		// The latest work is of the school day the room was last seen in.
		const last = events.reduce((max, e) => (e.occurred_at > max ? e.occurred_at : max), '');
		expect(localParts(new Date(last), NY).date).toBe(day);
	});

	it('raised every flag within that school day, and the hands too', async () => {
		const flags = await db.selectFrom('flags').select(['rule', 'created_at']).execute();
		const hands = await db.selectFrom('help_requests').select('asked_at').execute();
		expect(flags.length).toBeGreaterThan(0);
		expect(hands.length).toBe(2);
		for (const time of [...flags.map((f) => f.created_at), ...hands.map((h) => h.asked_at)]) {
			expect(time >= dayStart && time <= dayEnd && time <= seeded, time).toBe(true);
		}
	});

	it('dates a hand’s flag from the hand, and the hand is the student’s last event', async () => {
		const show = await clock();
		const hands = await db.selectFrom('help_requests').select(['student_id', 'asked_at']).execute();
		for (const hand of hands) {
			expect(await lastEventOf(hand.student_id)).toBe(hand.asked_at);
			const flag = await db
				.selectFrom('flags')
				.select(['reason', 'created_at'])
				.where('rule', '=', 'hand_up')
				.where('student_id', '=', hand.student_id)
				.executeTakeFirstOrThrow();
			// Raised when the hand had waited the pod's five minutes, not at the moment of seeding.
			expect(Date.parse(flag.created_at) - Date.parse(hand.asked_at)).toBe(5 * MINUTE);
			expect(flag.reason).toContain(`since ${show(hand.asked_at)}`);
		}
	});

	it('dates an idle flag from the student’s last event, and a tapped “I’m stuck” at the tap', async () => {
		const show = await clock();
		const flags = await db
			.selectFrom('flags')
			.leftJoin('assignments', 'assignments.id', 'flags.assignment_id')
			.select([
				'flags.rule',
				'flags.student_id',
				'flags.reason',
				'flags.created_at',
				'assignments.last_event_at',
				'assignments.status'
			])
			.where('flags.rule', 'in', ['idle', 'stuck'])
			.execute();
		expect(flags.some((f) => f.rule === 'stuck')).toBe(true);
		if (inSession) expect(flags.some((f) => f.rule === 'idle')).toBe(true);
		for (const flag of flags) {
			if (flag.rule === 'idle') {
				const last = await lastEventOf(flag.student_id);
				expect(flag.reason).toContain(`since ${show(last)}`);
				expect(Date.parse(flag.created_at) - Date.parse(last)).toBe(10 * MINUTE);
			} else if (flag.status === 'stuck') {
				expect(flag.created_at).toBe(flag.last_event_at);
				expect(flag.reason).toContain(`at ${show(flag.last_event_at!)}`);
			}
		}
	});

	it(
		inSession
			? 'keeps the hands up and the day’s flags open: the room is in session'
			: 'has the day’s end close the hands and the day’s flags at the bell, so nothing is “waiting” from before',
		async () => {
			const hands = await db
				.selectFrom('help_requests')
				.select(['open_key', 'resolution_note', 'resolved_at'])
				.execute();
			const dayFlags = await db
				.selectFrom('flags')
				.select(['status', 'resolution_note', 'resolved_at'])
				.where('rule', 'in', ['idle', 'hand_up'])
				.execute();
			expect(dayFlags.length).toBeGreaterThan(0);
			if (inSession) {
				expect(hands.every((h) => h.open_key !== null)).toBe(true);
				expect(dayFlags.every((f) => f.status === 'open')).toBe(true);
			} else {
				for (const closed of [...hands, ...dayFlags]) {
					expect(closed).toMatchObject({ resolution_note: DAY_END_NOTE, resolved_at: dayEnd });
				}
				expect(hands.every((h) => h.open_key === null)).toBe(true);
			}
		}
	);
});
