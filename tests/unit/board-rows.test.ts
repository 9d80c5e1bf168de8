import { describe, expect, it } from 'vitest';
import type { AssignmentStatus } from '../../src/lib/server/db/schema';
import {
	assignHref,
	filterChoices,
	filterRows,
	isFiltered,
	mustShare,
	NO_FILTERS,
	rangeBetween,
	sectionsByGrade,
	sortRows,
	type BoardFilters,
	type BoardRow,
	type SortKey
} from '../../src/lib/dashboard/rows';

type RowFields = Omit<BoardRow, 'hasStatus'> & { statuses: AssignmentStatus[] };

function row(name: string, fields: Partial<RowFields> = {}): BoardRow & { statuses: AssignmentStatus[] } {
	const statuses = fields.statuses ?? [];
	return {
		id: name.toLowerCase().replace(/\W+/g, '-'),
		name,
		grade: 5,
		cohort: null,
		groupIds: [],
		openFlags: 0,
		mustTotal: 0,
		mustDone: 0,
		lastActive: null,
		...fields,
		statuses,
		hasStatus: (status) => statuses.includes(status)
	};
}

const pod = [
	row('Ada Lovelace', {
		grade: 4,
		cohort: 'Maple',
		mustTotal: 4,
		mustDone: 3,
		lastActive: '2025-03-03T10:00:00Z',
		statuses: ['submitted', 'in_progress']
	}),
	row('Ben Okafor', {
		grade: 6,
		cohort: 'Cedar',
		groupIds: ['g1'],
		openFlags: 2,
		mustTotal: 4,
		mustDone: 1,
		lastActive: '2025-03-03T09:00:00Z',
		statuses: ['stuck', 'not_started']
	}),
	row('Cleo Reyes', {
		grade: 5,
		cohort: 'Maple',
		groupIds: ['g1', 'g2'],
		openFlags: 1,
		mustTotal: 2,
		mustDone: 1,
		statuses: ['not_started']
	}),
	row('ada Brown', {
		grade: 5,
		cohort: null,
		mustTotal: 0,
		lastActive: '2025-03-03T11:30:00Z',
		statuses: ['mastered']
	}),
	row('Dev Patel', {
		grade: 4,
		cohort: 'Cedar',
		openFlags: 2,
		mustTotal: 3,
		mustDone: 3,
		lastActive: '2025-03-02T14:00:00Z',
		statuses: ['submitted', 'stuck']
	})
];
const names = (rows: readonly BoardRow[]) => rows.map((r) => r.name);

describe('sorting the board', () => {
	it.each<[SortKey, string[]]>([
		['name', ['ada Brown', 'Ada Lovelace', 'Ben Okafor', 'Cleo Reyes', 'Dev Patel']],
		['grade', ['Ada Lovelace', 'Dev Patel', 'ada Brown', 'Cleo Reyes', 'Ben Okafor']],
		// Fewest must-dos done first; a student with no must-dos has nothing to catch up on.
		['must', ['Ben Okafor', 'Cleo Reyes', 'Ada Lovelace', 'Dev Patel', 'ada Brown']],
		// Most open flags first, ties by name.
		['flags', ['Ben Okafor', 'Dev Patel', 'Cleo Reyes', 'ada Brown', 'Ada Lovelace']],
		// Never active first, then longest ago.
		['active', ['Cleo Reyes', 'Dev Patel', 'Ben Okafor', 'Ada Lovelace', 'ada Brown']]
	])('by %s', (key, expected) => {
		expect(names(sortRows(pod, key))).toEqual(expected);
	});

	it('leaves the rows it was given alone', () => {
		const before = names(pod);
		sortRows(pod, 'flags');
		expect(names(pod)).toEqual(before);
	});

	it.each([
		[{ mustDone: 0, mustTotal: 0 }, null],
		[{ mustDone: 0, mustTotal: 4 }, 0],
		[{ mustDone: 3, mustTotal: 4 }, 0.75],
		[{ mustDone: 2, mustTotal: 2 }, 1]
	])('must-dos %j are %s done', (counts, share) => {
		expect(mustShare(counts)).toBe(share);
	});
});

