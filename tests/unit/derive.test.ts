import { describe, expect, it } from 'vitest';
import {
	deriveAssignmentState,
	MAX_WORK_GAP_SECONDS,
	type ActivityForDerivation,
	type EventForDerivation
} from '../../src/lib/progress/derive';

const practice: ActivityForDerivation = { kind: 'practice', maxScore: null };
const quiz: ActivityForDerivation = { kind: 'assessment', maxScore: 10 };

const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 9, minute)).toISOString();
const event = (
	kind: EventForDerivation['kind'],
	minute: number,
	score: number | null = null
): EventForDerivation => ({ kind, occurredAt: at(minute), score });

describe('deriveAssignmentState', () => {
	it.each([
		['no events', [], practice, 'not_started'],
		['started', [event('start', 0)], practice, 'in_progress'],
		['stuck after starting', [event('start', 0), event('stuck', 5)], practice, 'stuck'],
		['working again after stuck', [event('stuck', 5), event('progress', 9)], practice, 'in_progress'],
		['done with practice', [event('start', 0), event('submit', 10)], practice, 'submitted'],
		['quiz at 9/10', [event('start', 0), event('submit', 10, 9)], quiz, 'mastered'],
		['quiz at 5/10', [event('start', 0), event('submit', 10, 5)], quiz, 'submitted'],
		[
			'mastery is kept when the student looks again',
			[event('submit', 1, 10), event('start', 3)],
			quiz,
			'mastered'
		],
		['a raised hand starts the work', [event('help', 0)], practice, 'in_progress']
	] as const)('%s → %s', (_name, events, activity, status) => {
		expect(deriveAssignmentState(events, activity).status).toBe(status);
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
