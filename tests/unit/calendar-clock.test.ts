import { describe, expect, it } from 'vitest';
import { USUAL_WEEK } from '../../src/lib/pods/school-week';
import type { DayOff } from '../../src/lib/server/calendar/school-days';
import { concernsFor, type AssignmentForRules, type StudentForRules } from '../../src/lib/server/flags/rules';
import { DEFAULT_THRESHOLDS } from '../../src/lib/server/flags/thresholds';
import { endOfSchoolDay, podTime, zonedInstant } from '../../src/lib/server/pods/clock';

// Days off on the school's calendar, as the clock and the flag rules see them. A pod in New
// York, school 08:30–15:00 Monday to Friday; Thanksgiving week 2026: Thursday the 26th and
// Friday the 27th are off.
const pod = { timezone: 'America/New_York', school_week: JSON.stringify(USUAL_WEEK) };
const THANKSGIVING: DayOff = { firstDay: '2026-11-26', lastDay: '2026-11-27', name: 'Thanksgiving break' };
const local = (day: number, hhmm: string) => zonedInstant(`2026-11-${day}`, hhmm, pod.timezone);
const at = (day: number, hhmm: string) => local(day, hhmm).toISOString();
const THU = 26;
const WED = 25;
const TUE = 24;

const must = (
	status: AssignmentForRules['status'],
	lastEventAt: string | null = null,
	id = 'a1'
): AssignmentForRules => ({
	id,
	title: 'Fractions practice',
	kind: 'practice',
	priority: 'must',
	status,
	score: null,
	lastEventAt
});
const student = (overrides: Partial<StudentForRules> = {}): StudentForRules => ({
	id: 's1',
	assignments: [],
	handUpSince: null,
	inGroupSession: false,
	...overrides
});

describe('podTime on the school calendar', () => {
	it('a day off has no session, though its weekday has school', () => {
		const time = podTime(pod, local(THU, '10:30'), [THANKSGIVING]);
		expect(time).toMatchObject({
			inSession: false,
			sessionStart: null,
			schoolToday: false,
			dayOff: THANKSGIVING
		});
		expect(podTime(pod, local(THU, '10:30'))).toMatchObject({
			inSession: true,
			schoolToday: true,
			dayOff: null
		});
	});

	it('the week’s share gone by counts only its school days: three days, not five', () => {
		// Wednesday at noon, Thursday and Friday off: two and a half of three days.
		const noon = podTime(pod, local(WED, '11:45'), [THANKSGIVING]);
		expect(noon.weekElapsed).toBeCloseTo(2.5 / 3, 5);
		expect(podTime(pod, local(WED, '11:45')).weekElapsed).toBeCloseTo(2.5 / 5, 5);
		// On the holiday the week stands where Wednesday left it: all of its three days.
		expect(podTime(pod, local(THU, '11:45'), [THANKSGIVING]).weekElapsed).toBe(1);
	});

	it('a week that is all days off goes by at nothing', () => {
		const week: DayOff = { firstDay: '2026-11-23', lastDay: '2026-11-27', name: 'Fall break' };
		expect(podTime(pod, local(WED, '11:45'), [week]).weekElapsed).toBe(0);
	});
});

describe('the flag rules on a day off', () => {
	const holiday = podTime(pod, local(THU, '10:30'), [THANKSGIVING]);
	const schoolDay = podTime(pod, local(THU, '10:30'));
	const rules = (who: StudentForRules, time = holiday) =>
		concernsFor(who, DEFAULT_THRESHOLDS, time).map((c) => [c.rule, c.fresh]);

	it('raises no idle flag for a student quiet since morning', () => {
		const who = student({
			assignments: [must('submitted', at(THU, '09:00')), must('not_started', null, 'a2')]
		});
		expect(rules(who, schoolDay)).toContainEqual(['idle', true]);
		expect(rules(who).filter(([rule]) => rule === 'idle')).toEqual([]);
	});

	it('raises no hand-up flag, and keeps one already open', () => {
		const who = student({ handUpSince: at(THU, '10:00') });
		expect(rules(who, schoolDay)).toEqual([['hand_up', true]]);
		expect(rules(who)).toEqual([['hand_up', false]]);
	});

	it('raises no pace flag, and keeps one already open', () => {
		const who = student({ assignments: [0, 1, 2, 3].map((i) => must('not_started', null, `a${i}`)) });
		expect(rules(who, schoolDay)).toEqual([['behind_pace', true]]);
		expect(rules(who)).toEqual([['behind_pace', false]]);
	});

	it('still flags a tapped “I’m stuck”: the student said so', () => {
		const who = student({ assignments: [must('stuck', at(TUE, '10:00'))] });
		expect(rules(who).filter(([, fresh]) => fresh)).toEqual([['stuck', true]]);
	});
});

describe('a student’s sign-in on a day off', () => {
	it('lasts two hours, not to the end of a school day that is not happening', () => {
		const now = local(THU, '09:00');
		expect(endOfSchoolDay(pod, now, [THANKSGIVING])).toEqual(new Date(now.getTime() + 2 * 3_600_000));
		expect(endOfSchoolDay(pod, now)).toEqual(new Date(local(THU, '15:30').getTime()));
	});
});
