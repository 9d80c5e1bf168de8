import type { AssignmentStatus, Priority, ScoreSource } from '../domain';

/**
 * One assigned student × activity: positions in the heatmap's `students` and `activities`, then
 * the cell's state. A tuple, not an object: a board holds ~5,000 of them.
 */
export type PackedCell = [
	student: number,
	activity: number,
	status: AssignmentStatus,
	/** Percent. */
	score: number | null,
	priority: Priority,
	/** Where the score comes from. */
	scoreSource: ScoreSource | null
];

/** A cell with its student and activity named by id: for readers that are not the board. */
export interface BoardCell {
	studentId: string;
	activityId: string;
	status: AssignmentStatus;
	score: number | null;
	scoreSource: ScoreSource | null;
	priority: Priority;
}

// `dashboard.heatmap` sends each student's cells as one text, "12mM85t,13pS": the column, a
// letter for the status, a capital for the priority, then the score and a letter for where it
// comes from, if there is one. As JSON
// tuples, the cells were 190 KB that took longer to write and to read than the database took
// to find them; as text they are a fifth of that.
const STATUS_LETTER: Record<AssignmentStatus, string> = {
	not_started: 'n',
	in_progress: 'p',
	stuck: 's',
	submitted: 'u',
	mastered: 'm'
};
const PRIORITY_LETTER: Record<Priority, string> = { must: 'M', should: 'S', aspire: 'A' };
const SOURCE_LETTER: Record<ScoreSource, string> = { checked: 'c', teacher: 't', content: 'o', self: 's' };
const STATUS_OF = invert(STATUS_LETTER);
const PRIORITY_OF = invert(PRIORITY_LETTER);
const SOURCE_OF = invert(SOURCE_LETTER);
const CELL_TEXT = /(\d+)([a-z])([A-Z])(\d*)([a-z]?)/g;

/** One cell of a student's row text. */
export function packCell(
	column: number,
	status: AssignmentStatus,
	score: number | null,
	priority: Priority,
	scoreSource: ScoreSource | null
) {
	const source = score === null || scoreSource === null ? '' : SOURCE_LETTER[scoreSource];
	return `${column}${STATUS_LETTER[status]}${PRIORITY_LETTER[priority]}${score ?? ''}${source}`;
}

/** Each student's row text, from cells in any order: what the server sends. */
export function packRows(cells: readonly PackedCell[], students: number): string[] {
	const rows: string[][] = Array.from({ length: students }, () => []);
	for (const [student, column, status, score, priority, scoreSource] of cells)
		rows[student].push(packCell(column, status, score, priority, scoreSource));
	return rows.map((row) => row.join(','));
}

/** The cells of every student's row text, in row order. */
export function unpackRows(rows: readonly string[]): PackedCell[] {
	const cells: PackedCell[] = [];
	rows.forEach((text, student) => {
		for (const [, column, status, priority, score, source] of text.matchAll(CELL_TEXT))
			cells.push([
				student,
				Number(column),
				STATUS_OF[status],
				score === '' ? null : Number(score),
				PRIORITY_OF[priority],
				source === '' ? null : SOURCE_OF[source]
			]);
	});
	return cells;
}

export function unpackCells(heatmap: {
	students: readonly { id: string }[];
	activities: readonly { id: string }[];
	rows: readonly string[];
}): BoardCell[] {
	return unpackRows(heatmap.rows).map(([student, activity, status, score, priority, scoreSource]) => ({
		studentId: heatmap.students[student].id,
		activityId: heatmap.activities[activity].id,
		status,
		score,
		scoreSource,
		priority
	}));
}

function invert<K extends string>(letters: Record<K, string>): Record<string, K> {
	return Object.fromEntries(Object.entries(letters).map(([key, letter]) => [letter, key])) as Record<
		string,
		K
	>;
}
