import { describe, expect, it } from 'vitest';
import {
	concernsFor,
	mustDoPace,
	openKey,
	reconcile,
	whyCleared,
	type ActiveFlag,
	type AssignmentForRules,
	type AutoRule,
	type Concern,
	type StudentForRules
} from '../../src/lib/server/flags/rules';
import {
	DEFAULT_THRESHOLDS,
	readThresholds,
	type FlagThresholds
} from '../../src/lib/server/flags/thresholds';
import { podTime, zonedInstant } from '../../src/lib/server/pods/clock';
import { USUAL_WEEK } from '../../src/lib/pods/school-week';

// A pod in New York, school 08:30–15:00. The week of Monday 23 November 2026 (EST, UTC−5):
// Monday is the 23rd, Wednesday the 25th, Saturday the 28th; Friday the 20th is last week.
const pod = { timezone: 'America/New_York', school_week: JSON.stringify(USUAL_WEEK) };
const MON = 23;
const TUE = 24;
const WED = 25;
const FRI_LAST_WEEK = 20;
const SAT = 28;
const SUN = 29;

/** The instant the pod's wall clock shows `hhmm` on that November day. */
const local = (day: number, hhmm: string) => zonedInstant(`2026-11-${day}`, hhmm, pod.timezone);
const at = (day: number, hhmm: string) => local(day, hhmm).toISOString();
const timeAt = (day: number, hhmm: string) => podTime(pod, local(day, hhmm));

const assignment = (overrides: Partial<AssignmentForRules> = {}): AssignmentForRules => ({
	id: 'a1',
	title: 'Fractions practice',
	kind: 'practice',
	priority: 'should',
	status: 'in_progress',
	score: null,
	lastEventAt: null,
	...overrides
});

const student = (overrides: Partial<StudentForRules> = {}): StudentForRules => ({
	id: 's1',
	assignments: [],
	handUpSince: null,
	inGroupSession: false,
	...overrides
});

const thresholds = (overrides: Partial<FlagThresholds> = {}): FlagThresholds => ({
	...DEFAULT_THRESHOLDS,
	...overrides
});

/** The concerns for one rule only, so a case is not disturbed by the others. */
const concernsOf = (
	rule: AutoRule,
	who: StudentForRules,
	time = timeAt(WED, '10:30'),
	limits = thresholds()
) => concernsFor(who, limits, time).filter((c) => c.rule === rule);

describe('podTime', () => {
	it.each([
		['a weekday mid-morning', WED, '10:00', true],
		['the minute school starts', WED, '08:30', true],
		['just before school', WED, '08:29', false],
		['the minute school ends', WED, '15:00', false],
		['a weekday evening', WED, '19:00', false],
		['Saturday mid-morning', SAT, '10:00', false],
		['Sunday mid-morning', SUN, '10:00', false]
	])('%s (%s %s) → in session: %s', (_name, day, hhmm, inSession) => {
		expect(timeAt(day, hhmm).inSession).toBe(inSession);
	});

	it.each([
		['mid-morning', WED, '10:00', '2026-11-25T13:30:00.000Z'],
		['after school: today’s session still began at 08:30', WED, '19:00', '2026-11-25T13:30:00.000Z'],
		['before school', WED, '07:00', '2026-11-25T13:30:00.000Z'],
		['Saturday: no school', SAT, '10:00', null],
		['Sunday: no school', SUN, '10:00', null]
	])('%s: sessionStart is %s', (_name, day, hhmm, sessionStart) => {
		expect(timeAt(day, hhmm).sessionStart?.toISOString() ?? null).toBe(sessionStart);
	});

	it.each([
		['Monday before school', MON, '07:00'],
		['Monday mid-morning', MON, '10:00'],
		['Wednesday', WED, '11:45'],
		['Saturday', SAT, '10:00'],
		['Sunday', SUN, '22:00']
	])('%s: the week began Monday 08:30 local', (_name, day, hhmm) => {
		expect(timeAt(day, hhmm).weekStart.toISOString()).toBe('2026-11-23T13:30:00.000Z');
	});

	it('keeps the week’s start in local time across a change of offset', () => {
		// Summer: EDT, UTC−4.
		expect(podTime(pod, new Date('2026-06-10T15:00:00Z')).weekStart.toISOString()).toBe(
			'2026-06-08T12:30:00.000Z'
		);
	});

	it.each([
		['Monday before school', MON, '07:00', 0],
		['Monday at the bell', MON, '08:30', 0],
		['Monday at the end of school', MON, '15:00', 0.2],
		['Tuesday at the end of school', TUE, '15:00', 0.4],
		['Wednesday at 11:45: (2 + 0.5) / 5', WED, '11:45', 0.5],
		['Wednesday before school', WED, '07:00', 0.4],
		['Saturday', SAT, '10:00', 1],
		['Sunday', SUN, '10:00', 1]
	])('%s → weekElapsed %s', (_name, day, hhmm, weekElapsed) => {
		expect(timeAt(day, hhmm).weekElapsed).toBeCloseTo(weekElapsed, 10);
	});

	it.each([
		[MON, 'Monday'],
		[WED, 'Wednesday'],
		[SAT, 'Saturday'],
		[SUN, 'Sunday']
	])('November %s is a %s', (day, dayName) => {
		expect(timeAt(day, '10:00').dayName).toBe(dayName);
	});

	it.each([
		['a morning', '2026-11-25T15:12:00.000Z', '10:12'],
		['an afternoon, on a 24-hour clock', '2026-11-25T18:05:00.000Z', '13:05'],
		['noon', '2026-11-25T17:00:00.000Z', '12:00'],
		['midnight', '2026-11-25T05:00:00.000Z', '00:00'],
		['last Saturday evening, with its day', '2026-11-22T00:23:00.000Z', 'Sat 19:23'],
		['yesterday, late (UTC has moved on to today)', '2026-11-25T03:30:00.000Z', 'Tue 22:30'],
		['a time in summer (EDT), with its date', '2026-06-10T14:12:00.000Z', 'Jun 10 10:12']
	])('clock shows %s as the pod’s wall clock: %s → %s', (_name, instant, shown) => {
		expect(timeAt(WED, '10:00').clock(instant)).toBe(shown);
	});

	it('keeps the instant it was asked about', () => {
		const now = local(WED, '10:00');
		expect(podTime(pod, now).now).toBe(now);
	});
});

