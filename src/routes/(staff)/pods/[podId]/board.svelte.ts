import { tick } from 'svelte';
import { SvelteSet } from 'svelte/reactivity';
import { shareColor, statusPalette } from '$lib/dashboard/colors';
import { unpackRows, type PackedCell } from '$lib/dashboard/cells';
import { actionFor, type CellChange } from '$lib/dashboard/live';
import {
	filterChoices,
	filterRows,
	NO_FILTERS,
	rangeBetween,
	sectionsByGrade,
	sortRows,
	type BoardFilters,
	type BoardRow,
	type SortKey
} from '$lib/dashboard/rows';
import { skillColumns, type SkillColumn } from '$lib/dashboard/skills';
import { DEFAULT_MASTERY_THRESHOLDS, type MasteryThresholds } from '$lib/mastery/model';
import { DEFAULT_VIEW, type BoardView } from '$lib/dashboard/view';
import { cellName, shortNames } from '$lib/dashboard/words';
import type { PodEventMessage, ReceivedPodEvent } from '$lib/live/events';
import { StreamSubscriber, type PodStream } from '$lib/live/pod-stream.svelte';
import { isDone } from '$lib/progress/derive';
import { scorePercent } from '$lib/progress/score';
import type { Heatmap, HeatmapActivity, HeatmapSkill } from '$lib/dashboard/types';
import type { AssignmentStatus, Priority, ScoreSource } from '$lib/domain';
import { trpc } from '$lib/trpc';

/** What a cell needs to know about how the board is shown. */
interface Display {
	readonly projector: boolean;
}

/**
 * One student × activity on the board. Its changing fields are state of their own, so a live
 * change re-renders this cell and nothing else. The grid reads what it draws through getters:
 * plain property reads, which the template does not wrap in a derived of their own per cell.
 */
export class LiveCell {
	status = $state<AssignmentStatus>('not_started');
	score = $state<number | null>(null);
	scoreSource = $state<ScoreSource | null>(null);
	/** Counts live changes: each one flashes the cell. */
	flash = $state(0);
	readonly priority: Priority;
	readonly #student: string;
	readonly #activity: string;
	readonly #base: string;
	readonly #display: Display;

	constructor(
		[, , status, score, priority, scoreSource]: PackedCell,
		student: string,
		activity: string,
		firstOfSubject: boolean,
		display: Display
	) {
		this.priority = priority;
		this.status = status;
		this.score = score;
		this.scoreSource = scoreSource;
		this.#student = student;
		this.#activity = activity;
		this.#base = firstOfSubject ? 'cell divide' : 'cell';
		this.#display = display;
	}

	/** Status, score and a flash that alternates its class so each live change restarts it. */
	get className() {
		const flash = this.flash;
		const scored = this.text ? (this.scoreSource === 'self' ? ' scored self' : ' scored') : '';
		return `${this.#base} s-${this.status}${scored}${flash === 0 ? '' : flash % 2 ? ' flash-a' : ' flash-b'}`;
	}

	get label() {
		return cellName(this.#student, this.#activity, this);
	}

	/** The score, where there is one and the board is not on a projector (the room sees no scores). */
	get text() {
		return this.score === null || this.#display.projector
			? ''
			: String(scorePercent({ percent: this.score }));
	}
}

/** A student × activity with no assignment: drawn empty, named "not assigned". */
export class EmptyCell {
	readonly className: string;
	readonly text = '';
	readonly label: string;

	constructor(student: string, activity: string, firstOfSubject: boolean) {
		this.className = firstOfSubject ? 'cell divide' : 'cell';
		this.label = cellName(student, activity, null);
	}
}

/** A row of the board: the student, their cells in column order, and what sorting needs. */
export class LiveStudent implements BoardRow {
	readonly id: string;
	readonly name: string;
	/** "Ada L.": what the projector shows. */
	readonly short: string;
	readonly grade: number;
	readonly cohort: string | null;
	readonly groupIds: readonly string[];
	openFlags = $state(0);
	/** One slot per activity column, in column order. */
	readonly row: (LiveCell | EmptyCell)[];
	/** One slot per skill column: the student's cells for that skill's activities. */
	readonly skillCells: LiveCell[][];
	readonly cells: LiveCell[];
	readonly mustTotal: number;

	mustDone = $derived(this.#countMustDone());
	lastActive = $state<string | null>(null);
	/** Mastery of each skill with counted evidence: skill id → percent, replaced whole as it changes. */
	mastery = $state.raw<Record<string, number>>({});

	constructor(
		student: Heatmap['students'][number],
		short: string,
		row: (LiveCell | EmptyCell)[],
		skillCells: LiveCell[][],
		mastery: Record<string, number>
	) {
		this.id = student.id;
		this.name = student.name;
		this.short = short;
		this.grade = student.grade;
		this.cohort = student.cohort;
		this.groupIds = student.groupIds;
		this.openFlags = student.openFlags;
		this.lastActive = student.lastActive;
		this.row = row;
		this.skillCells = skillCells;
		this.mastery = mastery;
		this.cells = row.filter((cell) => cell instanceof LiveCell);
		this.mustTotal = this.cells.filter((cell) => cell.priority === 'must').length;
	}

	#countMustDone() {
		let done = 0;
		for (const cell of this.cells) if (cell.priority === 'must' && isDone(cell.status)) done += 1;
		return done;
	}

