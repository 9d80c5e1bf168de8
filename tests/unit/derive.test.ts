import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	deriveAssignmentState,
	MASTERY_PERCENT,
	MAX_WORK_GAP_SECONDS,
	UNDO_DONE_MINUTES,
	type ActivityForDerivation,
	type EventForDerivation
} from '../../src/lib/progress/derive';

const practice: ActivityForDerivation = { kind: 'practice', maxScore: null };
const quiz: ActivityForDerivation = { kind: 'assessment', maxScore: 10 };

const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 9, minute)).toISOString();
/** The student's event; a score is one Podboard checked (verified), unless said otherwise. */
const event = (
	kind: EventForDerivation['kind'],
	minute: number,
	score: number | null = null,
	source: EventForDerivation['source'] = score === null ? null : 'checked'
): EventForDerivation => ({ kind, occurredAt: at(minute), score, source });
/** A score the student typed for their own work. */
const typed = (minute: number, score: number) => event('submit', minute, score, 'self');
/** A teacher's mark (progress.setScore): a submit recorded by staff. */
const mark = (minute: number, score: number): EventForDerivation => ({
	...event('submit', minute, score, 'teacher'),
	byTeacher: true
});

/** The same instant written with another UTC offset, as a device in another zone would send it. */
function withOffset(iso: string, offsetMinutes: number): string {
	const local = new Date(Date.parse(iso) + offsetMinutes * 60_000).toISOString().slice(0, 19);
	const sign = offsetMinutes < 0 ? '-' : '+';
	const hours = String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, '0');
	const minutes = String(Math.abs(offsetMinutes) % 60).padStart(2, '0');
	return `${local}${sign}${hours}:${minutes}`;
}

describe('deriveAssignmentState', () => {
	it.each([
		{ name: 'no events', events: [], activity: practice, status: 'not_started' },
		{ name: 'started', events: [event('start', 0)], activity: practice, status: 'in_progress' },
		{
			name: 'stuck after starting',
			events: [event('start', 0), event('stuck', 5)],
			activity: practice,
			status: 'stuck'
		},
		{
			name: 'working again after stuck',
			events: [event('stuck', 5), event('progress', 9)],
			activity: practice,
			status: 'in_progress'
		},
		{
			name: 'done with practice',
			events: [event('start', 0), event('submit', 10)],
			activity: practice,
			status: 'submitted'
		},
		{
			name: 'quiz at 9/10',
			events: [event('start', 0), event('submit', 10, 9)],
			activity: quiz,
			status: 'mastered'
		},
		{
			name: 'quiz at 5/10',
			events: [event('start', 0), event('submit', 10, 5)],
			activity: quiz,
			status: 'submitted'
		},
		{
			name: 'mastery is kept when the student looks again',
			events: [event('submit', 1, 10), event('start', 3)],
			activity: quiz,
			status: 'mastered'
		},
		{
			name: 'a raised hand changes nothing about the work',
			events: [event('help', 0)],
			activity: practice,
			status: 'not_started'
		},
		{
			name: 'a raised hand while stuck leaves it stuck',
			events: [event('stuck', 0), event('help', 1)],
			activity: practice,
			status: 'stuck'
		},
		{
			name: `"Done" taken back within ${UNDO_DONE_MINUTES} minutes`,
			events: [event('start', 0), event('submit', 10), event('undo_submit', 10 + UNDO_DONE_MINUTES)],
			activity: practice,
			status: 'in_progress'
		},
		{
			name: '"Done" taken back too late',
			events: [event('start', 0), event('submit', 10), event('undo_submit', 11 + UNDO_DONE_MINUTES)],
			activity: practice,
			status: 'submitted'
		},
		{
			name: '"Done" straight away, taken back',
			events: [event('submit', 10), event('undo_submit', 11)],
			activity: practice,
			status: 'not_started'
		},
		{
			name: 'a second try taken back keeps the mastery shown before it',
			events: [event('submit', 1, 9), event('submit', 20, 3), event('undo_submit', 21)],
			activity: quiz,
			status: 'mastered'
		},
		{
			name: 'a take-back after a teacher’s mark changes nothing',
			events: [event('start', 0), event('submit', 10), mark(11, 4), event('undo_submit', 12)],
			activity: quiz,
			status: 'submitted'
		},
		{
			name: 'a take-back with no "Done" before it changes nothing',
			events: [event('start', 0), event('undo_submit', 1)],
			activity: practice,
			status: 'in_progress'
		}
	] as const)('$name → $status', ({ events, activity, status }) => {
		expect(deriveAssignmentState(events, activity).status).toBe(status);
	});

	describe('where a score comes from', () => {
		it('a self-reported 9/10 is shown, but the work is submitted, not mastered', () => {
			expect(deriveAssignmentState([typed(5, 9)], quiz)).toMatchObject({
				status: 'submitted',
				score: 90,
				scoreSource: 'self'
			});
		});

		it('a self-reported 9/10 is mastered where the pod counts self-reported scores', () => {
			expect(deriveAssignmentState([typed(5, 9)], quiz, { selfReportedCounts: true })).toMatchObject({
				status: 'mastered',
				scoreSource: 'self'
			});
		});

		it('a score with no source said is the student’s own', () => {
			expect(deriveAssignmentState([{ kind: 'submit', score: 9, occurredAt: at(5) }], quiz).scoreSource).toBe(
				'self'
			);
		});

		it('follows the latest score: a teacher’s mark after a typed score, then a checked retake', () => {
			const events = [typed(1, 9), mark(3, 6)];
			expect(deriveAssignmentState(events, quiz)).toMatchObject({ score: 60, scoreSource: 'teacher' });
			expect(deriveAssignmentState([...events, event('submit', 9, 8)], quiz)).toMatchObject({
				status: 'mastered',
				score: 80,
				scoreSource: 'checked'
			});
		});

		it('a Done taken back takes its score’s source back with it', () => {
			const events = [mark(1, 5), typed(10, 9), event('undo_submit', 11)];
			expect(deriveAssignmentState(events, quiz)).toMatchObject({ score: 50, scoreSource: 'teacher' });
		});

		it('mastery once verified stays through a lower self-reported try', () => {
			expect(deriveAssignmentState([event('submit', 1, 9), typed(5, 2)], quiz)).toMatchObject({
				status: 'mastered',
				score: 20,
				scoreSource: 'self'
			});
		});

		it('unscored work has no source', () => {
			expect(deriveAssignmentState([event('submit', 1)], practice).scoreSource).toBeNull();
		});
	});

	it('orders events by when they happened, not when they arrived', () => {
		const state = deriveAssignmentState([event('submit', 10, 4), event('start', 0)], quiz);
		expect(state).toMatchObject({ status: 'submitted', score: 40, attempts: 1, lastEventAt: at(10) });
		expect(state.secondsSpent).toBe(600);
	});

	it('counts attempts and keeps the latest score', () => {
		const state = deriveAssignmentState(
			[event('start', 0), event('submit', 5, 3), event('start', 6), event('submit', 12, 9)],
			quiz
		);
		expect(state).toMatchObject({ attempts: 2, score: 90, status: 'mastered' });
		expect(state.secondsSpent).toBe(11 * 60);
	});

	it('does not count a long break as work', () => {
		const state = deriveAssignmentState([event('start', 0), event('submit', 59)], practice);
		expect(state.secondsSpent).toBe(MAX_WORK_GAP_SECONDS);
	});

	it('clamps a score outside the max to 0–100 percent', () => {
		expect(deriveAssignmentState([event('submit', 0, 15)], quiz).score).toBe(100);
		expect(deriveAssignmentState([event('submit', 0, -3)], quiz).score).toBe(0);
	});
});