describe('readThresholds', () => {
	it.each([
		['nothing saved', '{}'],
		['broken JSON', '{"stuckMinutes": '],
		['an empty string', ''],
		['null', 'null'],
		['a bare number', '42'],
		['a stuck limit of 0 minutes', '{"stuckMinutes": 0}'],
		['a stuck limit in words', '{"stuckMinutes": "twenty"}'],
		['an idle limit over 240 minutes', '{"idleMinutes": 500}'],
		['a hand-up limit that is not whole', '{"handUpMinutes": 2.5}'],
		['a pace share over 1', '{"behindPaceRatio": 2}'],
		['a low-score line over 100%', '{"lowScorePercent": {"practice": 150}}'],
		['low-score lines that are not an object', '{"lowScorePercent": 60}']
	])('%s → the defaults', (_name, stored) => {
		expect(readThresholds(stored)).toEqual(DEFAULT_THRESHOLDS);
	});

	it.each<[string, string, FlagThresholds]>([
		['a saved stuck limit', '{"stuckMinutes": 15}', { ...DEFAULT_THRESHOLDS, stuckMinutes: 15 }],
		[
			'saved low-score lines replace the defaults’ (kinds not listed never flag)',
			'{"lowScorePercent": {"lesson": 50}}',
			{ ...DEFAULT_THRESHOLDS, lowScorePercent: { lesson: 50 } }
		],
		[
			'every setting saved',
			JSON.stringify({
				stuckMinutes: 30,
				idleMinutes: 15,
				lowScorePercent: { assessment: 80 },
				behindPaceRatio: 0.5,
				handUpMinutes: 3,
				noContactMinutes: 60,
				helpAvoidanceTimes: 3,
				streakResults: 4,
				selfReportedScoresCount: true,
				masteryLevels: { practicing: 30, proficient: 60, mastered: 90 }
			}),
			{
				stuckMinutes: 30,
				idleMinutes: 15,
				lowScorePercent: { assessment: 80 },
				behindPaceRatio: 0.5,
				handUpMinutes: 3,
				noContactMinutes: 60,
				helpAvoidanceTimes: 3,
				streakResults: 4,
				selfReportedScoresCount: true,
				masteryLevels: { practicing: 30, proficient: 60, mastered: 90 }
			}
		],
		[
			'mastery levels out of order keep the defaults',
			'{"masteryLevels": {"practicing": 70, "proficient": 60, "mastered": 90}}',
			DEFAULT_THRESHOLDS
		],
		[
			'a setting that no longer exists is dropped',
			'{"idleMinutes": 12, "sparkles": true}',
			{ ...DEFAULT_THRESHOLDS, idleMinutes: 12 }
		]
	])('%s', (_name, stored, expected) => {
		expect(readThresholds(stored)).toEqual(expected);
	});
});

describe('openKey', () => {
	it.each([
		['s1', 'stuck', 'a1', 's1|stuck|a1'],
		['s1', 'idle', null, 's1|idle|'],
		['s2', 'manual', null, 's2|manual|']
	] as const)('%s × %s × %s → %s', (studentId, rule, assignmentId, key) => {
		expect(openKey(studentId, rule, assignmentId)).toBe(key);
	});
});

