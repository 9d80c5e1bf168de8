// The pod's live events: every kind a server records (live/log.ts) and what each one carries,
// shared by the server that writes them and the pages that follow them. Browser-safe: types and
// two small functions, nothing else.
import type { AssignmentStatus, ScoreSource } from '../domain';

/** One assignment's state after a batch of progress: enough for a board to change one cell. */
export interface AssignmentChange {
	assignmentId: string;
	studentId: string;
	activityId: string;
	status: AssignmentStatus;
	score: number | null;
	/** Where that score comes from. */
	scoreSource: ScoreSource | null;
	lastEventAt: string | null;
}

/** A student's mastery of each skill with counted evidence, as a percent (src/lib/mastery/model.ts). */
export interface MasteryNow {
	studentId: string;
	skills: Record<string, number>;
}

/** How many people of one kind a roster import added, updated and deactivated. */
export interface ImportCount {
	add: number;
	update: number;
	deactivate: number;
}

/**
 * Every kind of pod event, and its payload exactly as it goes on the wire and into the log.
 * A new kind starts here: the server cannot record a kind this map does not name, and each
 * page's switch over kinds fails to compile until it says what the new kind does there.
 * `studentIds` names the students an event is about: a student's page hears only its own.
 */
export interface PodEventPayloads {
	/**
	 * Students did work (or a teacher marked it): the cells' new states, and, when scored work
	 * came or went, each such student's whole mastery now (skill id → percent; a skill left out
	 * has no counted evidence).
	 */
	progress: { studentIds: string[]; assignments: AssignmentChange[]; mastery?: MasteryNow[] };
	/** The lead changed what counts as evidence or where mastery's levels begin: read mastery again. About no student. */
	'mastery.rulesChanged': { studentIds: [] };
	/** Flags were raised, grouped or resolved: each named student's count of open flags now. */
	'flags.changed': { studentIds: readonly string[]; openFlags: Record<string, number> };
	/** A group was formed, claimed, moved on or closed, or its members changed. */
	'groups.changed': { studentIds: string[]; groupId: string };
	/** A hand went up, was claimed or was lowered. */
	'help.changed': { studentIds: string[] };
	/** The team's duties changed: a week's rota, or one weekday's blocks. About no student. */
	'duties.changed': { studentIds: []; weekOf: string } | { studentIds: []; weekday: number };
	/** Someone marked students present, absent or late, or an adult in or out, on this day. About no student. */
	'attendance.changed': { studentIds: []; day: string };
	/** The day's note for the adults in the room was written, rewritten or acknowledged. About no student. */
	'dayNote.changed': { studentIds: []; day: string };
	/** An adult recorded what they saw a student do on the floor (studentId: whom; the team's, not the student's). */
	'observation.recorded': { studentIds: []; studentId: string; evidence?: boolean };
	/** Activities were added to, removed from or moved in these students' playlists. */
	'playlist.changed': { studentIds: string[] };
	/**
	 * A roster import (or a lead adding a student by hand) changed this pod's people, or
	 * (importedInto) another pod's import changed some of them, or a student moved to (movedTo) or
	 * from (movedFrom) another pod of the school.
	 */
	'roster.changed':
		| { students: ImportCount; staff: ImportCount }
		| { importedInto: string }
		| { studentIds: string[]; movedTo: string }
		| { studentIds: string[]; movedFrom: string };
	/** The school's calendar changed (a day off added, removed or imported): today may have no school. About no student. */
	'calendar.changed': { studentIds: []; schoolId: string };
	/** Too many wrong picture guesses: this student cannot sign in with pictures for a while. */
	'signIn.locked': { lockedStudentId: string };
	/** A lead let these students try their pictures again. */
	'signIn.unlocked': { unlockedStudentIds: string[] };
}

export type PodEventKind = keyof PodEventPayloads;

/** One event of the pod's log as a live stream sends it, numbered by the pod's `seq`. */
export type PodEventMessage = {
	[K in PodEventKind]: { seq: number; kind: K; payload: PodEventPayloads[K]; at: string };
}[PodEventKind];

/**
 * A pod event as a page receives it, before the page has checked it. The log keeps events that
 * an older Podboard wrote (or a newer one, while several servers are upgraded), and payloads
 * scrubbed when a student's data was erased, so a page must survive any kind and any payload:
 * it reads one with `knownEvent`, and reads the board again rather than trust a payload it
 * cannot read. A PodEventMessage is one.
 */
export interface ReceivedPodEvent {
	seq: number;
	kind: string;
	payload: unknown;
	at: string;
}

/** A payload whose fields are named by the map, each one still to be checked. */
type Unchecked<Payload> = Payload extends unknown ? { [Field in keyof Payload]?: unknown } : never;

/** A received event of a kind this version knows, its payload an object whose fields are unchecked. */
export type KnownPodEvent = {
	[K in PodEventKind]: { kind: K; payload: Unchecked<PodEventPayloads[K]> };
}[PodEventKind];

// One entry per kind, so this list cannot fall behind the map.
const KINDS: Record<PodEventKind, true> = {
	progress: true,
	'mastery.rulesChanged': true,
	'flags.changed': true,
	'groups.changed': true,
	'help.changed': true,
	'duties.changed': true,
	'playlist.changed': true,
	'attendance.changed': true,
	'dayNote.changed': true,
	'observation.recorded': true,
	'roster.changed': true,
	'calendar.changed': true,
	'signIn.locked': true,
	'signIn.unlocked': true
};

export function isPodEventKind(kind: string): kind is PodEventKind {
	return Object.hasOwn(KINDS, kind);
}

/**
 * The event as this version of Podboard knows it, or null for a kind it does not know (see
 * ReceivedPodEvent). A payload that is not an object (a list, say) reads as one with no fields.
 */
export function knownEvent(event: Pick<ReceivedPodEvent, 'kind' | 'payload'>): KnownPodEvent | null {
	if (!isPodEventKind(event.kind)) return null;
	const { payload } = event;
	const fields = typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? payload : {};
	// Each field is unknown until read, so any object is a payload of any kind here.
	return { kind: event.kind, payload: fields } as KnownPodEvent;
}

/**
 * The default of a switch over kinds: it compiles only when every kind has its case, so a kind
 * added to PodEventPayloads is a compile error in each switch that misses it.
 */
export function everyKindHandled(event: never): never {
	throw new Error(`A pod event of kind ${(event as { kind: string }).kind} has no case here.`);
}