describe('a teacher’s mark and the student’s own submits', () => {
	it.each([
		{
			name: 'the teacher’s 2/10 after the student’s 10/10',
			events: [event('submit', 1, 10), mark(5, 2)],
			status: 'submitted',
			score: 20
		},
		{
			name: 'the teacher’s 9/10 after the student’s 3/10',
			events: [event('submit', 1, 3), mark(5, 9)],
			status: 'mastered',
			score: 90
		},
		{
			name: 'the teacher’s 2/10, then the student working on',
			events: [event('submit', 1, 10), mark(5, 2), event('start', 7)],
			status: 'in_progress',
			score: 20
		},
		{
			name: 'the student’s 10/10 after the teacher’s 2/10',
			events: [mark(1, 2), event('submit', 5, 10)],
			status: 'mastered',
			score: 100
		},
		{
			name: 'the student’s 3/10 after the teacher’s 2/10',
			events: [mark(1, 2), event('submit', 5, 3)],
			status: 'submitted',
			score: 30
		},
		// After the teacher's mark the student's submits count by the normal rules, and under them
		// mastery once shown is kept: the student may be practising again.
		{
			name: 'the student’s 3/10 after the teacher’s 10/10',
			events: [mark(1, 10), event('submit', 5, 3)],
			status: 'mastered',
			score: 30
		},
		{
			name: 'the student’s 3/10 after their own 10/10',
			events: [event('submit', 1, 10), event('submit', 5, 3)],
			status: 'mastered',
			score: 30
		},
		{
			name: 'a student’s submit that arrives after the mark but happened before it',
			events: [mark(5, 2), event('submit', 1, 10)],
			status: 'submitted',
			score: 20
		},
		{
			name: 'the teacher’s mark at the same instant as the student’s submit',
			events: [mark(5, 2), event('submit', 5, 10)],
			status: 'submitted',
			score: 20
		},
		{
			name: 'a teacher’s second mark replaces the first',
			events: [mark(1, 10), mark(5, 4)],
			status: 'submitted',
			score: 40
		}
	] as const)('$name → $status, $score%', ({ events, status, score }) => {
		expect(deriveAssignmentState(events, quiz)).toMatchObject({ status, score });
	});

	it('does not count a teacher’s mark as a break in the student’s work', () => {
		const state = deriveAssignmentState([event('start', 0), mark(5, 9), event('submit', 10, 9)], quiz);
		expect(state.secondsSpent).toBe(10 * 60);
	});
});

