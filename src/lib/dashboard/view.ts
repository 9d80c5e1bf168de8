import { NO_FILTERS, SORT_OPTIONS, type BoardFilters, type SortKey } from './rows';
import { isStatus } from './words';

/**
 * How the team has chosen to look at the board. It lives in the page's address, so Back, a
 * reload or a bookmark on the room's computer opens the same view (the projector included).
 */
export interface BoardView {
	columns: 'activities' | 'skills';
	sort: SortKey;
	filters: BoardFilters;
	groupByGrade: boolean;
	projector: boolean;
}

export const DEFAULT_VIEW: BoardView = {
	columns: 'activities',
	sort: 'name',
	filters: NO_FILTERS,
	groupByGrade: false,
	projector: false
};

/** The address's names for each part of the view; a part at its default is left out. */
const PARAMS = ['columns', 'sort', 'grade', 'cohort', 'group', 'status', 'by', 'projector'] as const;

/** The view an address asks for; anything it does not say, or says wrongly, stays at its default. */
export function viewFromSearch(search: URLSearchParams): BoardView {
	const grade = Number(search.get('grade'));
	const status = search.get('status');
	const sort = search.get('sort');
	return {
		columns: search.get('columns') === 'skills' ? 'skills' : 'activities',
		sort: SORT_OPTIONS.find((option) => option.key === sort)?.key ?? 'name',
		filters: {
			grade: Number.isInteger(grade) && grade > 0 ? grade : null,
			cohort: search.get('cohort') || null,
			groupId: search.get('group') || null,
			status: isStatus(status) ? status : null
		},
		groupByGrade: search.get('by') === 'grade',
		projector: search.get('projector') === 'on'
	};
}

/**
 * The address's query for a view, keeping whatever else `search` carries (another page's
 * parameters are not the board's to drop). The same view always gives the same query.
 */
export function searchOfView(view: BoardView, search = new URLSearchParams()): string {
	const next = new URLSearchParams(search);
	for (const name of PARAMS) next.delete(name);
	const { filters } = view;
	const parts: [(typeof PARAMS)[number], string | null][] = [
		['columns', view.columns === 'activities' ? null : view.columns],
		['sort', view.sort === 'name' ? null : view.sort],
		['grade', filters.grade === null ? null : String(filters.grade)],
		['cohort', filters.cohort],
		['group', filters.groupId],
		['status', filters.status],
		['by', view.groupByGrade ? 'grade' : null],
		['projector', view.projector ? 'on' : null]
	];
	for (const [name, value] of parts) if (value !== null) next.set(name, value);
	const query = next.toString();
	return query ? `?${query}` : '';
}

/** Words that start many titles and say only the kind of activity: shortened on a column's head. */
const PREFIXES: [RegExp, string][] = [
	[/^unit test:\s*/i, 'Test: '],
	[/^quiz:\s*/i, 'Quiz: ']
];

/**
 * An activity's title short enough for a narrow column's head (the whole title is its name and
 * its tooltip): whole words up to `max` characters, then an ellipsis.
 */
export function shortTitle(title: string, max = 22): string {
	let short = title.trim();
	for (const [prefix, instead] of PREFIXES) short = short.replace(prefix, instead);
	if (short.length <= max) return short;
	const cut = short.slice(0, max - 1);
	const space = cut.lastIndexOf(' ');
	// A word cut in half reads worse than a shorter label, unless the first word is itself too long.
	return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s:,;&-]+$/, '')}…`;
}

/** Hands waiting for someone first (the longest waiting first), then those someone is going to. */
export function handsInOrder<Hand extends { claimedBy: unknown; askedAt: string }>(
	hands: readonly Hand[]
): Hand[] {
	const waiting = (hand: Hand) => (hand.claimedBy ? 1 : 0);
	return [...hands].sort((a, b) => waiting(a) - waiting(b) || Date.parse(a.askedAt) - Date.parse(b.askedAt));
}