describe('concernsFor: stuck', () => {
	it.each([
		['in session', WED, '10:30', '10:12'],
		['after school', WED, '19:00', '10:12'],
		['on a Saturday, with the day it was', SAT, '10:00', 'Wed 10:12']
	])('a tapped “I’m stuck” flags %s', (_name, day, hhmm, when) => {
		const who = student({
			assignments: [assignment({ status: 'stuck', lastEventAt: at(WED, '10:12') })]
		});
		expect(concernsOf('stuck', who, timeAt(day, hhmm))).toEqual([
			{
				rule: 'stuck',
				assignmentId: 'a1',
				reason: `Tapped “I’m stuck” on Fractions practice at ${when}`,
				since: at(WED, '10:12'),
				fresh: true
			}
		]);
	});

	it('a tapped “I’m stuck” shows the afternoon time on a 24-hour clock', () => {
		const who = student({
			assignments: [assignment({ title: 'Decimals', status: 'stuck', lastEventAt: at(WED, '13:05') })]
		});
		expect(concernsOf('stuck', who, timeAt(WED, '13:30'))[0].reason).toBe(
			'Tapped “I’m stuck” on Decimals at 13:05'
		);
	});

	it('flags in progress with nothing since, once the stuck limit has passed', () => {
		const who = student({ assignments: [assignment({ lastEventAt: at(WED, '10:10') })] });
		expect(concernsOf('stuck', who, timeAt(WED, '10:30'))).toEqual([
			{
				rule: 'stuck',
				assignmentId: 'a1',
				reason: 'In progress on Fractions practice, nothing since 10:10',
				since: at(WED, '10:10'),
				fresh: true
			}
		]);
	});

	it.each<[string, StudentForRules, ReturnType<typeof podTime>, FlagThresholds?]>([
		[
			'quiet one minute short of the limit',
			student({ assignments: [assignment({ lastEventAt: at(WED, '10:11') })] }),
			timeAt(WED, '10:30')
		],
		[
			'quiet short of a pod’s longer limit',
			student({ assignments: [assignment({ lastEventAt: at(WED, '10:00') })] }),
			timeAt(WED, '10:30'),
			thresholds({ stuckMinutes: 45 })
		],
		[
			'in progress with a teacher in a small group',
			student({ assignments: [assignment({ kind: 'small_group', lastEventAt: at(WED, '09:00') })] }),
			timeAt(WED, '10:30')
		],
		[
			'in progress on offline work',
			student({ assignments: [assignment({ kind: 'offline', lastEventAt: at(WED, '09:00') })] }),
			timeAt(WED, '10:30')
		],
		[
			'in progress, but not the current activity (a later one was submitted)',
			student({
				assignments: [
					assignment({ id: 'a1', lastEventAt: at(WED, '09:00') }),
					assignment({ id: 'a2', status: 'submitted', lastEventAt: at(WED, '09:05') })
				]
			}),
			timeAt(WED, '10:30')
		],
		[
			'in progress, but in a group session',
			student({
				inGroupSession: true,
				assignments: [assignment({ lastEventAt: at(WED, '09:00') })]
			}),
			timeAt(WED, '10:30')
		],
		[
			'in progress, but with a hand up',
			student({
				handUpSince: at(WED, '10:28'),
				assignments: [assignment({ lastEventAt: at(WED, '09:00') })]
			}),
			timeAt(WED, '10:30')
		],
		[
			'quiet since school ended',
			student({ assignments: [assignment({ lastEventAt: at(WED, '14:30') })] }),
			timeAt(WED, '19:00')
		],
		[
			'on a Saturday',
			student({ assignments: [assignment({ lastEventAt: at(SAT, '09:00') })] }),
			timeAt(SAT, '10:30')
		],
		[
			'in progress since yesterday, nothing today',
			student({ assignments: [assignment({ lastEventAt: at(TUE, '14:00') })] }),
			timeAt(WED, '10:30')
		],
		[
			'in progress since before school today',
			student({ assignments: [assignment({ lastEventAt: at(WED, '08:00') })] }),
			timeAt(WED, '10:30')
		]
	])('does not flag stuck: %s', (_name, who, time, limits = thresholds()) => {
		expect(concernsOf('stuck', who, time, limits)).toEqual([]);
	});
});

describe('concernsFor: idle', () => {
	it('flags a student between activities once the idle limit has passed', () => {
		const who = student({
			assignments: [
				assignment({ id: 'a1', status: 'submitted', lastEventAt: at(WED, '10:20') }),
				assignment({ id: 'a2', status: 'not_started' })
			]
		});
		expect(concernsOf('idle', who, timeAt(WED, '10:30'))).toEqual([
			{
				rule: 'idle',
				assignmentId: null,
				reason: 'Nothing on their playlist since 10:20',
				since: at(WED, '10:20'),
				fresh: true
			}
		]);
	});

	it('flags after mastering the last activity too', () => {
		const who = student({
			assignments: [assignment({ status: 'mastered', score: 90, lastEventAt: at(WED, '10:00') })]
		});
		expect(concernsOf('idle', who, timeAt(WED, '10:30'))).toHaveLength(1);
	});

	it.each<[string, StudentForRules, ReturnType<typeof podTime>]>([
		[
			'between activities one minute short of the limit',
			student({ assignments: [assignment({ status: 'submitted', lastEventAt: at(WED, '10:21') })] }),
			timeAt(WED, '10:30')
		],
		[
			'no events at all',
			student({ assignments: [assignment({ status: 'not_started' })] }),
			timeAt(WED, '10:30')
		],
		[
			'nothing yet today (last event yesterday)',
			student({ assignments: [assignment({ status: 'submitted', lastEventAt: at(TUE, '14:00') })] }),
			timeAt(WED, '10:30')
		],
		[
			'after school',
			student({ assignments: [assignment({ status: 'submitted', lastEventAt: at(WED, '14:30') })] }),
			timeAt(WED, '19:00')
		],
		[
			'in a group session',
			student({
				inGroupSession: true,
				assignments: [assignment({ status: 'submitted', lastEventAt: at(WED, '10:00') })]
			}),
			timeAt(WED, '10:30')
		],
		[
			'with a hand up',
			student({
				handUpSince: at(WED, '10:28'),
				assignments: [assignment({ status: 'submitted', lastEventAt: at(WED, '10:00') })]
			}),
			timeAt(WED, '10:30')
		],
		[
			'marked absent today',
			student({
				absentToday: true,
				assignments: [assignment({ status: 'submitted', lastEventAt: at(WED, '10:00') })]
			}),
			timeAt(WED, '10:30')
		],
		[
			'still in progress (that is for stuck)',
			student({ assignments: [assignment({ lastEventAt: at(WED, '10:00') })] }),
			timeAt(WED, '10:30')
		],
		[
			'having tapped “I’m stuck” (that is for stuck)',
			student({ assignments: [assignment({ status: 'stuck', lastEventAt: at(WED, '10:00') })] }),
			timeAt(WED, '10:30')
		]
	])('does not flag idle: %s', (_name, who, time) => {
		expect(concernsOf('idle', who, time)).toEqual([]);
	});
});

