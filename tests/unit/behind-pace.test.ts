import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { USUAL_WEEK } from '../../src/lib/pods/school-week';
import type { DayOff } from '../../src/lib/server/calendar/school-days';
import {
	concernsFor,
	dueShare,
	dueWords,
	mustDoPace,
	type AssignmentForRules,
	type StudentForRules
} from '../../src/lib/server/flags/rules';
import { DEFAULT_THRESHOLDS } from '../../src/lib/server/flags/thresholds';
import { podTime, zonedInstant } from '../../src/lib/server/pods/clock';

// Behind pace follows due dates (issue 19): work due before today counts fully, work due later
// this week a pro-rated share, work due after this week nothing yet, work with no due date the
// week's share. A pod in New York, school 08:30–15:00 Monday to Friday; the week of Monday
// 23 November 2026 (Thanksgiving off where a case says so).
const pod = { timezone: 'America/New_York', school_week: JSON.stringify(USUAL_WEEK) };
const THANKSGIVING: DayOff = { firstDay: '2026-11-26', lastDay: '2026-11-27', name: 'Thanksgiving break' };
const date = (day: number) => `2026-11-${String(day).padStart(2, '0')}`;
const local = (day: number, hhmm: string) => zonedInstant(date(day), hhmm, pod.timezone);
const timeAt = (day: number, hhmm: string, daysOff: DayOff[] = []) => podTime(pod, local(day, hhmm), daysOff);
const [MON, TUE, WED, THU, FRI, SAT] = [23, 24, 25, 26, 27, 28];
const NEXT_WED = '2026-12-02';
const LAST_THU = '2026-11-19';

let nextId = 0;
const must = (title: string, dueOn: string | null, status: AssignmentForRules['status'] = 'not_started') =>
	({
		id: `a${nextId++}`,
		title,
		kind: 'practice',
		priority: 'must',
		status,
		score: null,
		lastEventAt: status === 'not_started' ? null : local(MON, '10:00').toISOString(),
		dueOn
	}) satisfies AssignmentForRules;
const student = (assignments: AssignmentForRules[]): StudentForRules => ({
	id: 's1',
	assignments,
	handUpSince: null,
	inGroupSession: false
});
const paceConcerns = (who: StudentForRules, time: ReturnType<typeof podTime>) =>
	concernsFor(who, DEFAULT_THRESHOLDS, time).filter((c) => c.rule === 'behind_pace');

describe('how much of a must-do is due by now', () => {
	it.each<[string, string | null, ReturnType<typeof podTime>, number]>([
		['no due date: the share of the week gone by', null, timeAt(WED, '11:45'), 0.5],
		['due yesterday: all of it', date(TUE), timeAt(WED, '11:45'), 1],
		['due last week: all of it', LAST_THU, timeAt(WED, '11:45'), 1],
		['due Friday, on Wednesday at 11:45: half', date(FRI), timeAt(WED, '11:45'), 0.5],
		['due Thursday, on Wednesday at 11:45: 2.5 of 4 days', date(THU), timeAt(WED, '11:45'), 2.5 / 4],
		['due today, mid-morning: 2.5 of 3 days', date(WED), timeAt(WED, '11:45'), 2.5 / 3],
		['due today, after school: all of it', date(WED), timeAt(WED, '15:30'), 1],
		['due next week: nothing yet', NEXT_WED, timeAt(FRI, '14:00'), 0],
		['due next week, on Saturday: nothing yet', NEXT_WED, timeAt(SAT, '10:00'), 0],
		['due this Friday, on Saturday: all of it', date(FRI), timeAt(SAT, '10:00'), 1],
		[
			'due on a day off (Thursday of Thanksgiving): by Wednesday’s end',
			date(THU),
			timeAt(WED, '11:45', [THANKSGIVING]),
			2.5 / 3
		]
	])('%s', (_name, dueOn, time, share) => {
		expect(dueShare(dueOn, time)).toBeCloseTo(share, 10);
	});
});