describe('filtering the board', () => {
	it.each<[string, Partial<BoardFilters>, string[]]>([
		['nothing', {}, ['Ada Lovelace', 'Ben Okafor', 'Cleo Reyes', 'ada Brown', 'Dev Patel']],
		['grade 4', { grade: 4 }, ['Ada Lovelace', 'Dev Patel']],
		['grade 7 (nobody)', { grade: 7 }, []],
		['cohort Maple', { cohort: 'Maple' }, ['Ada Lovelace', 'Cleo Reyes']],
		['group g1', { groupId: 'g1' }, ['Ben Okafor', 'Cleo Reyes']],
		['group g2', { groupId: 'g2' }, ['Cleo Reyes']],
		['anyone stuck', { status: 'stuck' }, ['Ben Okafor', 'Dev Patel']],
		['anyone mastered', { status: 'mastered' }, ['ada Brown']],
		['not started', { status: 'not_started' }, ['Ben Okafor', 'Cleo Reyes']],
		['grade 4 and stuck', { grade: 4, status: 'stuck' }, ['Dev Patel']],
		['cohort Cedar in group g1', { cohort: 'Cedar', groupId: 'g1' }, ['Ben Okafor']],
		['grade 5, cohort Cedar', { grade: 5, cohort: 'Cedar' }, []]
	])('by %s', (_, filters, expected) => {
		expect(names(filterRows(pod, { ...NO_FILTERS, ...filters }))).toEqual(expected);
	});

	it.each<[Partial<BoardFilters>, boolean]>([
		[{}, false],
		[{ grade: 4 }, true],
		[{ status: 'stuck' }, true],
		[{ cohort: 'Maple', groupId: 'g1' }, true]
	])('%j is filtered: %s', (filters, filtered) => {
		expect(isFiltered({ ...NO_FILTERS, ...filters })).toBe(filtered);
	});

	it('offers each grade and cohort once, with its count', () => {
		expect(filterChoices(pod)).toEqual({
			grades: [
				{ grade: 4, count: 2 },
				{ grade: 5, count: 2 },
				{ grade: 6, count: 1 }
			],
			cohorts: [
				{ cohort: 'Cedar', count: 2 },
				{ cohort: 'Maple', count: 2 }
			]
		});
	});
});

describe('grade sections', () => {
	it.each<[string, SortKey, [number, string[]][]]>([
		[
			'sorted by name',
			'name',
			[
				[4, ['Ada Lovelace', 'Dev Patel']],
				[5, ['ada Brown', 'Cleo Reyes']],
				[6, ['Ben Okafor']]
			]
		],
		[
			'sorted by flags',
			'flags',
			[
				[4, ['Dev Patel', 'Ada Lovelace']],
				[5, ['Cleo Reyes', 'ada Brown']],
				[6, ['Ben Okafor']]
			]
		]
	])('keep the order inside each grade when %s', (_, key, expected) => {
		const sections = sectionsByGrade(sortRows(pod, key));
		expect(sections.map((s) => [s.grade, names(s.rows)])).toEqual(expected);
	});

	it('has no sections for no rows', () => {
		expect(sectionsByGrade([])).toEqual([]);
	});
});

describe('selecting a range', () => {
	const order = ['a', 'b', 'c', 'd', 'e'];
	it.each<[string | null, string, string[]]>([
		['b', 'd', ['b', 'c', 'd']],
		['d', 'b', ['b', 'c', 'd']],
		['c', 'c', ['c']],
		[null, 'c', ['c']],
		// The anchor was filtered off the board: just the one clicked.
		['z', 'c', ['c']],
		['a', 'z', []]
	])('from %s to %s', (anchor, target, expected) => {
		expect(rangeBetween(order, anchor, target)).toEqual(expected);
	});
});

describe('the assign link', () => {
	it.each<[string[], string]>([
		[[], '/pods/p1/assign'],
		[['s1'], '/pods/p1/assign?student=s1'],
		[['s1', 's2', 's3'], '/pods/p1/assign?student=s1&student=s2&student=s3']
	])('for %j', (ids, href) => {
		expect(assignHref('p1', ids)).toBe(href);
	});
});
