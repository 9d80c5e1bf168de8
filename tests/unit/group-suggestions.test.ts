import { describe, expect, it } from 'vitest';
import type { FlagRule } from '../../src/lib/server/db/schema';
import { MAX_GROUP_SIZE, suggestGroups, type FlagForGrouping } from '../../src/lib/server/groups/suggest';

const fractions = { id: 'k1', code: '4.NF.1', name: 'Equivalent fractions' };
const decimals = { id: 'k2', code: '4.NF.6', name: 'Decimal notation' };

/** Flags are raised a minute apart, in the order they are made, unless told otherwise. */
let minute = 0;
const flag = (
	studentId: string,
	overrides: Partial<Omit<FlagForGrouping, 'studentId'>> = {}
): FlagForGrouping => {
	minute += 1;
	return {
		flagId: `f-${studentId}-${minute}`,
		studentId,
		rule: 'stuck',
		skill: fractions,
		createdAt: new Date(Date.UTC(2026, 10, 25, 14, minute)).toISOString(),
		...overrides
	};
};
/** One stuck flag on fractions for each of `count` students, s1 flagged first. */
const students = (count: number, overrides: Partial<Omit<FlagForGrouping, 'studentId'>> = {}) =>
	Array.from({ length: count }, (_, i) => flag(`s${i + 1}`, overrides));

