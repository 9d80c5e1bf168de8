import { describe, expect, it } from 'vitest';
import { gradeBand } from '../../src/lib/library/catalog';
import { filtersFromQuery, isFiltered, queryFromFilters } from '../../src/lib/library/filters';

const SKILL = '6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f';

describe('library filters in the address', () => {
	it.each([
		['', { archived: 'active' }],
		['?search=%20fractions%20', { search: 'fractions', archived: 'active' }],
		['?subject=science&kind=assessment', { subject: 'science', kind: 'assessment', archived: 'active' }],
		['?grade=0', { grade: 0, archived: 'active' }],
		[`?skill=${SKILL}&show=archived`, { skillId: SKILL, archived: 'archived' }],
		// Whatever is malformed is ignored, never an error page.
		['?subject=art&kind=homework&show=deleted', { archived: 'active' }],
		['?grade=13', { archived: 'active' }],
		['?grade=4.5', { archived: 'active' }],
		['?grade=', { archived: 'active' }],
		['?skill=not-an-id', { archived: 'active' }],
		['?search=%20%20', { archived: 'active' }]
	])('%s reads as %j', (query, expected) => {
		const filters = filtersFromQuery(new URLSearchParams(query));
		expect(Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined))).toEqual(
			expected
		);
	});

	it.each([
		['', false],
		['?search=ratio', true],
		['?grade=0', true],
		[`?subject=math&skill=${SKILL}&grade=5&kind=lesson&show=all`, true],
		['?show=archived', true]
	])('%s survives a round trip (filtered: %s)', (query, filtered) => {
		const filters = filtersFromQuery(new URLSearchParams(query));
		expect(queryFromFilters(filters)).toBe(query);
		expect(isFiltered(filters)).toBe(filtered);
	});

	it('leaves the default view out of the address', () => {
		expect(queryFromFilters(filtersFromQuery(new URLSearchParams('?show=active')))).toBe('');
	});
});

describe('grade bands', () => {
	it.each([
		[4, 4, '4'],
		[4, 6, '4–6'],
		[0, 2, 'K–2'],
		[0, 0, 'K']
	])('%i to %i reads %s', (low, high, words) => {
		expect(gradeBand(low, high)).toBe(words);
	});
});
