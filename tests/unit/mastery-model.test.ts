import { describe, expect, it } from 'vitest';
import {
	DEFAULT_MASTERY_THRESHOLDS,
	checkEvidence,
	levelOf,
	masteryHistory,
	masteryOf,
	movement,
	type SkillEvidence
} from '../../src/lib/mastery/model';

const VERIFIED = { selfReportedCounts: false, thresholds: DEFAULT_MASTERY_THRESHOLDS };
const at = (day: number) => `2026-11-${String(day).padStart(2, '0')}T10:00:00.000Z`;
const checked = (day: number, percent: number): SkillEvidence => ({
	percent,
	source: 'checked',
	at: at(day)
});

describe('mastery of a skill', () => {
	it('is nothing without counted evidence', () => {
		expect(masteryOf([], VERIFIED)).toBeNull();
		expect(masteryOf([{ percent: 100, source: 'self', at: at(23) }], VERIFIED)).toBeNull();
	});

	it('is the mean of the last three counted results, whatever order they arrive in', () => {
		const results = [checked(26, 100), checked(23, 0), checked(25, 80), checked(24, 60)];
		expect(masteryOf(results, VERIFIED)).toEqual({ percent: 80, level: 'mastered', results: 4 });
	});

	it('is the same for results of one instant, whatever order they are read in', () => {
		const results = [checked(23, 10), checked(24, 100), checked(24, 0), checked(24, 50)];
		expect(masteryOf(results, VERIFIED)).toEqual(masteryOf([...results].reverse(), VERIFIED));
	});

	it('lets one bad day move it without sinking it', () => {
		const results = [checked(23, 100), checked(24, 100), checked(25, 10)];
		expect(masteryOf(results, VERIFIED)).toEqual({ percent: 70, level: 'proficient', results: 3 });
	});

	it('counts a self-reported score only where the pod says so, and a teacher’s mark always', () => {
		const results: SkillEvidence[] = [
			{ percent: 100, source: 'self', at: at(23) },
			{ percent: 50, source: 'teacher', at: at(24) }
		];
		expect(masteryOf(results, VERIFIED)?.percent).toBe(50);
		expect(masteryOf(results, { ...VERIFIED, selfReportedCounts: true })?.percent).toBe(75);
	});

	it('as of a moment, reads only what came before it', () => {
		const results = [checked(23, 30), checked(30, 100)];
		expect(masteryOf(results, VERIFIED, at(30))).toEqual({ percent: 30, level: 'not_yet', results: 1 });
		expect(masteryOf(results, VERIFIED, at(23))).toBeNull();
	});

	it.each([
		[0, 'not_yet'],
		[39, 'not_yet'],
		[40, 'practicing'],
		[64, 'practicing'],
		[65, 'proficient'],
		[79, 'proficient'],
		[80, 'mastered'],
		[100, 'mastered']
	] as const)('at %i%% is %s by default', (percent, level) => {
		expect(levelOf(percent, DEFAULT_MASTERY_THRESHOLDS)).toBe(level);
	});

	it('takes the levels the pod set', () => {
		expect(levelOf(85, { practicing: 50, proficient: 70, mastered: 90 })).toBe('proficient');
	});

	it('draws its history: the mastery after each result, oldest first', () => {
		const history = masteryHistory([checked(25, 90), checked(23, 30), checked(24, 60)], VERIFIED);
		expect(history.map((h) => [h.result, h.percent, h.level])).toEqual([
			[30, 30, 'not_yet'],
			[60, 45, 'practicing'],
			[90, 60, 'practicing']
		]);
	});

	it('says whether a level moved up or down (no evidence is lowest)', () => {
		expect(movement(null, 'not_yet')).toBe('up');
		expect(movement('mastered', 'proficient')).toBe('down');
		expect(movement('practicing', 'practicing')).toBe('same');
		expect(movement(null, null)).toBe('same');
	});
});

describe('a check’s evidence per skill', () => {
	it('is the share right of the items tagged with each skill; an item with two skills counts for both', () => {
		const percents = checkEvidence([
			{ skills: ['a'], right: true },
			{ skills: ['a', 'b'], right: false },
			{ skills: ['b'], right: true },
			{ skills: ['b'], right: true },
			{ skills: [], right: false }
		]);
		expect(Object.fromEntries(percents)).toEqual({ a: 50, b: (2 / 3) * 100 });
	});

	it('counts an item tagged twice with one skill once', () => {
		expect(checkEvidence([{ skills: ['a', 'a'], right: true }]).get('a')).toBe(100);
	});
});
