// What the board does with each message of the pod's live stream. Browser-safe and pure.
import {
	everyKindHandled,
	knownEvent,
	type AssignmentChange,
	type MasteryNow,
	type ReceivedPodEvent
} from '../live/events';
import { SCORE_SOURCES, type ScoreSource } from '../domain';
import { isStatus } from './words';

/** A cell's new state, as a progress event carries it. */
export type CellChange = AssignmentChange;

export type LiveAction =
	/** Change these cells (and these students' mastery), and nothing else. */
	| { kind: 'cells'; changes: CellChange[]; mastery: MasteryNow[]; studentIds: string[] }
	/** Students' open flags changed: these are their counts now. */
	| { kind: 'flags'; openFlags: Record<string, number>; studentIds: string[] }
	/** Cells came or went, or groups changed: read the board again. */
	| { kind: 'reload'; studentIds: string[] }
	/** A kind this board does not show (yet). */
	| { kind: 'ignore' };

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

const strings = (value: unknown): string[] =>
	Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

const isScoreSource = (value: unknown): value is ScoreSource =>
	typeof value === 'string' && (SCORE_SOURCES as readonly string[]).includes(value);

function cellChange(value: unknown): CellChange | null {
	if (!isRecord(value)) return null;
	const { assignmentId, studentId, activityId, status, score, scoreSource, lastEventAt } = value;
	if (typeof assignmentId !== 'string' || typeof studentId !== 'string' || typeof activityId !== 'string')
		return null;
	if (!isStatus(status)) return null;
	return {
		assignmentId,
		studentId,
		activityId,
		status,
		score: typeof score === 'number' ? score : null,
		scoreSource: isScoreSource(scoreSource) ? scoreSource : null,
		lastEventAt: typeof lastEventAt === 'string' ? lastEventAt : null
	};
}

function masteryNow(value: unknown): MasteryNow | null {
	if (!isRecord(value) || typeof value.studentId !== 'string' || !isRecord(value.skills)) return null;
	const skills: Record<string, number> = {};
	for (const [skillId, percent] of Object.entries(value.skills)) {
		if (typeof percent !== 'number') return null;
		skills[skillId] = percent;
	}
	return { studentId: value.studentId, skills };
}

function cells(assignments: unknown, mastery: unknown, studentIds: string[]): LiveAction {
	const changes = (Array.isArray(assignments) ? assignments : []).map(cellChange);
	// Older events carry no mastery; one that does must be read whole.
	const masteries = mastery === undefined ? [] : Array.isArray(mastery) ? mastery.map(masteryNow) : [null];
	// A change the board cannot read is a change it would miss: read the whole board instead.
	if (changes.some((c) => c === null) || masteries.some((m) => m === null))
		return { kind: 'reload', studentIds };
	return {
		kind: 'cells',
		changes: changes as CellChange[],
		mastery: masteries as MasteryNow[],
		studentIds
	};
}

function flags(openFlags: unknown, studentIds: string[]): LiveAction {
	const counts = isRecord(openFlags) ? openFlags : {};
	const read: Record<string, number> = {};
	for (const id of studentIds) {
		const count = counts[id];
		// A count the board cannot read: read the whole board instead.
		if (typeof count !== 'number') return { kind: 'reload', studentIds };
		read[id] = count;
	}
	return { kind: 'flags', openFlags: read, studentIds };
}

/** What the board does with a message: each kind of pod event must have its case here. */
export function actionFor(message: Pick<ReceivedPodEvent, 'kind' | 'payload'>): LiveAction {
	const event = knownEvent(message);
	// A kind another version of Podboard wrote: nothing this board knows how to show.
	if (!event) return { kind: 'ignore' };
	const studentIds = strings(isRecord(message.payload) ? message.payload.studentIds : undefined);
	switch (event.kind) {
		case 'progress':
			return cells(event.payload.assignments, event.payload.mastery, studentIds);
		case 'flags.changed':
			return flags(event.payload.openFlags, studentIds);
		case 'playlist.changed':
		case 'groups.changed':
		case 'roster.changed':
		case 'mastery.rulesChanged':
			return { kind: 'reload', studentIds };
		case 'observation.recorded':
			// A mark on a skill moved the student's mastery: read the board again; a note alone changes no cell.
			return event.payload.evidence === true
				? { kind: 'reload', studentIds: strings([event.payload.studentId]) }
				: { kind: 'ignore' };
		case 'help.changed':
		case 'duties.changed':
		case 'calendar.changed':
		case 'signIn.locked':
		case 'signIn.unlocked':
		case 'attendance.changed':
		case 'dayNote.changed':
			// The triage rail's (and the board's notice of a day off) to show, not the grid's.
			return { kind: 'ignore' };
		default:
			return everyKindHandled(event);
	}
}
