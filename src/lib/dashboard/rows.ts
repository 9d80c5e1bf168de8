// Which students the board shows, in which order. Browser-safe and pure.
import type { AssignmentStatus } from '../domain';

/** What sorting and filtering need to know about a student's row. */
export interface BoardRow {
	id: string;
	name: string;
	grade: number;
	cohort: string | null;
	groupIds: readonly string[];
	openFlags: number;
	mustTotal: number;
	mustDone: number;
	/** The latest progress event on any of the student's assignments (ISO time). */
	lastActive: string | null;
	hasStatus(status: AssignmentStatus): boolean;
}

export type SortKey = 'name' | 'grade' | 'must' | 'flags' | 'active';

/** The triage orders put the students who need an adult first. */
export const SORT_OPTIONS: readonly { key: SortKey; label: string }[] = [
	{ key: 'name', label: 'Name' },
	{ key: 'grade', label: 'Grade' },
	{ key: 'must', label: 'Must-dos done (fewest first)' },
	{ key: 'flags', label: 'Open flags (most first)' },
	{ key: 'active', label: 'Last active (longest ago first)' }
];

export interface BoardFilters {
	grade: number | null;
	cohort: string | null;
	groupId: string | null;
	/** Keeps students with at least one activity in this status. */
	status: AssignmentStatus | null;
}

export const NO_FILTERS: BoardFilters = { grade: null, cohort: null, groupId: null, status: null };

export function isFiltered(filters: BoardFilters): boolean {
	return Object.values(filters).some((value) => value !== null);
}

export function filterRows<Row extends BoardRow>(rows: readonly Row[], filters: BoardFilters): Row[] {
	const { grade, cohort, groupId, status } = filters;
	return rows.filter(
		(row) =>
			(grade === null || row.grade === grade) &&
			(cohort === null || row.cohort === cohort) &&
			(groupId === null || row.groupIds.includes(groupId)) &&
			(status === null || row.hasStatus(status))
	);
}

/** The share of must-dos done, 0–1; null for a student with none. */
export function mustShare(row: Pick<BoardRow, 'mustDone' | 'mustTotal'>): number | null {
	return row.mustTotal === 0 ? null : row.mustDone / row.mustTotal;
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
const byName = (a: BoardRow, b: BoardRow) => collator.compare(a.name, b.name) || a.id.localeCompare(b.id);

// Each order breaks ties by name, so the board never shuffles rows that compare equal.
const ORDERS: Record<SortKey, (a: BoardRow, b: BoardRow) => number> = {
	name: byName,
	grade: (a, b) => a.grade - b.grade || byName(a, b),
	must: (a, b) => {
		// Students with no must-dos have nothing to catch up on: they go last.
		const sa = mustShare(a) ?? Infinity;
		const sb = mustShare(b) ?? Infinity;
		return sa === sb ? byName(a, b) : sa < sb ? -1 : 1;
	},
	flags: (a, b) => b.openFlags - a.openFlags || byName(a, b),
	active: (a, b) => {
		// Never active comes first: that student has not started anything.
		const ta = a.lastActive ?? '';
		const tb = b.lastActive ?? '';
		return ta === tb ? byName(a, b) : ta < tb ? -1 : 1;
	}
};

export function sortRows<Row extends BoardRow>(rows: readonly Row[], key: SortKey): Row[] {
	return [...rows].sort(ORDERS[key]);
}

/** Rows cut into one section per grade, lowest grade first, keeping their order inside each. */
export function sectionsByGrade<Row extends Pick<BoardRow, 'grade'>>(
	rows: readonly Row[]
): { grade: number; rows: Row[] }[] {
	const sections = new Map<number, Row[]>();
	for (const row of rows) {
		const section = sections.get(row.grade);
		if (section) section.push(row);
		else sections.set(row.grade, [row]);
	}
	return [...sections.entries()].sort(([a], [b]) => a - b).map(([grade, rows]) => ({ grade, rows }));
}

/** The grades and cohorts a filter can offer, with how many students each has. */
export function filterChoices(rows: readonly Pick<BoardRow, 'grade' | 'cohort'>[]) {
	const grades = new Map<number, number>();
	const cohorts = new Map<string, number>();
	for (const row of rows) {
		grades.set(row.grade, (grades.get(row.grade) ?? 0) + 1);
		if (row.cohort !== null) cohorts.set(row.cohort, (cohorts.get(row.cohort) ?? 0) + 1);
	}
	return {
		grades: [...grades.entries()].sort(([a], [b]) => a - b).map(([grade, count]) => ({ grade, count })),
		cohorts: [...cohorts.entries()]
			.sort(([a], [b]) => collator.compare(a, b))
			.map(([cohort, count]) => ({ cohort, count }))
	};
}

/**
 * The students from `anchor` to `target` inclusive, in the order on screen: what a shift-click
 * selects. Without an anchor on screen, just the target.
 */
export function rangeBetween(order: readonly string[], anchor: string | null, target: string): string[] {
	const to = order.indexOf(target);
	if (to < 0) return [];
	const from = anchor === null ? -1 : order.indexOf(anchor);
	if (from < 0) return [target];
	return order.slice(Math.min(from, to), Math.max(from, to) + 1);
}

/** The assign page, with these students chosen. */
export function assignHref(podId: string, studentIds: Iterable<string>): string {
	const query = new URLSearchParams();
	for (const id of studentIds) query.append('student', id);
	const search = query.toString();
	return `/pods/${podId}/assign${search ? `?${search}` : ''}`;
}