describe('concernsFor: low_score', () => {
	const scored = (
		kind: AssignmentForRules['kind'],
		score: number,
		overrides: Partial<AssignmentForRules> = {}
	) =>
		student({
			assignments: [
				assignment({
					kind,
					score,
					scoreSource: 'teacher',
					status: 'submitted',
					lastEventAt: at(WED, '10:00'),
					...overrides
				})
			]
		});

	it.each<[string, StudentForRules, FlagThresholds, string]>([
		[
			'practice under its 60% line',
			scored('practice', 55),
			thresholds(),
			'Scored 55% on Fractions practice (under 60%)'
		],
		[
			'an assessment under its 70% line',
			scored('assessment', 65),
			thresholds(),
			'Scored 65% on Fractions practice (under 70%)'
		],
		[
			'a lesson, when the pod set a line for lessons',
			scored('lesson', 40),
			thresholds({ lowScorePercent: { lesson: 50 } }),
			'Scored 40% on Fractions practice (under 50%)'
		],
		[
			'mastered, but under a pod’s higher line',
			scored('assessment', 85, { status: 'mastered' }),
			thresholds({ lowScorePercent: { assessment: 90 } }),
			'Scored 85% on Fractions practice (under 90%)'
		]
	])('flags %s', (_name, who, limits, reason) => {
		expect(concernsOf('low_score', who, timeAt(WED, '10:30'), limits)).toEqual([
			{ rule: 'low_score', assignmentId: 'a1', reason, since: at(WED, '10:00'), fresh: true }
		]);
	});

	it.each<[string, StudentForRules, FlagThresholds?]>([
		['practice exactly on its line', scored('practice', 60)],
		['an assessment exactly on its line', scored('assessment', 70)],
		['a lesson: not listed, never flags', scored('lesson', 10)],
		['a project: not listed, never flags', scored('project', 10)],
		['small-group work: not listed, never flags', scored('small_group', 10)],
		[
			'practice, when the pod’s lines leave practice out',
			scored('practice', 10),
			thresholds({ lowScorePercent: { assessment: 70 } })
		],
		['a score on work not done (retrying)', scored('practice', 40, { status: 'in_progress' })],
		[
			'done without a score',
			student({ assignments: [assignment({ status: 'submitted', lastEventAt: at(WED, '10:00') })] })
		]
	])('does not flag %s', (_name, who, limits = thresholds()) => {
		expect(concernsOf('low_score', who, timeAt(WED, '10:30'), limits)).toEqual([]);
	});

	it('believes a self-reported score only where the pod counts them', () => {
		const typed = scored('practice', 40, { scoreSource: 'self' });
		// Not counted: it raises nothing, and keeps open a flag a verified score raised.
		expect(concernsOf('low_score', typed, timeAt(WED, '10:30'))).toMatchObject([{ fresh: false }]);
		expect(
			concernsOf('low_score', typed, timeAt(WED, '10:30'), thresholds({ selfReportedScoresCount: true }))
		).toEqual([
			{
				rule: 'low_score',
				assignmentId: 'a1',
				reason: 'Scored 40% on Fractions practice (under 60%, self-reported)',
				since: at(WED, '10:00'),
				fresh: true
			}
		]);
		// A high self-reported score does not clear a low verified one where it does not count.
		const raisedByTeacher: ActiveFlag = { id: 'f1', studentId: 's1', rule: 'low_score', assignmentId: 'a1' };
		const high = scored('practice', 95, { scoreSource: 'self' });
		const concerns = new Map([['s1', concernsFor(high, thresholds(), timeAt(WED, '10:30'))]]);
		expect(reconcile([high], concerns, [raisedByTeacher], new Map(), timeAt(WED, '10:30')).clear).toEqual([]);
		const counted = new Map([
			['s1', concernsFor(high, thresholds({ selfReportedScoresCount: true }), timeAt(WED, '10:30'))]
		]);
		expect(reconcile([high], counted, [raisedByTeacher], new Map(), timeAt(WED, '10:30')).clear).toEqual([
			{ flagId: raisedByTeacher.id, studentId: 's1', note: 'Cleared by itself: now 95%, self-reported' }
		]);
	});

	it.each([
		['last week', at(FRI_LAST_WEEK, '10:00'), false],
		// The week begins at Monday's midnight, not its bell: a score sent before school is this week's.
		['a minute before this week began (Sunday 23:59)', at(MON - 1, '23:59'), false],
		['the minute this week began (Monday 00:00)', at(MON, '00:00'), true],
		['Monday before the bell', at(MON, '07:00'), true],
		['this week', at(TUE, '10:00'), true]
	])('a score from %s is fresh: %s', (_name, lastEventAt, fresh) => {
		const who = scored('practice', 40, { lastEventAt });
		expect(concernsOf('low_score', who, timeAt(WED, '10:30'))).toMatchObject([{ since: lastEventAt, fresh }]);
	});
});

