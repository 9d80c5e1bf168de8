import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SchoolWeek } from '../../src/lib/pods/school-week';
import {
	addDays,
	hoursOn,
	schoolDayOn,
	weekdayOf,
	type DayOff
} from '../../src/lib/server/calendar/school-days';

// Thanksgiving week 2026: Monday the 23rd … Sunday the 29th.
const MON_TO_FRI: SchoolWeek = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:30', end: '15:00' }));
const THANKSGIVING: DayOff = { firstDay: '2026-11-26', lastDay: '2026-11-27', name: 'Thanksgiving break' };
const WINTER: DayOff = { firstDay: '2026-12-21', lastDay: '2027-01-01', name: 'Winter break' };

describe('schoolDayOn: examples', () => {
	it.each<[string, string, readonly DayOff[], { hours: boolean; dayOff: string | null; next: string }]>([
		['a Wednesday with no day off', '2026-11-25', [], { hours: true, dayOff: null, next: '2026-11-26' }],
		[
			'the Wednesday before Thanksgiving',
			'2026-11-25',
			[THANKSGIVING],
			{ hours: true, dayOff: null, next: '2026-11-30' }
		],
		[
			'Thanksgiving',
			'2026-11-26',
			[THANKSGIVING],
			{ hours: false, dayOff: 'Thanksgiving break', next: '2026-11-30' }
		],
		['a Saturday', '2026-11-28', [THANKSGIVING], { hours: false, dayOff: null, next: '2026-11-30' }],
		[
			'the Friday before winter break',
			'2026-12-18',
			[WINTER],
			{ hours: true, dayOff: null, next: '2027-01-04' }
		],
		[
			'Christmas',
			'2026-12-25',
			[WINTER, THANKSGIVING],
			{ hours: false, dayOff: 'Winter break', next: '2027-01-04' }
		],
		[
			'a teacher day inside a break that ends later',
			'2026-12-21',
			[{ firstDay: '2026-12-21', lastDay: '2026-12-21', name: 'Teacher day' }, WINTER],
			{ hours: false, dayOff: 'Winter break', next: '2027-01-04' }
		],
		[
			'a day off that starts on a weekend',
			'2026-11-27',
			[{ firstDay: '2026-11-28', lastDay: '2026-12-01', name: 'Long weekend' }],
			{ hours: true, dayOff: null, next: '2026-12-02' }
		]
	])('%s', (_what, date, daysOff, expected) => {
		const answer = schoolDayOn(MON_TO_FRI, daysOff, date);
		expect({
			hours: answer.hours !== null,
			dayOff: answer.dayOff?.name ?? null,
			next: answer.next?.date
		}).toEqual(expected);
	});

	it('gives the next school day’s own hours', () => {
		const week: SchoolWeek = [
			{ weekday: 1, start: '08:30', end: '15:00' },
			{ weekday: 5, start: '08:30', end: '12:00' }
		];
		expect(schoolDayOn(week, [], '2026-11-24').next).toEqual({
			date: '2026-11-27',
			hours: { weekday: 5, start: '08:30', end: '12:00' }
		});
	});

	it('has no next school day for a week without school', () => {
		expect(schoolDayOn([], [], '2026-11-25')).toEqual({
			date: '2026-11-25',
			hours: null,
			dayOff: null,
			next: null
		});
	});
});

// ---- Properties -------------------------------------------------------------------------

const EPOCH = '2026-08-01';
/** A date within about two years of the epoch. */
const date = fc.integer({ min: 0, max: 700 }).map((n) => addDays(EPOCH, n));
const week: fc.Arbitrary<SchoolWeek> = fc
	.subarray([1, 2, 3, 4, 5, 6, 7])
	.map((days) => days.map((weekday) => ({ weekday, start: '08:30', end: '15:00' })));
const dayOff: fc.Arbitrary<DayOff> = fc
	.record({ start: fc.integer({ min: 0, max: 700 }), length: fc.integer({ min: 0, max: 90 }) })
	.map(({ start, length }) => ({
		firstDay: addDays(EPOCH, start),
		lastDay: addDays(EPOCH, start + length),
		name: `Off from day ${start}`
	}));
const calendar = fc.record({ week, daysOff: fc.array(dayOff, { maxLength: 12 }), date });

const within = (daysOff: readonly DayOff[], d: string) =>
	daysOff.some((off) => off.firstDay <= d && d <= off.lastDay);

describe('schoolDayOn: properties', () => {
	it('a date has hours exactly when its weekday has school and no day off covers it', () => {
		fc.assert(
			fc.property(calendar, ({ week, daysOff, date }) => {
				const answer = schoolDayOn(week, daysOff, date);
				const schoolWeekday = week.some((day) => day.weekday === weekdayOf(date));
				expect(answer.hours !== null).toBe(schoolWeekday && !within(daysOff, date));
				expect(answer.dayOff !== null).toBe(within(daysOff, date));
				if (answer.hours) expect(answer.hours.weekday).toBe(weekdayOf(date));
				if (answer.dayOff) expect(answer.dayOff.firstDay <= date && date <= answer.dayOff.lastDay).toBe(true);
			})
		);
	});

	it('the next school day comes after the date, has school, and no day between them has', () => {
		fc.assert(
			fc.property(calendar, ({ week, daysOff, date }) => {
				const { next } = schoolDayOn(week, daysOff, date);
				if (week.length === 0) {
					expect(next).toBeNull();
					return;
				}
				expect(next).not.toBeNull();
				expect(next!.date > date).toBe(true);
				expect(hoursOn(week, daysOff, next!.date)).toEqual(next!.hours);
				for (let d = addDays(date, 1); d < next!.date; d = addDays(d, 1)) {
					expect(hoursOn(week, daysOff, d), d).toBeNull();
				}
			})
		);
	});

	it('days off in any order, or repeated, give the same answer', () => {
		fc.assert(
			fc.property(calendar, fc.func(fc.integer()), ({ week, daysOff, date }, order) => {
				const shuffled = [...daysOff, ...daysOff].sort((a, b) => order(a) - order(b));
				const answer = schoolDayOn(week, shuffled, date);
				const straight = schoolDayOn(week, daysOff, date);
				expect({ ...answer, dayOff: answer.dayOff?.lastDay }).toEqual({
					...straight,
					dayOff: straight.dayOff?.lastDay
				});
			})
		);
	});
});
