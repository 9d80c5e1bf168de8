import { expect, type Page } from '@playwright/test';
import { unpackCells, type BoardCell } from '../../src/lib/dashboard/cells';

// Reading the lead's board and moving a student on it, shared by the board's browser tests.

export const STATUS_WORDS = {
	not_started: 'not started',
	in_progress: 'in progress',
	stuck: 'stuck',
	submitted: 'submitted',
	mastered: 'mastered'
} as const;
export const CELL_NAME =
	/^[^—]+ — .+: (not started|in progress|stuck|submitted|mastered|not assigned)(, \d{1,3}%(, self-reported)?)?$/;

export type Status = BoardCell['status'];
export interface Heatmap {
	students: { id: string; name: string; grade: number; cohort: string | null }[];
	activities: { id: string; title: string; kind: string; skillIds: string[] }[];
	skills: { id: string; code: string; name: string }[];
	cells: BoardCell[];
}

/** The board's data as the API has it right now. */
export async function heatmapOf(page: Page, podId: string): Promise<Heatmap> {
	const input = encodeURIComponent(JSON.stringify({ podId }));
	const answer = await (await page.request.get(`/api/trpc/dashboard.heatmap?input=${input}`)).json();
	return { ...answer.result.data, cells: unpackCells(answer.result.data) };
}

export const cellName = (
	student: string,
	activity: string,
	status: Status,
	score: number | null = null,
	source: BoardCell['scoreSource'] = null
) =>
	`${student} — ${activity}: ${STATUS_WORDS[status]}${score === null ? '' : `, ${score}%`}${source === 'self' ? ', self-reported' : ''}`;

/**
 * Students of grade 6 that no other browser test signs in as (those take names from the top of
 * the join page, which lists students by given name), each with an activity not started yet.
 * Their join names ("Given F.") are unique, so the join page finds them.
 */
export function pickStudents(heatmap: Heatmap, count: number, skip: number) {
	const parts = (name: string) => [name.split(' ')[0], name.split(' ').slice(1).join(' ')];
	const joinName = (name: string) => `${parts(name)[0]} ${parts(name)[1][0]}.`;
	const joinOrder = heatmap.students
		.map((s) => parts(s.name).join('\u0000'))
		.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
	const joinNames = heatmap.students.map((s) => joinName(s.name));
	return heatmap.students
		.filter((s) => s.grade === 6 && joinOrder.indexOf(parts(s.name).join('\u0000')) >= 12)
		.slice(skip)
		.filter((s) => joinNames.filter((n) => n === joinName(s.name)).length === 1)
		.map((s) => {
			const cell = heatmap.cells.find((c) => c.studentId === s.id && c.status === 'not_started');
			return cell && { student: s, activity: heatmap.activities.find((a) => a.id === cell.activityId)! };
		})
		.filter((pick) => pick !== undefined)
		.slice(0, count);
}

export async function tap(student: Page, title: string, button: 'Start' | "I'm stuck") {
	const card = student.getByRole('list', { name: 'My playlist' }).getByRole('listitem', { name: title });
	await card.getByRole('button', { name: button }).click();
	await expect(student.getByText('All your work is saved.')).toBeVisible({ timeout: 10_000 });
}
