import type { AssignmentStatus, Priority } from '$lib/server/db/schema';

/**
 * One assigned student × activity as `dashboard.heatmap` sends it: positions in the heatmap's
 * `students` and `activities`, then the cell's state. A tuple, not an object, because a board
 * carries ~5,000 of them and their keys and ids were four fifths of the answer.
 */
export type PackedCell = [
	student: number,
	activity: number,
	status: AssignmentStatus,
	/** Percent. */
	score: number | null,
	priority: Priority
];

/** A cell with its student and activity named by id: for readers that are not the board. */
export interface BoardCell {
	studentId: string;
	activityId: string;
	status: AssignmentStatus;
	score: number | null;
	priority: Priority;
}

export function unpackCells(heatmap: {
	students: readonly { id: string }[];
	activities: readonly { id: string }[];
	cells: readonly PackedCell[];
}): BoardCell[] {
	return heatmap.cells.map(([student, activity, status, score, priority]) => ({
		studentId: heatmap.students[student].id,
		activityId: heatmap.activities[activity].id,
		status,
		score,
		priority
	}));
}