describe('mustDoPace', () => {
	// Wednesday 11:45: half the week's session time is gone.
	const wednesday = timeAt(WED, '11:45');
	const must = (status: AssignmentForRules['status'], lastEventAt: string | null = null) =>
		assignment({ priority: 'must', status, lastEventAt });

	it.each<[string, AssignmentForRules[], { total: number; done: number; expected: number }]>([
		['no must-dos', [], { total: 0, done: 0, expected: 0 }],
		[
			'four open must-dos',
			[
				must('not_started'),
				must('not_started'),
				must('in_progress', at(TUE, '10:00')),
				must('stuck', at(TUE, '11:00'))
			],
			{ total: 4, done: 0, expected: 2 }
		],
		[
			'two of four done this week',
			[
				must('submitted', at(MON, '10:00')),
				must('mastered', at(TUE, '10:00')),
				must('not_started'),
				must('not_started')
			],
			{ total: 4, done: 2, expected: 2 }
		],
		[
			'a must-do done before this week does not count',
			[must('submitted', at(FRI_LAST_WEEK, '14:00')), must('not_started'), must('not_started')],
			{ total: 2, done: 0, expected: 1 }
		],
		[
			'a must-do open since last week still counts',
			[must('in_progress', at(FRI_LAST_WEEK, '14:00')), must('not_started')],
			{ total: 2, done: 0, expected: 1 }
		],
		[
			'should and aspire work does not count',
			[
				assignment({ priority: 'should', status: 'submitted', lastEventAt: at(TUE, '10:00') }),
				assignment({ priority: 'aspire', status: 'not_started' }),
				must('not_started'),
				must('not_started')
			],
			{ total: 2, done: 0, expected: 1 }
		]
	])('%s', (_name, assignments, pace) => {
		// Must-dos with no due date keep the week's pace.
		expect(mustDoPace(assignments, wednesday)).toMatchObject(pace);
	});
});

describe('concernsFor: behind_pace', () => {
	const musts = (done: number, open: number) =>
		student({
			assignments: [
				...Array.from({ length: done }, (_, i) =>
					assignment({ id: `done${i}`, priority: 'must', status: 'submitted', lastEventAt: at(TUE, '10:00') })
				),
				...Array.from({ length: open }, (_, i) =>
					assignment({ id: `open${i}`, priority: 'must', status: 'not_started' })
				)
			]
		});

	it('raises no pace flag for a student marked absent today, but keeps an open one open', () => {
		const absent = { ...musts(1, 3), absentToday: true };
		expect(concernsOf('behind_pace', absent, timeAt(WED, '11:45'))).toMatchObject([{ fresh: false }]);
	});

	it('raises no stuck flag from the clock for a student marked absent today', () => {
		const who = student({ absentToday: true, assignments: [assignment({ lastEventAt: at(WED, '09:00') })] });
		expect(concernsOf('stuck', who, timeAt(WED, '10:30'))).toEqual([]);
		expect(concernsOf('stuck', { ...who, absentToday: false }, timeAt(WED, '10:30'))).toHaveLength(1);
	});

	it('flags fewer must-dos done than the share of the week calls for', () => {
		// Wednesday 11:45: 4 × 0.5 = 2 expected; 1 is under 2 × 0.7.
		expect(concernsOf('behind_pace', musts(1, 3), timeAt(WED, '11:45'))).toEqual([
			{
				rule: 'behind_pace',
				assignmentId: null,
				reason:
					'1 of 4 must-dos done this week; by Wednesday about 2 would be on pace. Not done: Fractions practice, Fractions practice, Fractions practice',
				since: '2026-11-23T13:30:00.000Z',
				fresh: true
			}
		]);
	});

	it.each<[string, StudentForRules, ReturnType<typeof podTime>, FlagThresholds?]>([
		['on pace', musts(2, 2), timeAt(WED, '11:45')],
		[
			'under pace, but within the pod’s ratio',
			musts(1, 3),
			timeAt(WED, '11:45'),
			thresholds({ behindPaceRatio: 0.5 })
		],
		['less than one must-do due yet (Monday morning)', musts(0, 4), timeAt(MON, '09:00')],
		['no must-dos', musts(0, 0), timeAt(WED, '11:45')]
	])('does not flag: %s', (_name, who, time, limits = thresholds()) => {
		expect(concernsOf('behind_pace', who, time, limits)).toEqual([]);
	});

	it('does not let must-dos done last week make up for this week', () => {
		// Three done last week, four open: still 0 of 4 this week, not 3 of 7.
		const who = student({
			assignments: [
				...musts(0, 4).assignments,
				...Array.from({ length: 3 }, (_, i) =>
					assignment({
						id: `old${i}`,
						priority: 'must',
						status: 'submitted',
						lastEventAt: at(FRI_LAST_WEEK, '10:00')
					})
				)
			]
		});
		expect(concernsOf('behind_pace', who, timeAt(WED, '11:45'))).toMatchObject([
			{
				reason: expect.stringMatching(
					/^0 of 4 must-dos done this week; by Wednesday about 2 would be on pace\. Not done: /
				)
			}
		]);
	});
});