describe('times written with a UTC offset', () => {
	it('compares instants, not text: 16:00+03:00 happened before 15:00Z', () => {
		const student = { ...event('submit', 0, 10), occurredAt: '2026-11-23T16:00:00+03:00' };
		const teacher = { ...mark(0, 2), occurredAt: '2026-11-23T15:00:00Z' };
		expect(deriveAssignmentState([student, teacher], quiz)).toMatchObject({
			status: 'submitted',
			score: 20,
			lastEventAt: '2026-11-23T15:00:00.000Z'
		});
	});

	it('counts time between instants whatever offset each is written in', () => {
		const start = { ...event('start', 0), occurredAt: withOffset(at(0), -12 * 60) };
		const done = { ...event('submit', 10), occurredAt: withOffset(at(10), 5 * 60 + 30) };
		expect(deriveAssignmentState([done, start], practice)).toMatchObject({
			secondsSpent: 600,
			lastEventAt: at(10)
		});
	});
});

// Events on one morning: a few minutes apart (so many share an instant), each written in one of
// several offsets, by the student or (submits only) by a teacher.
const anyEvent: fc.Arbitrary<EventForDerivation> = fc
	.record({
		kind: fc.constantFrom('start', 'progress', 'stuck', 'submit', 'help', 'undo_submit'),
		minute: fc.integer({ min: 0, max: 8 }),
		offset: fc.constantFrom(0, -12 * 60, -5 * 60, 3 * 60, 5 * 60 + 30),
		score: fc.option(fc.integer({ min: 0, max: 10 })),
		byTeacher: fc.boolean()
	})
	.map(({ kind, minute, offset, score, byTeacher }) => ({
		kind,
		occurredAt: withOffset(at(minute), offset),
		score: kind === 'submit' ? score : null,
		...(kind === 'submit' && byTeacher && score !== null ? { byTeacher: true } : {})
	}));
const anyActivity = fc.constantFrom(practice, quiz, { kind: 'project', maxScore: 20 } as const);

describe('guarantees', () => {
	it('the order in which events arrive does not change the state', () => {
		fc.assert(
			fc.property(
				anyActivity,
				fc
					.array(anyEvent, { maxLength: 12 })
					.chain((events) =>
						fc.tuple(
							fc.constant(events),
							fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length })
						)
					),
				(activity, [events, arrived]) => {
					expect(deriveAssignmentState(arrived, activity)).toEqual(deriveAssignmentState(events, activity));
				}
			)
		);
	});

	it('a "Done" taken back at once leaves the work as it was before it: status, score and attempts', () => {
		fc.assert(
			fc.property(anyActivity, fc.array(anyEvent, { maxLength: 10 }), (activity, events) => {
				const before = deriveAssignmentState(events, activity);
				const done = event('submit', 30, activity.maxScore === null ? null : 1);
				const after = deriveAssignmentState([...events, done, event('undo_submit', 31)], activity);
				expect({ status: after.status, score: after.score, attempts: after.attempts }).toEqual({
					status: before.status,
					score: before.score,
					attempts: before.attempts
				});
			})
		);
	});

	it('the teacher’s latest mark wins over every earlier submit of the student', () => {
		fc.assert(
			fc.property(
				fc.array(anyEvent, { maxLength: 12 }),
				fc.integer({ min: 0, max: 10 }),
				fc.integer({ min: 9, max: 60 }),
				(events, points, minute) => {
					const state = deriveAssignmentState([...events, mark(minute, points)], quiz);
					expect(state.score).toBe(points * 10);
					expect(state.status).toBe(points * 10 >= MASTERY_PERCENT ? 'mastered' : 'submitted');
				}
			)
		);
	});

	it('a student’s submit after the teacher’s mark counts by the normal rules', () => {
		fc.assert(
			fc.property(
				fc.array(anyEvent, { maxLength: 12 }),
				fc.integer({ min: 0, max: 10 }),
				fc.integer({ min: 0, max: 10 }),
				(events, marked, submitted) => {
					const state = deriveAssignmentState(
						[...events, mark(9, marked), event('submit', 10, submitted)],
						quiz
					);
					const mastered = marked * 10 >= MASTERY_PERCENT || submitted * 10 >= MASTERY_PERCENT;
					expect(state).toMatchObject({
						score: submitted * 10,
						status: mastered ? 'mastered' : 'submitted'
					});
				}
			)
		);
	});
});