describe('suggestGroups', () => {
	it('groups at most six students', () => {
		expect(MAX_GROUP_SIZE).toBe(6);
	});

	it('clusters flags by skill', () => {
		const groups = suggestGroups([
			flag('s1'),
			flag('s2', { skill: decimals }),
			flag('s3'),
			flag('s4', { skill: decimals })
		]);
		expect(groups.map((g) => [g.focusSkillId, g.title, g.studentIds])).toEqual([
			['k2', 'Decimal notation (4.NF.6)', ['s2', 's4']],
			['k1', 'Equivalent fractions (4.NF.1)', ['s1', 's3']]
		]);
	});

	it.each<[string, FlagForGrouping[]]>([
		['no flags', []],
		[
			'flags without a skill (idle, pace)',
			[flag('s1', { rule: 'idle', skill: null }), flag('s2', { rule: 'behind_pace', skill: null })]
		],
		['a skill with a single student: a conference, not a group', [flag('s1')]],
		['one student flagged twice on the same skill', [flag('s1'), flag('s1', { rule: 'low_score' })]],
		['one student on each of two skills', [flag('s1'), flag('s2', { skill: decimals })]]
	])('suggests nothing for %s', (_name, flags) => {
		expect(suggestGroups(flags)).toEqual([]);
	});

	it('leaves out flags without a skill but groups the rest', () => {
		const groups = suggestGroups([flag('s1'), flag('s2', { rule: 'idle', skill: null }), flag('s3')]);
		expect(groups).toHaveLength(1);
		expect(groups[0].studentIds).toEqual(['s1', 's3']);
	});

	it('lists a student once, with every one of their flags on the skill', () => {
		const first = flag('s1');
		const other = flag('s2');
		const again = flag('s1', { rule: 'low_score' });
		const [group] = suggestGroups([first, other, again]);
		expect(group.studentIds).toEqual(['s1', 's2']);
		expect(group.flagIds).toEqual([first.flagId, again.flagId, other.flagId]);
	});

	it('puts the students flagged longest ago first', () => {
		const late = flag('s1', { createdAt: '2026-11-25T15:00:00.000Z' });
		const early = flag('s2', { createdAt: '2026-11-25T14:00:00.000Z' });
		const middle = flag('s3', { createdAt: '2026-11-25T14:30:00.000Z' });
		expect(suggestGroups([late, early, middle])[0].studentIds).toEqual(['s2', 's3', 's1']);
	});

	it.each([
		[2, [2]],
		[6, [6]],
		[7, [4, 3]],
		[12, [6, 6]],
		[13, [5, 4, 4]]
	])('splits %s students on one skill into groups of %j', (count, sizes) => {
		expect(suggestGroups(students(count)).map((g) => g.studentIds.length)).toEqual(sizes);
	});

	it.each([2, 5, 6, 7, 8, 11, 12, 13, 14, 18, 19, 20, 24, 25, 26, 30])(
		'places every one of %s students in exactly one group of 2 to six',
		(count) => {
			const groups = suggestGroups(students(count));
			const placed = groups.flatMap((g) => g.studentIds);
			expect([...placed].sort()).toEqual(Array.from({ length: count }, (_, i) => `s${i + 1}`).sort());
			for (const g of groups) {
				expect(g.studentIds.length).toBeGreaterThanOrEqual(2);
				expect(g.studentIds.length).toBeLessThanOrEqual(MAX_GROUP_SIZE);
			}
		}
	);

	it('numbers the groups of one skill when it needs more than one', () => {
		expect(suggestGroups(students(7)).map((g) => g.title)).toEqual([
			'Equivalent fractions (4.NF.1) · 1',
			'Equivalent fractions (4.NF.1) · 2'
		]);
	});

	it('keeps each group’s flags with its students', () => {
		const flags = students(7);
		const [first, second] = suggestGroups(flags);
		expect(first.flagIds).toEqual(flags.slice(0, 4).map((f) => f.flagId));
		expect(second.flagIds).toEqual(flags.slice(4).map((f) => f.flagId));
	});

	it('puts the largest need first, then by title', () => {
		const groups = suggestGroups([
			...students(2, { skill: { id: 'k3', code: '5.G.1', name: 'Coordinate plane' } }),
			flag('t1', { skill: decimals }),
			flag('t2', { skill: decimals }),
			flag('t3', { skill: decimals }),
			...students(2)
		]);
		expect(groups.map((g) => [g.title, g.studentIds.length])).toEqual([
			['Decimal notation (4.NF.6)', 3],
			['Coordinate plane (5.G.1)', 2],
			['Equivalent fractions (4.NF.1)', 2]
		]);
	});

	it.each<[string, FlagRule[], string]>([
		['all stuck', ['stuck', 'stuck'], '2 students stuck on 4.NF.1 Equivalent fractions'],
		[
			'all scored low',
			['low_score', 'low_score', 'low_score'],
			'3 students scored low on 4.NF.1 Equivalent fractions'
		],
		[
			'stuck or scored low',
			['stuck', 'low_score'],
			'2 students stuck or scored low on 4.NF.1 Equivalent fractions'
		],
		[
			'three kinds of flag',
			['stuck', 'low_score', 'manual'],
			'3 students stuck, scored low or flagged by a teacher on 4.NF.1 Equivalent fractions'
		],
		[
			'waiting with a hand up',
			['hand_up', 'hand_up'],
			'2 students waiting with a hand up on 4.NF.1 Equivalent fractions'
		],
		[
			'a rule without words of its own',
			['idle', 'behind_pace'],
			'2 students flagged on 4.NF.1 Equivalent fractions'
		]
	])('says why: %s', (_name, rules, reason) => {
		const flags = rules.map((rule, i) => flag(`s${i + 1}`, { rule }));
		expect(suggestGroups(flags).map((g) => g.reason)).toEqual([reason]);
	});

	it('counts students, not flags, in the reason', () => {
		const [group] = suggestGroups([flag('s1'), flag('s1', { rule: 'low_score' }), flag('s2')]);
		expect(group.reason).toBe('2 students stuck or scored low on 4.NF.1 Equivalent fractions');
	});

	it('counts each group’s own students in its reason', () => {
		expect(suggestGroups(students(7)).map((g) => g.reason)).toEqual([
			'4 students stuck on 4.NF.1 Equivalent fractions',
			'3 students stuck on 4.NF.1 Equivalent fractions'
		]);
	});
});