	/** The student did something at `at` (ISO time), which may arrive out of order. */
	wasActive(at: string | null) {
		if (at && (!this.lastActive || at > this.lastActive)) this.lastActive = at;
	}

	hasStatus(status: AssignmentStatus) {
		return this.cells.some((cell) => cell.status === status);
	}
}

export type ColumnMode = 'activities' | 'skills';

/**
 * The live pod board: the heatmap's data, how the team has chosen to look at it, and who is
 * selected. The pod's live stream (a PodStream) keeps it current.
 */
export class Board {
	readonly podId: string;
	students = $state.raw<LiveStudent[]>([]);
	activities = $state.raw<HeatmapActivity[]>([]);
	skills = $state.raw<SkillColumn<HeatmapSkill>[]>([]);
	/** Where the pod's mastery levels begin, as the lead set them. */
	masteryThresholds = $state.raw<MasteryThresholds>(DEFAULT_MASTERY_THRESHOLDS);
	groups = $state.raw<Heatmap['groups']>([]);
	/** The pod's time zone: every time on the board is told by the pod's wall clock. */
	timeZone = $state('UTC');

	columns = $state<ColumnMode>(DEFAULT_VIEW.columns);
	sort = $state<SortKey>(DEFAULT_VIEW.sort);
	filters = $state<BoardFilters>({ ...NO_FILTERS });
	groupByGrade = $state(DEFAULT_VIEW.groupByGrade);
	projector = $state(DEFAULT_VIEW.projector);

	selected = new SvelteSet<string>();
	/** Where a shift-click range starts: the student last toggled. */
	anchor: string | null = null;

	/** The student whose side panel is open. */
	panelStudentId = $state<string | null>(null);
	/** Bumped when the open panel's student changes live: the panel reads again. */
	panelVersion = $state(0);
	/** Where focus goes back to when the panel closes. */
	panelOpener: HTMLElement | null = null;

	/** When the board last heard from the pod (ms since the epoch). */
	lastUpdate = $state<number | null>(null);

	visible = $derived(sortRows(filterRows(this.students, this.filters), this.sort));
	sections = $derived(
		this.groupByGrade ? sectionsByGrade(this.visible) : [{ grade: null as number | null, rows: this.visible }]
	);
	/** The students in the order they are on screen, grade sections and all. */
	onScreen = $derived(this.sections.flatMap((section) => section.rows));
	choices = $derived(filterChoices(this.students));
	palette = $derived(statusPalette(this.projector));
	shareColor = $derived(shareColor(this.projector));

	/** The pod event the board is current to, and what waits while it is read again. */
	#place = new StreamSubscriber<ReceivedPodEvent>((message) => this.#take(message));
	// Not reactive on purpose: each LiveCell holds its own state; this only finds it.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#cells = new Map<string, LiveCell>();
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#rows = new Map<string, LiveStudent>();

	constructor(podId: string, heatmap: Heatmap, view: BoardView = DEFAULT_VIEW) {
		this.podId = podId;
		this.view = view;
		this.load(heatmap);
	}

	/** How the board is looked at: what the page keeps in its address. */
	get view(): BoardView {
		return {
			columns: this.columns,
			sort: this.sort,
			filters: { ...this.filters },
			groupByGrade: this.groupByGrade,
			projector: this.projector
		};
	}

	set view(view: BoardView) {
		this.columns = view.columns;
		this.sort = view.sort;
		this.filters = { ...view.filters };
		this.groupByGrade = view.groupByGrade;
		this.projector = view.projector;
		// The room sees no one's panel, and no one is chosen on a wall.
		if (view.projector) {
			this.panelStudentId = null;
			this.clearSelection();
		}
	}

	get seq() {
		return this.#place.seq;
	}

