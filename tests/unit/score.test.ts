import { describe, expect, it } from 'vitest';
import { cellName } from '../../src/lib/dashboard/words';
import { deriveAssignmentState } from '../../src/lib/progress/derive';
import type { ScoreSource } from '../../src/lib/domain';
import {
	countsAsEvidence,
	scorePercent,
	scoreText,
	scoreWithSource,
	type Score
} from '../../src/lib/progress/score';

describe('a score, shown one way', () => {
	it.each<[string, Score, string]>([
		['8 points of 10', { points: 8, maxPoints: 10 }, '80%'],
		['16 points of 20 (a unit test)', { points: 16, maxPoints: 20 }, '80%'],
		['2 points of 3', { points: 2, maxPoints: 3 }, '67%'],
		['no max: the points are a percent', { points: 64, maxPoints: null }, '64%'],
		['a max of 0 reads the points as a percent', { points: 55, maxPoints: 0 }, '55%'],
		['more points than the max', { points: 12, maxPoints: 10 }, '100%'],
		['fewer than none', { points: -3, maxPoints: 10 }, '0%'],
		['a derived percent', { percent: 80 }, '80%'],
		['a derived percent, rounded', { percent: 66.666 }, '67%'],
		['nothing right', { points: 0, maxPoints: 10 }, '0%']
	])('%s reads %s', (_, score, text) => {
		expect(scoreText(score)).toBe(text);
	});

	it('says of an event what the playlist item derived from it says', () => {
		// The side panel showed "Finished Unit test: volume, 16%" beside "Mastered, 80%".
		const submit = {
			kind: 'submit' as const,
			score: 16,
			occurredAt: '2026-12-05T14:00:00Z',
			source: 'checked' as const
		};
		const item = deriveAssignmentState([submit], { kind: 'assessment', maxScore: 20 });
		expect(item).toMatchObject({ status: 'mastered', score: 80 });
		expect(scoreText({ points: submit.score, maxPoints: 20 })).toBe(scoreText({ percent: item.score! }));
		expect(cellName('Ada Lovelace', 'Unit test: volume', item)).toBe(
			'Ada Lovelace — Unit test: volume: mastered, 80%'
		);
		expect(scorePercent({ points: 16, maxPoints: 20 })).toBe(80);
	});

	it.each<[ScoreSource | null, string]>([
		['checked', '70%, checked by Podboard'],
		['teacher', '70%, marked by a teacher'],
		['content', '70%, reported by the activity'],
		['self', '70%, self-reported'],
		[null, '70%']
	])('says where a %s score comes from: %s', (source, text) => {
		expect(scoreWithSource({ percent: 70 }, source)).toBe(text);
	});

	it('names a cell’s score as self-reported only when the student typed it', () => {
		const cell = { status: 'submitted' as const, score: 70 };
		expect(cellName('Ada Lovelace', 'Quiz: food webs', { ...cell, scoreSource: 'self' })).toBe(
			'Ada Lovelace — Quiz: food webs: submitted, 70%, self-reported'
		);
		expect(cellName('Ada Lovelace', 'Quiz: food webs', { ...cell, scoreSource: 'teacher' })).toBe(
			'Ada Lovelace — Quiz: food webs: submitted, 70%'
		);
	});

	it.each<[ScoreSource, boolean, boolean]>([
		['checked', false, true],
		['teacher', false, true],
		['content', false, true],
		['self', false, false],
		['self', true, true]
	])(
		'a %s score counts as evidence where self-reported scores count: %s → %s',
		(source, selfCounts, counts) => {
			expect(countsAsEvidence(source, selfCounts)).toBe(counts);
		}
	);
});