describe('concernsFor: hand_up', () => {
	it.each([
		['up for the hand-up limit', '10:25', 1],
		['up longer', '10:00', 1],
		['up one minute short of the limit', '10:26', 0]
	])('a hand %s → %s flag(s)', (_name, since, count) => {
		const who = student({ handUpSince: at(WED, since) });
		expect(concernsOf('hand_up', who, timeAt(WED, '10:30'))).toHaveLength(count);
	});

	it('says since when nobody has come', () => {
		const who = student({ handUpSince: at(WED, '10:25') });
		expect(concernsOf('hand_up', who, timeAt(WED, '10:30'))).toEqual([
			{
				rule: 'hand_up',
				assignmentId: null,
				reason: 'Hand up since 10:25 and nobody has come yet',
				since: at(WED, '10:25'),
				fresh: true
			}
		]);
	});

	it('honours the pod’s own limit', () => {
		const who = student({ handUpSince: at(WED, '10:25') });
		expect(concernsOf('hand_up', who, timeAt(WED, '10:30'), thresholds({ handUpMinutes: 10 }))).toEqual([]);
	});

	it('has nothing to say about a student with nothing going on', () => {
		expect(concernsFor(student(), thresholds(), timeAt(WED, '10:30'))).toEqual([]);
	});
});

describe('reconcile', () => {
	const now = timeAt(WED, '10:30');
	const concern = (overrides: Partial<Concern> = {}): Concern => ({
		rule: 'stuck',
		assignmentId: 'a1',
		reason: 'Tapped “I’m stuck” on Fractions practice at 10:12',
		since: at(WED, '10:12'),
		fresh: true,
		...overrides
	});
	const flag = (overrides: Partial<ActiveFlag> = {}): ActiveFlag => ({
		id: 'f1',
		studentId: 's1',
		rule: 'stuck',
		assignmentId: 'a1',
		...overrides
	});
	const stuckOnA1 = student({
		assignments: [assignment({ status: 'stuck', lastEventAt: at(WED, '10:12') })]
	});

	it.each<[string, Concern, ActiveFlag[], [string, string][], boolean]>([
		['a new fresh concern', concern(), [], [], true],
		['a concern that is not fresh', concern({ fresh: false }), [], [], false],
		['a concern whose flag is already open', concern(), [flag()], [], false],
		['a concern whose open flag is for other work', concern(), [flag({ assignmentId: 'a2' })], [], true],
		['a concern resolved after its cause began', concern(), [], [['s1|stuck|a1', at(WED, '10:20')]], false],
		[
			'a concern resolved the moment its cause began',
			concern(),
			[],
			[['s1|stuck|a1', at(WED, '10:12')]],
			false
		],
		[
			'a cause that began after the last resolution',
			concern(),
			[],
			[['s1|stuck|a1', at(WED, '10:00')]],
			true
		],
		['a resolution of other work', concern(), [], [['s1|stuck|a2', at(WED, '10:20')]], true],
		['a resolution of another rule', concern(), [], [['s1|low_score|a1', at(WED, '10:20')]], true]
	])('%s → raised: %s', (_name, c, active, resolved, raised) => {
		const { raise } = reconcile([stuckOnA1], new Map([['s1', [c]]]), active, new Map(resolved), now);
		expect(raise).toEqual(raised ? [{ ...c, studentId: 's1' }] : []);
	});

	it('raises for each student their own concerns', () => {
		const idle = concern({
			rule: 'idle',
			assignmentId: null,
			reason: 'Nothing on their playlist since 10:12'
		});
		const { raise } = reconcile(
			[student({ id: 's1' }), student({ id: 's2' })],
			new Map([
				['s1', [concern()]],
				['s2', [idle]]
			]),
			[],
			new Map(),
			now
		);
		expect(raise).toEqual([
			{ ...concern(), studentId: 's1' },
			{ ...idle, studentId: 's2' }
		]);
	});

	it('keeps an open flag open while its concern holds, and does not raise it twice', () => {
		expect(reconcile([stuckOnA1], new Map([['s1', [concern()]]]), [flag()], new Map(), now)).toEqual({
			raise: [],
			clear: []
		});
	});

	it('keeps last week’s low score flagged until a teacher resolves it, without raising it anew', () => {
		const who = student({
			assignments: [
				assignment({
					kind: 'practice',
					status: 'submitted',
					score: 40,
					scoreSource: 'teacher',
					lastEventAt: at(FRI_LAST_WEEK, '10:00')
				})
			]
		});
		const concerns = new Map([['s1', concernsFor(who, thresholds(), now)]]);
		expect(reconcile([who], concerns, [flag({ rule: 'low_score' })], new Map(), now)).toEqual({
			raise: [],
			clear: []
		});
		expect(reconcile([who], concerns, [], new Map(), now).raise).toEqual([]);
	});

	it('clears a flag whose concern is gone', () => {
		const { clear } = reconcile([stuckOnA1], new Map([['s1', []]]), [flag()], new Map(), now);
		expect(clear).toEqual([
			{ flagId: 'f1', studentId: 's1', note: expect.stringMatching(/^Cleared by itself: /) }
		]);
	});

	it('leaves alone the flags of students it was not asked about', () => {
		const { clear } = reconcile(
			[stuckOnA1],
			new Map([['s1', []]]),
			[flag({ studentId: 's9' })],
			new Map(),
			now
		);
		expect(clear).toEqual([]);
	});

	// The self-clearing case: stuck on some work, then the student submits it.
	it.each([
		['submitted', 'submitted', 55],
		['mastered', 'mastered', 95]
	] as const)('clears a stuck flag once the work is %s, and says so', (_name, status, score) => {
		const who = student({ assignments: [assignment({ status, score, lastEventAt: at(WED, '10:25') })] });
		const time = timeAt(WED, '10:30');
		const concerns = new Map([['s1', concernsFor(who, thresholds(), time)]]);
		expect(reconcile([who], concerns, [flag()], new Map(), time).clear).toEqual([
			{ flagId: 'f1', studentId: 's1', note: `Cleared by itself: ${status} at 10:25` }
		]);
	});

	it('clears a time-based stuck flag when the student is working again', () => {
		const who = student({ assignments: [assignment({ lastEventAt: at(WED, '10:28') })] });
		const time = timeAt(WED, '10:30');
		const concerns = new Map([['s1', concernsFor(who, thresholds(), time)]]);
		expect(reconcile([who], concerns, [flag()], new Map(), time)).toEqual({
			raise: [],
			clear: [{ flagId: 'f1', studentId: 's1', note: 'Cleared by itself: working again at 10:28' }]
		});
	});

	it('clears an idle flag and raises stuck for the same quiet student', () => {
		// Quiet for 25 minutes on work in progress: not idle any more (that was between activities), stuck.
		const who = student({ assignments: [assignment({ lastEventAt: at(WED, '10:05') })] });
		const time = timeAt(WED, '10:30');
		const concerns = new Map([['s1', concernsFor(who, thresholds(), time)]]);
		const { raise, clear } = reconcile(
			[who],
			concerns,
			[flag({ rule: 'idle', assignmentId: null })],
			new Map(),
			time
		);
		expect(raise).toMatchObject([{ rule: 'stuck', assignmentId: 'a1', studentId: 's1' }]);
		expect(clear).toEqual([
			{ flagId: 'f1', studentId: 's1', note: 'Cleared by itself: back to work at 10:05' }
		]);
	});
});

