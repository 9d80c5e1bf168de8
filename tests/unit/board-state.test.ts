import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_MASTERY_THRESHOLDS } from '../../src/lib/mastery/model';
import type { Heatmap } from '../../src/lib/server/dashboard/heatmap';
import { packRows, type PackedCell } from '../../src/lib/dashboard/cells';
import type { AssignmentStatus } from '../../src/lib/server/db/schema';
import { Board, EmptyCell, type LiveCell } from '../../src/routes/(staff)/pods/[podId]/board.svelte';

// vi.mock is hoisted above the imports. The board reads the whole heatmap again through the API; here that answer is ours to give.
const api = vi.hoisted(() => ({
	calls: [] as { podId: string }[],
	answer: (): Promise<Heatmap> => Promise.reject(new Error('No answer set for dashboard.heatmap')),
	query(input: { podId: string }) {
		api.calls.push(input);
		return api.answer();
	}
}));
vi.mock('../../src/lib/trpc', () => ({ trpc: { dashboard: { heatmap: { query: api.query } } } }));

const student = (id: string, name: string, grade: number) => ({
	id,
	name,
	grade,
	cohort: null,
	groupIds: [],
	openFlags: 0,
	lastActive: id === 's1' ? '2026-11-23T10:00:00.000Z' : null
});
const activity = (id: string, title: string, subject: string) => ({
	id,
	title,
	subject,
	kind: 'practice',
	archived: false,
	skillIds: []
});
// The fixtures' students are s1…s3 and activities a1…a2, in that order on the board.
const cell = (
	studentId: string,
	activityId: string,
	status: AssignmentStatus,
	score: number | null = null
): PackedCell => [
	Number(studentId.slice(1)) - 1,
	Number(activityId.slice(1)) - 1,
	status,
	score,
	'must',
	score === null ? null : 'teacher'
];

const CELLS = [cell('s1', 'a1', 'submitted', 85), cell('s1', 'a2', 'not_started'), cell('s2', 'a1', 'stuck')];

/** The board's answer, its cells given as tuples and sent as the server sends them. */
function heatmap({ cells = CELLS, ...overrides }: Partial<Heatmap> & { cells?: PackedCell[] } = {}): Heatmap {
	return {
		students: [
			student('s1', 'Ada Lovelace', 5),
			student('s2', 'Ben Okafor', 4),
			student('s3', 'Cleo Reyes', 5)
		],
		activities: [activity('a1', 'Fractions', 'math'), activity('a2', 'Book club', 'reading')],
		skills: [],
		groups: [],
		rows: packRows(cells, 3),
		asOfSeq: 10,
		timeZone: 'America/New_York',
		mastery: [[], [], []],
		masteryThresholds: DEFAULT_MASTERY_THRESHOLDS,
		...overrides
	};
}

const progress = (
	seq: number,
	studentId: string,
	activityId: string,
	status: AssignmentStatus,
	score = null
) => ({
	seq,
	kind: 'progress',
	at: '2026-11-23T10:42:07.000Z',
	payload: {
		studentIds: [studentId],
		assignments: [
			{
				assignmentId: `as-${studentId}-${activityId}`,
				studentId,
				activityId,
				status,
				score,
				lastEventAt: '2026-11-23T10:42:07.000Z'
			}
		]
	}
});

const labels = (board: Board) => board.students.map((s) => s.row.map((slot) => slot.label));

beforeEach(() => {
	api.calls = [];
	api.answer = () => Promise.reject(new Error('No answer set for dashboard.heatmap'));
});

describe('the board as read', () => {
	it('has a slot for every student × activity, named for a screen reader', () => {
		const board = new Board('p1', heatmap());
		expect(labels(board)).toEqual([
			['Ada Lovelace — Fractions: submitted, 85%', 'Ada Lovelace — Book club: not started'],
			['Ben Okafor — Fractions: stuck', 'Ben Okafor — Book club: not assigned'],
			['Cleo Reyes — Fractions: not assigned', 'Cleo Reyes — Book club: not assigned']
		]);
		expect(board.students[1].row[1]).toBeInstanceOf(EmptyCell);
		expect(board.seq).toBe(10);
	});

	it.each([
		['s1', 1, 2],
		['s2', 0, 1],
		['s3', 0, 0]
	])('counts %s must-dos: %i of %i done', (id, done, total) => {
		const board = new Board('p1', heatmap());
		const row = board.student(id)!;
		expect([row.mustDone, row.mustTotal]).toEqual([done, total]);
	});

	it('draws a line where a new subject starts', () => {
		const board = new Board('p1', heatmap());
		expect(board.students[0].row.map((slot) => slot.className)).toEqual([
			'cell s-submitted scored',
			'cell divide s-not_started'
		]);
		expect(board.students[2].row.map((slot) => slot.className)).toEqual(['cell', 'cell divide']);
	});

	it('shows no score on a projector, yet still names it', () => {
		const board = new Board('p1', heatmap());
		const scored = board.students[0].row[0] as LiveCell;
		expect(scored.text).toBe('85');
		board.projector = true;
		expect(scored.text).toBe('');
		expect(scored.className).toBe('cell s-submitted');
		expect(scored.label).toBe('Ada Lovelace — Fractions: submitted, 85%');
	});
});

