import { describe, expect, it } from 'vitest';
import { DEFAULT_MASTERY_THRESHOLDS } from '../../src/lib/mastery/model';
import type { AssignmentStatus } from '../../src/lib/server/db/schema';
import {
	cellMastery,
	skillCell,
	skillCellName,
	skillColumns,
	skillMark,
	skillText,
	skillWords,
	summarizeSkill,
	type SkillMark
} from '../../src/lib/dashboard/skills';

type Cell = { status: AssignmentStatus; score: number | null };
/** A cell by status, with a score where one is given: 'submitted:60' is a 60% hand-in. */
const cells = (...shown: string[]): Cell[] =>
	shown.map((text) => {
		const [status, score] = text.split(':');
		return { status: status as AssignmentStatus, score: score === undefined ? null : Number(score) };
	});

describe('a student × skill cell', () => {
	it.each<[string[], SkillMark | null, string, string, number | null]>([
		[[], null, '', 'not assigned', null],
		[['not_started'], 'not_started', '0/1', '0/1 — 1 not started', 0],
		[['not_started', 'not_started'], 'not_started', '0/2', '0/2 — 2 not started', 0],
		[['in_progress', 'not_started'], 'in_progress', '0/2', '0/2 — 1 in progress, 1 not started', 0],
		[['submitted', 'not_started'], 'in_progress', '1/2', '1/2 — 1 finished, 1 not started', 0.5],
		// The case: a 60% quiz that raised a low-score flag is not done.
		[
			['submitted:60', 'not_started'],
			'below_bar',
			'0/2\n1 below',
			'0/2 1 below — 1 below the bar, 1 not started',
			0
		],
		[
			['submitted:60', 'mastered:90'],
			'below_bar',
			'1/2\n1 below',
			'1/2 1 below — 1 mastered, 1 below the bar',
			0.5
		],
		[['submitted:79'], 'below_bar', '0/1\n1 below', '0/1 1 below — 1 below the bar', 0],
		// At the bar on work that has no mastery (practice without a max score) is finished.
		[['submitted:80', 'submitted:95'], 'submitted', '2/2', '2/2 — 2 finished', 1],
		[['submitted', 'stuck', 'mastered:100'], 'stuck', '2/3', '2/3 — 1 mastered, 1 finished, 1 stuck', 2 / 3],
		[['submitted', 'mastered:85'], 'submitted', '2/2', '2/2 — 1 mastered, 1 finished', 1],
		[['mastered:80', 'mastered:100'], 'mastered', '2/2', '2/2 — 2 mastered', 1],
		[['stuck', 'submitted:40'], 'stuck', '0/2\n1 below', '0/2 1 below — 1 below the bar, 1 stuck', 0],
		[
			['stuck', 'in_progress', 'in_progress', 'submitted'],
			'stuck',
			'1/4',
			'1/4 — 1 finished, 1 stuck, 2 in progress',
			0.25
		]
	])('%j shows %s and "%s", and reads "%s"', (shown, mark, text, words, share) => {
		const summary = summarizeSkill(cells(...shown));
		expect(skillMark(summary)).toBe(mark);
		expect(skillText(summary)).toBe(text);
		expect(skillWords(summary)).toBe(words);
		expect(summary.share).toBe(share);
		expect(summary.assigned).toBe(shown.length);
		expect(
			summary.mastered +
				summary.finished +
				summary.belowBar +
				summary.stuck +
				summary.inProgress +
				summary.notStarted
		).toBe(shown.length);
	});

	it.each(['', '0/1', '1/2\n1 below', '12/15\n3 below'])(
		'a cell showing "%s" is named with what it shows',
		(text) => {
			// axe's label-content-name-mismatch: the name holds the visible text as a browser reads
			// it, its line break a space (a comma in between is a mismatch).
			const summary = summarizeSkill(cells(...summaryFor(text)));
			expect(skillText(summary)).toBe(text);
			const shown = skillCell(summary, null);
			expect(shown.text).toBe(text);
			expect(skillCellName('Ada Lovelace', { code: '4.NF.1', name: 'Fractions' }, shown.words)).toContain(
				`: ${text.replace('\n', ' ')}`
			);
		}
	);

	it('is named for the student and the skill', () => {
		expect(
			skillCellName(
				'Ada Lovelace',
				{ code: '4.NF.1', name: 'Equivalent fractions' },
				skillWords(summarizeSkill(cells('submitted:60', 'stuck', 'not_started')))
			)
		).toBe(
			'Ada Lovelace — 4.NF.1 Equivalent fractions: 0/3 1 below — 1 below the bar, 1 stuck, 1 not started'
		);
	});

	describe('with counted evidence of the skill', () => {
		const thresholds = DEFAULT_MASTERY_THRESHOLDS;
		it('shows the student’s mastery and its level’s mark, and says the work after it', () => {
			const summary = summarizeSkill(cells('mastered:90', 'not_started'));
			const shown = skillCell(summary, cellMastery(72, thresholds));
			expect(shown).toEqual({
				mark: 'submitted',
				text: '72%',
				words: '72% proficient — 1 mastered, 1 not started'
			});
			expect(skillCellName('Ada Lovelace', { code: '4.NF.1', name: 'Fractions' }, shown.words)).toBe(
				'Ada Lovelace — 4.NF.1 Fractions: 72% proficient — 1 mastered, 1 not started'
			);
		});

		it.each([
			[85, 'mastered'],
			[70, 'submitted'],
			[50, 'in_progress'],
			[10, 'below_bar']
		] as const)('at %i%% marks the cell %s', (percent, mark) => {
			expect(skillCell(summarizeSkill(cells('not_started')), cellMastery(percent, thresholds)).mark).toBe(
				mark
			);
		});

		it('still shows a stuck student as stuck', () => {
			expect(skillCell(summarizeSkill(cells('stuck')), cellMastery(90, thresholds)).mark).toBe('stuck');
		});

		it('with no activity of the skill on the playlist, says so after the mastery', () => {
			expect(skillCell(summarizeSkill([]), cellMastery(90, thresholds)).words).toBe(
				'90% mastered — not assigned'
			);
		});

		it('without evidence is the work alone', () => {
			expect(cellMastery(undefined, thresholds)).toBeNull();
		});
	});
});

/** Cells that show `text`: "m/n" at the bar, "k below". */
function summaryFor(text: string): string[] {
	if (!text) return [];
	const [ratio, below] = text.split('\n');
	const [met, assigned] = ratio.split('/').map(Number);
	const low = below ? Number(below.split(' ')[0]) : 0;
	return [
		...Array(met).fill('mastered:90'),
		...Array(low).fill('submitted:50'),
		...Array(assigned - met - low).fill('not_started')
	];
}

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
