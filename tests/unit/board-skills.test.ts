import { describe, expect, it } from 'vitest';
import type { AssignmentStatus } from '../../src/lib/server/db/schema';
import {
	skillCellName,
	skillColumns,
	skillMark,
	skillWords,
	summarizeSkill
} from '../../src/lib/dashboard/skills';

const cells = (...statuses: AssignmentStatus[]) => statuses.map((status) => ({ status }));

describe('a student × skill cell', () => {
	it.each<[AssignmentStatus[], AssignmentStatus | null, string, number | null]>([
		[[], null, 'not assigned', null],
		[['not_started'], 'not_started', '0 of 1 done', 0],
		[['not_started', 'not_started'], 'not_started', '0 of 2 done', 0],
		[['in_progress', 'not_started'], 'in_progress', '0 of 2 done, 1 in progress', 0],
		[['submitted', 'not_started'], 'in_progress', '1 of 2 done', 0.5],
		[['submitted', 'stuck', 'mastered'], 'stuck', '2 of 3 done, 1 mastered, 1 stuck', 2 / 3],
		[['submitted', 'mastered'], 'submitted', '2 of 2 done, 1 mastered', 1],
		[['mastered', 'mastered'], 'mastered', '2 of 2 done, 2 mastered', 1],
		[['stuck'], 'stuck', '0 of 1 done, 1 stuck', 0],
		[
			['stuck', 'in_progress', 'in_progress', 'submitted'],
			'stuck',
			'1 of 4 done, 1 stuck, 2 in progress',
			0.25
		]
	])('%j shows %s and reads "%s"', (statuses, mark, words, share) => {
		const summary = summarizeSkill(cells(...statuses));
		expect(skillMark(summary)).toBe(mark);
		expect(skillWords(summary)).toBe(words);
		expect(summary.share).toBe(share);
		expect(summary.assigned).toBe(statuses.length);
	});

	it('is named for the student and the skill', () => {
		expect(
			skillCellName(
				'Ada Lovelace',
				{ code: '4.NF.1', name: 'Equivalent fractions' },
				summarizeSkill(cells('submitted', 'stuck', 'not_started'))
			)
		).toBe('Ada Lovelace — 4.NF.1 Equivalent fractions: 1 of 3 done, 1 stuck');
	});
});

describe('skill columns', () => {
	const skills = [
		{ id: 'k1', code: '4.NF.1' },
		{ id: 'k2', code: '4.NF.2' },
		{ id: 'k3', code: 'RL.4.1' }
	];
	it.each<[string, { id: string; skillIds: string[] }[], [string, string[]][]]>([
		['no activities', [], []],
		[
			'activities sharing a skill',
			[
				{ id: 'a1', skillIds: ['k1'] },
				{ id: 'a2', skillIds: ['k1', 'k3'] },
				{ id: 'a3', skillIds: [] }
			],
			[
				['4.NF.1', ['a1', 'a2']],
				['RL.4.1', ['a2']]
			]
		],
		[
			'a skill only later activities practise keeps its place',
			[
				{ id: 'a1', skillIds: ['k3'] },
				{ id: 'a2', skillIds: ['k2'] }
			],
			[
				['4.NF.2', ['a2']],
				['RL.4.1', ['a1']]
			]
		]
	])('with %s', (_, activities, expected) => {
		expect(skillColumns(skills, activities).map((c) => [c.skill.code, c.activityIds])).toEqual(expected);
	});
});