describe('live changes', () => {
	it('change the one cell named, flash it, and move the board on', async () => {
		const board = new Board('p1', heatmap());
		const before = labels(board);
		await board.receive(progress(11, 's1', 'a2', 'in_progress'));
		const after = labels(board);
		expect(after[0][1]).toBe('Ada Lovelace — Book club: in progress');
		after[0][1] = before[0][1];
		expect(after).toEqual(before);
		expect(board.students[0].row[1].className).toBe('cell divide s-in_progress flash-a');
		await board.receive(progress(12, 's1', 'a2', 'stuck'));
		expect(board.students[0].row[1].className).toBe('cell divide s-stuck flash-b');
		expect(board.seq).toBe(12);
		expect(board.lastUpdate).not.toBeNull();
		expect(api.calls).toEqual([]);
	});

	it("move a student's last activity forward, never back", async () => {
		const board = new Board('p1', heatmap());
		const [ada, ben] = board.students;
		await board.receive(progress(11, 's2', 'a1', 'in_progress'));
		expect(ben.lastActive).toBe('2026-11-23T10:42:07.000Z');
		// A change that happened earlier (an outbox flushed late) leaves the later time standing.
		const late = progress(12, 's2', 'a1', 'submitted');
		late.payload.assignments[0].lastEventAt = '2026-11-23T09:00:00.000Z';
		await board.receive(late);
		expect(ben.lastActive).toBe('2026-11-23T10:42:07.000Z');
		expect(ada.lastActive).toBe('2026-11-23T10:00:00.000Z');
	});

	it.each([
		['already on the board when it was read', 10],
		['older still', 3]
	])('skip a message %s', async (_, seq) => {
		const board = new Board('p1', heatmap());
		await board.receive(progress(seq, 's1', 'a2', 'stuck'));
		expect(board.students[0].row[1].label).toBe('Ada Lovelace — Book club: not started');
		expect(board.seq).toBe(10);
	});

	it('ignore kinds the board does not show, but count them as seen', async () => {
		const board = new Board('p1', heatmap());
		await board.receive({ seq: 11, kind: 'help.requested', payload: { studentIds: ['s1'] }, at: '' });
		expect(board.seq).toBe(11);
		expect(api.calls).toEqual([]);
	});

	it('read the whole board again when a playlist changed, and apply what came meanwhile once', async () => {
		const board = new Board('p1', heatmap());
		let answer!: (heatmap: Heatmap) => void;
		const read = new Promise<Heatmap>((resolve) => (answer = resolve));
		api.answer = () => read;

		const reading = board.receive({
			seq: 11,
			kind: 'playlist.changed',
			payload: { studentIds: ['s3'] },
			at: ''
		});
		// While the board is read again: one change it will include, one that comes after it.
		void board.receive(progress(12, 's1', 'a2', 'in_progress'));
		void board.receive(progress(14, 's3', 'a1', 'in_progress'));
		answer(
			heatmap({
				cells: [...CELLS, cell('s1', 'a2', 'in_progress'), cell('s3', 'a1', 'not_started')],
				asOfSeq: 13
			})
		);
		await reading;
		await vi.waitFor(() => expect(board.seq).toBe(14));

		expect(api.calls).toEqual([{ podId: 'p1' }]);
		expect(labels(board)[0][1]).toBe('Ada Lovelace — Book club: in progress');
		expect(labels(board)[2][0]).toBe('Cleo Reyes — Fractions: in progress');
		// Applied on top of the fresh read: the change after it flashes, the one inside it does not.
		expect(board.students[2].row[0].className).toBe('cell s-in_progress flash-a');
		expect(board.students[0].row[1].className).toBe('cell divide s-in_progress');
	});

	it('read the whole board again for a cell it does not have yet', async () => {
		const board = new Board('p1', heatmap());
		api.answer = async () => heatmap({ cells: [...CELLS, cell('s3', 'a2', 'in_progress')], asOfSeq: 11 });
		await board.receive(progress(11, 's3', 'a2', 'in_progress'));
		expect(api.calls).toHaveLength(1);
		expect(labels(board)[2][1]).toBe('Cleo Reyes — Book club: in progress');
	});

	it('keep the board it has when reading it again fails', async () => {
		const board = new Board('p1', heatmap());
		api.answer = async () => {
			throw new Error('offline');
		};
		await board.receive({ seq: 11, kind: 'playlist.changed', payload: { studentIds: [] }, at: '' });
		expect(labels(board)[0][0]).toBe('Ada Lovelace — Fractions: submitted, 85%');
		await board.receive(progress(12, 's1', 'a1', 'mastered'));
		expect(labels(board)[0][0]).toBe('Ada Lovelace — Fractions: mastered');
	});
});

describe('selecting students', () => {
	it.each([
		['by name', false, ['s1', 's2', 's3'], 's1', 's3', ['s1', 's2', 's3']],
		// Grouped by grade, the screen reads Ben (4), then Ada and Cleo (5): a range follows the screen.
		['grouped by grade', true, ['s2', 's1', 's3'], 's2', 's1', ['s2', 's1']]
	])('selects a range on screen %s', (_, grouped, order, from, to, selected) => {
		const board = new Board('p1', heatmap());
		board.groupByGrade = grouped;
		expect(board.onScreen.map((s) => s.id)).toEqual(order);
		board.toggle(from);
		board.selectRange(to);
		expect([...board.selected].sort()).toEqual([...selected].sort());
		board.clearSelection();
		expect(board.selected.size).toBe(0);
	});

	it('toggles one student on and off', () => {
		const board = new Board('p1', heatmap());
		board.toggle('s2');
		expect([...board.selected]).toEqual(['s2']);
		board.toggle('s2');
		expect(board.selected.size).toBe(0);
	});
});