describe('whyCleared', () => {
	const inSession = timeAt(WED, '10:30');
	const afterSchool = timeAt(WED, '19:00');

	it.each<[string, ActiveFlag, StudentForRules, ReturnType<typeof podTime>, string]>([
		[
			'stuck, work submitted',
			{ id: 'f1', studentId: 's1', rule: 'stuck', assignmentId: 'a1' },
			student({ assignments: [assignment({ status: 'submitted', lastEventAt: at(WED, '10:12') })] }),
			inSession,
			'Cleared by itself: submitted at 10:12'
		],
		[
			'stuck, work mastered',
			{ id: 'f1', studentId: 's1', rule: 'stuck', assignmentId: 'a1' },
			student({
				assignments: [assignment({ status: 'mastered', score: 90, lastEventAt: at(WED, '13:05') })]
			}),
			afterSchool,
			'Cleared by itself: mastered at 13:05'
		],
		[
			'stuck, still in progress when school is out',
			{ id: 'f1', studentId: 's1', rule: 'stuck', assignmentId: 'a1' },
			student({ assignments: [assignment({ lastEventAt: at(WED, '14:00') })] }),
			afterSchool,
			'Cleared by itself: the session ended'
		],
		[
			'stuck, working again',
			{ id: 'f1', studentId: 's1', rule: 'stuck', assignmentId: 'a1' },
			student({ assignments: [assignment({ lastEventAt: at(WED, '10:25') })] }),
			inSession,
			'Cleared by itself: working again at 10:25'
		],
		[
			'stuck on work taken off the playlist',
			{ id: 'f1', studentId: 's1', rule: 'stuck', assignmentId: 'gone' },
			student({ assignments: [assignment()] }),
			inSession,
			'Cleared by itself: no longer on the playlist'
		],
		[
			'low score, resubmitted',
			{ id: 'f1', studentId: 's1', rule: 'low_score', assignmentId: 'a1' },
			student({ assignments: [assignment({ status: 'mastered', score: 85, scoreSource: 'teacher' })] }),
			inSession,
			'Cleared by itself: now 85%, marked by a teacher'
		],
		[
			'low score taken back',
			{ id: 'f1', studentId: 's1', rule: 'low_score', assignmentId: 'a1' },
			student({ assignments: [assignment({ status: 'submitted', score: null })] }),
			inSession,
			'Cleared by itself: the score was taken back'
		],
		[
			'idle when school is out',
			{ id: 'f1', studentId: 's1', rule: 'idle', assignmentId: null },
			student({ assignments: [assignment({ status: 'submitted', lastEventAt: at(WED, '14:30') })] }),
			afterSchool,
			'Cleared by itself: the session ended'
		],
		[
			'idle, now with a teacher',
			{ id: 'f1', studentId: 's1', rule: 'idle', assignmentId: null },
			student({ inGroupSession: true }),
			inSession,
			'Cleared by itself: with a teacher in a group'
		],
		[
			'idle, back to work',
			{ id: 'f1', studentId: 's1', rule: 'idle', assignmentId: null },
			student({
				assignments: [
					assignment({ id: 'a1', status: 'submitted', lastEventAt: at(WED, '10:00') }),
					assignment({ id: 'a2', lastEventAt: at(WED, '10:27') })
				]
			}),
			inSession,
			'Cleared by itself: back to work at 10:27'
		],
		[
			'behind pace, caught up',
			{ id: 'f1', studentId: 's1', rule: 'behind_pace', assignmentId: null },
			student({
				assignments: [
					assignment({ id: 'a1', priority: 'must', status: 'submitted', lastEventAt: at(TUE, '10:00') }),
					assignment({ id: 'a2', priority: 'must', status: 'not_started' })
				]
			}),
			inSession,
			'Cleared by itself: 1 of 2 must-dos done, on pace'
		],
		[
			'hand up, taken or put down',
			{ id: 'f1', studentId: 's1', rule: 'hand_up', assignmentId: null },
			student(),
			inSession,
			'Cleared by itself: a teacher took it, or the hand is down'
		]
	])('%s', (_name, flag, who, time, note) => {
		expect(whyCleared(flag, who, time)).toBe(note);
	});
});