	/** Put the whole board in place, as read at `heatmap.asOfSeq`. */
	load(heatmap: Heatmap) {
		// Lookups for this one read, replaced whole by the next: nothing here is reactive.
		/* eslint-disable svelte/prefer-svelte-reactivity */
		const cells = new Map<string, LiveCell>();
		/* eslint-enable svelte/prefer-svelte-reactivity */
		const { students, activities } = heatmap;
		// A line down the board where one subject's columns end and the next one's begin.
		const firstOfSubject = activities.map((a, i) => i > 0 && a.subject !== activities[i - 1].subject);
		for (const cell of unpackRows(heatmap.rows)) {
			const [row, column] = cell;
			const student = students[row];
			const activity = activities[column];
			if (student === undefined || activity === undefined) continue;
			cells.set(
				`${student.id}:${activity.id}`,
				new LiveCell(cell, student.name, activity.title, firstOfSubject[column], this)
			);
		}
		const skills = skillColumns(heatmap.skills, heatmap.activities);
		const short = shortNames(heatmap.students);
		this.#cells = cells;
		this.students = heatmap.students.map((student, index) => {
			const row = heatmap.activities.map(
				(a, i) =>
					cells.get(`${student.id}:${a.id}`) ?? new EmptyCell(student.name, a.title, firstOfSubject[i])
			);
			const skillCells = skills.map((column) =>
				column.activityIds.flatMap((id) => cells.get(`${student.id}:${id}`) ?? [])
			);
			const mastery: Record<string, number> = {};
			heatmap.skills.forEach((skill, k) => {
				const percent = heatmap.mastery[index]?.[k];
				if (typeof percent === 'number') mastery[skill.id] = percent;
			});
			return new LiveStudent(student, short.get(student.id)!, row, skillCells, mastery);
		});
		this.masteryThresholds = heatmap.masteryThresholds;
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a lookup, replaced whole by each read
		this.#rows = new Map(this.students.map((row) => [row.id, row]));
		this.activities = heatmap.activities;
		this.skills = skills;
		this.groups = heatmap.groups;
		this.timeZone = heatmap.timeZone;
		this.#place.caughtUp(heatmap.asOfSeq);
		// A filter on a group that has ended would hide everyone.
		if (this.filters.groupId && !heatmap.groups.some((g) => g.id === this.filters.groupId)) {
			this.filters.groupId = null;
		}
	}

	student(id: string) {
		return this.#rows.get(id);
	}

	toggle(studentId: string) {
		if (this.projector) return;
		if (this.selected.has(studentId)) this.selected.delete(studentId);
		else this.selected.add(studentId);
		this.anchor = studentId;
	}

	/** Select everyone on screen from the last toggled student to this one. */
	selectRange(studentId: string) {
		if (this.projector) return;
		const order = this.onScreen.map((s) => s.id);
		for (const id of rangeBetween(order, this.anchor, studentId)) this.selected.add(id);
		this.anchor = studentId;
	}

	clearSelection() {
		this.selected.clear();
		this.anchor = null;
	}

	openPanel(studentId: string, opener: HTMLElement | null) {
		// On a projector the room would read the panel's flags and scores.
		if (this.projector) return;
		this.panelStudentId = studentId;
		this.panelOpener = opener;
	}

	closePanel() {
		this.panelStudentId = null;
		const opener = this.panelOpener;
		this.panelOpener = null;
		if (opener?.isConnected) opener.focus();
	}

	/** Take in the pod's live stream from where the board was read. Returns the teardown. */
	follow(stream: PodStream<PodEventMessage>): () => void {
		this.lastUpdate = Date.now();
		return stream.subscribe((message) => void this.receive(message));
	}

	/** Apply one message of the live stream, in order; a message already reflected is skipped. */
	receive(message: ReceivedPodEvent): Promise<void> {
		return this.#place.receive(message, message.seq);
	}

	async #take(message: ReceivedPodEvent) {
		this.lastUpdate = Date.now();
		const action = actionFor(message);
		if (action.kind === 'ignore') return;
		if (this.panelStudentId && action.studentIds.includes(this.panelStudentId)) this.panelVersion += 1;
		if (action.kind === 'reload') return this.reload();
		if (action.kind === 'flags') {
			for (const [id, count] of Object.entries(action.openFlags)) {
				const row = this.#rows.get(id);
				if (row) row.openFlags = count;
			}
			return;
		}

		performance.mark('podboard:live-start');
		for (const { studentId, skills } of action.mastery) {
			const row = this.#rows.get(studentId);
			if (row) row.mastery = skills;
		}
		const complete = this.#apply(action.changes);
		await tick();
		performance.measure('podboard:live-change', 'podboard:live-start');
		performance.clearMarks('podboard:live-start');
		// A cell the board does not have yet: its playlist changed too.
		if (!complete) await this.reload();
	}

	#apply(changes: CellChange[]): boolean {
		let complete = true;
		for (const change of changes) {
			// A student has one assignment per activity, so student and activity find the cell.
			const cell = this.#cells.get(`${change.studentId}:${change.activityId}`);
			if (!cell) {
				complete = false;
				continue;
			}
			cell.status = change.status;
			cell.score = change.score;
			cell.scoreSource = change.scoreSource;
			cell.flash += 1;
			this.#rows.get(change.studentId)?.wasActive(change.lastEventAt);
		}
		return complete;
	}

	/**
	 * Read the whole board again (cells came or went). What arrives meanwhile waits, then applies
	 * on top of what was read, so nothing is lost or applied twice. Should the read fail, the
	 * board keeps what it has; the next change that needs a reload tries again.
	 */
	reload(): Promise<void> {
		return this.#place.reload(async () =>
			this.load(await trpc.dashboard.heatmap.query({ podId: this.podId }))
		);
	}
}
