import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeWeek, USUAL_WEEK, weekProblem, type SchoolWeek } from '../../src/lib/pods/school-week';
import { endOfSchoolDay, podTime } from '../../src/lib/server/pods/clock';
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, randomJoinCode } from '../../src/lib/server/pods/join-codes';
import { canonicalTimeZone, serverTimeZone, TIME_ZONES } from '../../src/lib/server/pods/time-zones';

const days = (weekdays: number[], start = '08:30', end = '15:00'): SchoolWeek =>
	weekdays.map((weekday) => ({ weekday, start, end }));

describe('a school week, as a teacher says it', () => {
	it.each<[string, SchoolWeek, string]>([
		['the usual week', USUAL_WEEK, 'Mon–Fri 08:30–15:00'],
		[
			'a short Friday',
			[...days([1, 2, 3, 4]), ...days([5], '08:30', '12:00')],
			'Mon–Thu 08:30–15:00; Fri 08:30–12:00'
		],
		['two days', days([2, 4]), 'Tue, Thu 08:30–15:00'],
		['a gap mid-week', days([1, 2, 4, 5]), 'Mon, Tue, Thu, Fri 08:30–15:00'],
		['Saturday school', days([1, 2, 3, 4, 5, 6]), 'Mon–Sat 08:30–15:00'],
		['given out of order', [...days([5]), ...days([1])], 'Mon, Fri 08:30–15:00'],
		['no school days', [], 'no school days']
	])('%s', (_what, week, said) => {
		expect(describeWeek(week)).toBe(said);
	});
});

describe('what is wrong with a school week', () => {
	it.each<[string, SchoolWeek, string | null]>([
		['nothing', USUAL_WEEK, null],
		['no days', [], 'Choose at least one school day.'],
		[
			'a day twice',
			[...days([1]), ...days([1], '09:00')],
			'Monday is listed twice; give each day its hours once.'
		],
		[
			'a day that ends first',
			days([3], '15:00', '08:30'),
			'Wednesday ends at 08:30, before it starts at 15:00: school must end after it starts.'
		],
		[
			'a day with no length',
			days([3], '08:30', '08:30'),
			'Wednesday starts and ends at 08:30: school must end after it starts.'
		],
		['a time that is no time', days([2], '8:30'), "Write Tuesday's hours as times like 08:30 and 15:00."],
		['a weekday past Sunday', days([8]), 'A school day is a weekday from Monday to Sunday.']
	])('%s', (_what, week, problem) => {
		expect(weekProblem(week)).toBe(problem);
	});
});

describe("a pod's clock on its own school days", () => {
	// New York in November is UTC−5.
	const shortFriday = {
		timezone: 'America/New_York',
		school_week: JSON.stringify([...days([1, 2, 3, 4]), ...days([5], '08:30', '12:00')])
	};
	const noWednesday = { timezone: 'America/New_York', school_week: JSON.stringify(days([1, 2, 4, 5])) };

	it('is out of session on a Friday afternoon after a short day, and in on its morning', () => {
		expect(podTime(shortFriday, new Date('2026-11-20T16:00:00Z')).inSession).toBe(true); // 11:00
		expect(podTime(shortFriday, new Date('2026-11-20T18:00:00Z')).inSession).toBe(false); // 13:00
	});

	it('has no session on a weekday without school, and its students sign in for two hours then', () => {
		const wednesdayNoon = new Date('2026-11-18T17:00:00Z');
		const time = podTime(noWednesday, wednesdayNoon);
		expect(time.inSession).toBe(false);
		expect(time.sessionStart).toBeNull();
		expect(endOfSchoolDay(noWednesday, wednesdayNoon).toISOString()).toBe('2026-11-18T19:00:00.000Z');
	});

	it('counts each day by its length: Thursday evening of a short-Friday week is 26/29.5 of it', () => {
		const time = podTime(shortFriday, new Date('2026-11-19T23:00:00Z'));
		expect(time.weekElapsed).toBeCloseTo((4 * 6.5) / (4 * 6.5 + 3.5), 10);
		expect(time.weekStart.toISOString()).toBe('2026-11-16T13:30:00.000Z');
	});

	it('starts the week on its first school day', () => {
		const fromTuesday = { timezone: 'America/New_York', school_week: JSON.stringify(days([2, 3], '09:00')) };
		expect(podTime(fromTuesday, new Date('2026-11-19T12:00:00Z')).weekStart.toISOString()).toBe(
			'2026-11-17T14:00:00.000Z'
		);
	});

	it('never goes past the whole week or below none of it', () => {
		fc.assert(
			fc.property(
				fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
				fc.date({ min: new Date('2026-01-01'), max: new Date('2027-01-01'), noInvalidDate: true }),
				(weekdays, now) => {
					const elapsed = podTime(
						{ timezone: 'Europe/Berlin', school_week: JSON.stringify(days(weekdays)) },
						now
					).weekElapsed;
					expect(elapsed).toBeGreaterThanOrEqual(0);
					expect(elapsed).toBeLessThanOrEqual(1);
				}
			)
		);
	});
});

describe('pod codes', () => {
	it('are six characters, none of which can be read as another', () => {
		for (const look of ['0', 'O', 'Q', 'D', '1', 'I', 'L', '2', 'Z', '5', 'S', '8', 'B', 'U', 'V'])
			expect(JOIN_CODE_ALPHABET).not.toContain(look);
		fc.assert(
			fc.property(
				fc.array(fc.nat(), { minLength: JOIN_CODE_LENGTH, maxLength: JOIN_CODE_LENGTH }),
				(picks) => {
					let i = 0;
					const code = randomJoinCode((below) => picks[i++] % below);
					expect(code).toMatch(/^[ACEFGHJKMNPRTWXY34679]{6}$/);
				}
			)
		);
	});
});

describe('time zones', () => {
	it.each([
		['America/New_York', 'America/New_York'],
		['america/new_york', 'America/New_York'],
		['UTC', 'UTC'],
		['Mars/Olympus_Mons', null],
		['+05:00', null],
		['', null],
		["America/New_York'; drop table pods", null]
	])('%s is %s', (name, canonical) => {
		expect(canonicalTimeZone(name)).toBe(canonical);
	});

	it('offers UTC and the world, and starts new pods in a zone it offers', () => {
		expect(TIME_ZONES).toContain('UTC');
		expect(TIME_ZONES).toContain('Asia/Tokyo');
		expect(TIME_ZONES).toContain(serverTimeZone());
	});
});