describe('concernsFor: the team’s own rules', () => {
	const on = thresholds({ noContactMinutes: 60, helpAvoidanceTimes: 3, streakResults: 3 });

	it('are all off until the lead sets them', () => {
		const who = student({
			assignments: [assignment({ troubles: 5 })],
			recentResults: [80, 90, 95].map((percent, i) => ({ title: 'Quiz', percent, at: at(TUE, `10:0${i}`) }))
		});
		const rules = concernsFor(who, thresholds(), timeAt(WED, '14:00')).map((c) => c.rule);
		expect(rules).not.toContain('no_contact');
		expect(rules).not.toContain('help_avoidance');
		expect(rules).not.toContain('on_streak');
	});

	it('flags no adult contact this far into the school day, from the bell or the last contact', () => {
		expect(concernsOf('no_contact', student(), timeAt(WED, '10:30'), on)).toEqual([
			{
				rule: 'no_contact',
				assignmentId: null,
				reason: 'No adult contact today since school began at 08:30 (120 min)',
				since: at(WED, '08:30'),
				fresh: true
			}
		]);
		expect(
			concernsOf('no_contact', student({ lastContactToday: at(WED, '09:00') }), timeAt(WED, '10:30'), on)
		).toMatchObject([{ reason: 'No adult since 09:00 (90 min)' }]);
		expect(
			concernsOf('no_contact', student({ lastContactToday: at(WED, '10:00') }), timeAt(WED, '10:30'), on)
		).toEqual([]);
		expect(concernsOf('no_contact', student({ absentToday: true }), timeAt(WED, '10:30'), on)).toEqual([]);
		expect(concernsOf('no_contact', student(), timeAt(WED, '19:00'), on)).toEqual([]);
	});

	it('flags trouble again and again on one activity with no hand raised for it', () => {
		const troubled = (troubles: number, handRaised = false) =>
			student({ assignments: [assignment({ troubles, handRaised })] });
		expect(concernsOf('help_avoidance', troubled(3), timeAt(WED, '10:30'), on)).toMatchObject([
			{
				assignmentId: 'a1',
				reason: 'Stuck or scoring low 3 times on Fractions practice this week, and no hand raised for it'
			}
		]);
		expect(concernsOf('help_avoidance', troubled(2), timeAt(WED, '10:30'), on)).toEqual([]);
		expect(concernsOf('help_avoidance', troubled(4, true), timeAt(WED, '10:30'), on)).toEqual([]);
	});

	it('celebrates the latest results all at proficient or better, and only those', () => {
		const results = (...percents: number[]) =>
			student({
				recentResults: percents.map((percent, i) => ({
					title: `Quiz ${i + 1}`,
					percent,
					at: at(TUE, `1${i}:00`)
				}))
			});
		expect(concernsOf('on_streak', results(50, 70, 80, 90), timeAt(WED, '10:30'), on)).toMatchObject([
			{
				reason: '3 verified results in a row at 65% or better, the latest 90% on Quiz 4',
				since: at(TUE, '11:00')
			}
		]);
		expect(concernsOf('on_streak', results(80, 50, 90), timeAt(WED, '10:30'), on)).toEqual([]);
		expect(concernsOf('on_streak', results(90, 95), timeAt(WED, '10:30'), on)).toEqual([]);
	});
});