describe('behind pace by due dates', () => {
	it('does not flag a student whose must-dos are all due next week (issue 19: “0 of 3 … by Saturday about 3”)', () => {
		const who = student([
			must('Quiz: food webs', NEXT_WED),
			must('Fractions practice 2', NEXT_WED),
			must('Summarizing a story', NEXT_WED)
		]);
		expect(paceConcerns(who, timeAt(SAT, '10:00'))).toEqual([]);
		expect(paceConcerns(who, timeAt(FRI, '14:00'))).toEqual([]);
	});

	it('flags must-dos due by today and not done, naming them with their due days', () => {
		const who = student([
			must('Quiz: equivalent fractions', date(TUE)),
			must('Fractions practice 2', date(MON)),
			must('Summarizing a story', date(WED), 'submitted'),
			must('Quiz: food webs', date(FRI))
		]);
		expect(paceConcerns(who, timeAt(THU, '09:00'))).toEqual([
			expect.objectContaining({
				reason:
					'2 of 3 must-dos due by today not done: Fractions practice 2 (due Mon), Quiz: equivalent fractions (due Tue)'
			})
		]);
	});

	it('names three and counts the rest', () => {
		const who = student(['A', 'B', 'C', 'D', 'E'].map((title) => must(title, date(MON))));
		expect(paceConcerns(who, timeAt(WED, '10:00'))).toMatchObject([
			{ reason: '5 of 5 must-dos due by today not done: A (due Mon), B (due Mon), C (due Mon) and 2 more' }
		]);
	});

	it('counts a pro-rated share of work due later: behind with nothing due yet, it says which are not done', () => {
		// Thursday 14:00: (3 + 5.5 / 6.5) / 5 of the week is gone, so four due Friday are about 3.
		const who = student(
			['Quiz: moon phases', 'Moon phases journal', 'Central idea practice', 'Quiz: central idea'].map((t) =>
				must(t, date(FRI))
			)
		);
		expect(paceConcerns(who, timeAt(THU, '14:00'))).toMatchObject([
			{
				reason:
					'0 of 4 must-dos done this week; by Thursday about 3 would be on pace. Not done: Central idea practice (due Fri), Moon phases journal (due Fri), Quiz: central idea (due Fri) and 1 more'
			}
		]);
		// Monday morning the same work is hardly due: no flag.
		expect(paceConcerns(who, timeAt(MON, '09:00'))).toEqual([]);
	});

	it('keeps the week’s rule for must-dos with no due date', () => {
		const who = student([must('A', null, 'submitted'), must('B', null), must('C', null), must('D', null)]);
		expect(mustDoPace(who.assignments, timeAt(WED, '11:45'))).toMatchObject({
			total: 4,
			done: 1,
			expected: 2
		});
		expect(paceConcerns(who, timeAt(WED, '11:45'))).toHaveLength(1);
	});

	it.each([
		['due today', date(WED), 'due today'],
		['due in three days', date(SAT), 'due Sat'],
		['due this Sunday', '2026-11-29', 'due Sun'],
		['due two days ago', date(MON), 'due Mon'],
		['due next week', NEXT_WED, 'due Dec 2'],
		['due last week', LAST_THU, 'due Nov 19']
	])('says a due date as a teacher would: %s → %s', (_name, dueOn, words) => {
		expect(dueWords(dueOn, timeAt(WED, '10:00'))).toBe(words);
	});
});

describe('behind pace by due dates: properties', () => {
	// Any moment of the week of 23 November (Monday 00:00 to Sunday 23:59, local), any must-dos due
	// from the week before to the week after, some done.
	const weekStart = local(MON, '00:00').getTime();
	const moment = fc.integer({ min: 0, max: 7 * 24 * 60 - 1 }).map((m) => new Date(weekStart + m * 60_000));
	const dueOn = fc.option(
		fc
			.integer({ min: -7, max: 13 })
			.map((d) => new Date(Date.UTC(2026, 10, MON + d)).toISOString().slice(0, 10)),
		{ nil: null }
	);
	const work = fc
		.array(fc.record({ dueOn, done: fc.boolean() }), { maxLength: 10 })
		.map((items) =>
			items.map((item, i) => must(`Work ${i}`, item.dueOn, item.done ? 'submitted' : 'not_started'))
		);
	const daysOff = fc.constantFrom<DayOff[]>([], [THANKSGIVING]);

	it('what is due is between nothing and every must-do, and each must-do counts at most once', () => {
		fc.assert(
			fc.property(work, moment, daysOff, (assignments, now, off) => {
				const pace = mustDoPace(assignments, podTime(pod, now, off));
				expect(pace.expected).toBeGreaterThanOrEqual(0);
				expect(pace.expected).toBeLessThanOrEqual(pace.total + 1e-9);
			})
		);
	});

	it('as the week goes by, more is due, never less', () => {
		fc.assert(
			fc.property(work, moment, moment, daysOff, (assignments, a, b, off) => {
				const [early, late] = a <= b ? [a, b] : [b, a];
				const before = mustDoPace(assignments, podTime(pod, early, off)).expected;
				const after = mustDoPace(assignments, podTime(pod, late, off)).expected;
				expect(after).toBeGreaterThanOrEqual(before - 1e-9);
			})
		);
	});

	it('a later due date never makes more due now', () => {
		fc.assert(
			fc.property(dueOn, fc.integer({ min: 1, max: 10 }), moment, daysOff, (due, days, now, off) => {
				fc.pre(due !== null);
				const later = new Date(Date.parse(`${due}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
				const time = podTime(pod, now, off);
				expect(dueShare(later, time)).toBeLessThanOrEqual(dueShare(due, time) + 1e-9);
			})
		);
	});

	it('work due after this week never flags; work due before today and not done is always named', () => {
		fc.assert(
			fc.property(work, moment, (assignments, now) => {
				const time = podTime(pod, now);
				const nextWeekOnly = assignments.map((a) => ({ ...a, dueOn: NEXT_WED }));
				expect(paceConcerns(student(nextWeekOnly), time)).toEqual([]);
				const [concern] = paceConcerns(student(assignments), time);
				const late = assignments.filter((a) => a.status !== 'submitted' && a.dueOn && a.dueOn <= time.date);
				if (concern && late.length) {
					expect(concern.reason).toMatch(
						new RegExp(`^${late.length} of \\d+ must-dos? due by today not done: `)
					);
					for (const a of late
						.sort((x, y) => x.dueOn!.localeCompare(y.dueOn!) || x.title.localeCompare(y.title))
						.slice(0, 3))
						expect(concern.reason).toContain(a.title);
				}
			})
		);
	});
});
