import { describe, expect, it } from 'vitest';
import {
	DEFAULT_VIEW,
	handsInOrder,
	searchOfView,
	shortTitle,
	viewFromSearch,
	type BoardView
} from '../../src/lib/dashboard/view';

const view = ({
	filters = {},
	...changes
}: Omit<Partial<BoardView>, 'filters'> & { filters?: Partial<BoardView['filters']> } = {}): BoardView => ({
	...DEFAULT_VIEW,
	...changes,
	filters: { ...DEFAULT_VIEW.filters, ...filters }
});

describe("the board's view in its address", () => {
	it.each<[string, BoardView, string]>([
		['the default view', view(), ''],
		['skills', view({ columns: 'skills' }), '?columns=skills'],
		['a sort', view({ sort: 'flags' }), '?sort=flags'],
		[
			'every filter',
			view({ filters: { grade: 5, cohort: 'Blue', groupId: 'g-1', status: 'stuck' } }),
			'?grade=5&cohort=Blue&group=g-1&status=stuck'
		],
		['grouped by grade', view({ groupByGrade: true }), '?by=grade'],
		['on the projector', view({ projector: true }), '?projector=on'],
		[
			'all of it',
			view({ columns: 'skills', sort: 'must', groupByGrade: true, projector: true, filters: { grade: 4 } }),
			'?columns=skills&sort=must&grade=4&by=grade&projector=on'
		],
		['a cohort with a space', view({ filters: { cohort: 'Red Team' } }), '?cohort=Red+Team']
	])('%s reads back as itself', (_, shown, query) => {
		expect(searchOfView(shown)).toBe(query);
		expect(viewFromSearch(new URLSearchParams(query))).toEqual(shown);
	});

	it.each([
		['?columns=tables', view()],
		['?sort=shoe-size', view()],
		['?grade=five', view()],
		['?grade=-3', view()],
		['?status=asleep', view()],
		['?projector=1&by=cohort', view()],
		['?cohort=&group=', view()]
	])('%s asks for nothing the board has: the default stays', (query, expected) => {
		expect(viewFromSearch(new URLSearchParams(query))).toEqual(expected);
	});

	it("keeps another page's parameters and drops the view's old ones", () => {
		const search = new URLSearchParams('next=%2Fpods&grade=6&projector=on');
		expect(searchOfView(view({ filters: { grade: 4 } }), search)).toBe('?next=%2Fpods&grade=4');
	});
});

describe("an activity's short title on its column's head", () => {
	it.each([
		['Fractions practice 1', 'Fractions practice 1'],
		['Quiz: adding fractions', 'Quiz: adding fractions'],
		['Unit test: expressions', 'Test: expressions'],
		['Adding unlike fractions with area models', 'Adding unlike…'],
		['Character map: Because of Winn-Dixie', 'Character map…'],
		['Stream table: weathering and erosion', 'Stream table…'],
		['Supercalifragilisticexpialidocious', 'Supercalifragilistice…']
	])('%s reads %s', (title, short) => {
		expect(shortTitle(title)).toBe(short);
		expect(shortTitle(title).length).toBeLessThanOrEqual(22);
	});
});

describe('the help queue', () => {
	const hand = (id: string, askedAt: string, claimed = false) => ({
		id,
		askedAt,
		claimedBy: claimed ? { id: 't', name: 'Ms. Shah' } : null
	});

	it('puts hands nobody is going to first, the longest waiting first, then the claimed ones', () => {
		const hands = [
			hand('claimed-old', '2026-12-07T08:40:00Z', true),
			hand('new', '2026-12-07T09:10:00Z'),
			hand('claimed-new', '2026-12-07T09:05:00Z', true),
			hand('old', '2026-12-07T08:50:00+01:00')
		];
		expect(handsInOrder(hands).map((h) => h.id)).toEqual(['old', 'new', 'claimed-old', 'claimed-new']);
		// The list it was given is left as it was.
		expect(hands[0].id).toBe('claimed-old');
	});
});
