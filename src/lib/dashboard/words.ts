// How the pod board reads, aloud and on screen. Browser-safe and pure.
import type {
	AssignmentStatus,
	Duty,
	FlagRule,
	ObservationMark,
	ProgressEventKind,
	ScoreSource
} from '../domain';
import { scoreWithSource } from '../progress/score';

/** Every status, from untouched to mastered, with stuck where a teacher looks first. */
export const STATUSES: readonly AssignmentStatus[] = [
	'not_started',
	'in_progress',
	'stuck',
	'submitted',
	'mastered'
];

/** A status inside a sentence: a cell's accessible name, a summary. */
export const STATUS_NAMES: Record<AssignmentStatus, string> = {
	not_started: 'not started',
	in_progress: 'in progress',
	stuck: 'stuck',
	submitted: 'submitted',
	mastered: 'mastered'
};

/** A status on its own: the legend, a filter, the side panel. */
export const STATUS_LABELS: Record<AssignmentStatus, string> = {
	not_started: 'Not started',
	in_progress: 'In progress',
	stuck: 'Stuck',
	submitted: 'Submitted',
	mastered: 'Mastered'
};

export const NOT_ASSIGNED = 'not assigned';

export function isStatus(value: unknown): value is AssignmentStatus {
	return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

/**
 * "Ada Lovelace — Fractions on a number line: submitted, 85%", "…: submitted, 70%, self-reported"
 * when the score is what the student typed, or "…: not assigned".
 */
export function cellName(
	student: string,
	activity: string,
	cell: { status: AssignmentStatus; score: number | null; scoreSource?: ScoreSource | null } | null
): string {
	if (!cell) return `${student} — ${activity}: ${NOT_ASSIGNED}`;
	const score =
		cell.score === null
			? ''
			: `, ${scoreWithSource({ percent: cell.score }, cell.scoreSource === 'self' ? 'self' : null)}`;
	return `${student} — ${activity}: ${STATUS_NAMES[cell.status]}${score}`;
}

/**
 * The names a projector shows: first name and the family name's initial ("Ada L."), with more of
 * the family name where two students would otherwise read the same ("Ada Lo.", "Ada La.").
 * A name is read as given name, a space, then the family name.
 */
export function shortNames(students: readonly { id: string; name: string }[]): Map<string, string> {
	const parts = students.map((s) => {
		const name = s.name.trim();
		const space = name.indexOf(' ');
		return space < 0
			? { id: s.id, given: name, family: '' }
			: { id: s.id, given: name.slice(0, space), family: name.slice(space + 1).trim() };
	});
	const short = (given: string, family: string, letters: number) =>
		family ? `${given} ${family.slice(0, letters)}${letters < family.length ? '.' : ''}` : given;

	const result = new Map<string, string>();
	const letters = new Map(parts.map((p) => [p.id, 1]));
	// Lengthen only the clashing names, a letter at a time, until each reads differently or is whole.
	for (let round = 0; round < 40; round++) {
		const byShort = new Map<string, typeof parts>();
		for (const p of parts) {
			const key = short(p.given, p.family, letters.get(p.id)!);
			byShort.set(key, [...(byShort.get(key) ?? []), p]);
		}
		let clash = false;
		for (const [key, same] of byShort) {
			const growable = same.filter((p) => letters.get(p.id)! < p.family.length);
			if (same.length > 1 && growable.length > 0) {
				clash = true;
				for (const p of growable) letters.set(p.id, letters.get(p.id)! + 1);
			} else {
				for (const p of same) result.set(p.id, key);
			}
		}
		if (!clash) break;
	}
	for (const p of parts) if (!result.has(p.id)) result.set(p.id, short(p.given, p.family, p.family.length));
	return result;
}

/** What a student did, as the side panel lists it: "Started Fractions practice". */
export const EVENT_WORDS: Record<ProgressEventKind, string> = {
	start: 'Started',
	progress: 'Worked on',
	stuck: 'Stuck on',
	submit: 'Finished',
	help: 'Asked for help with',
	undo_submit: 'Took back Done on'
};

export const FLAG_WORDS: Record<FlagRule, string> = {
	stuck: 'Stuck',
	hand_up: 'Hand up',
	idle: 'Idle',
	low_score: 'Low score',
	behind_pace: 'Behind pace',
	no_contact: 'No adult contact',
	help_avoidance: 'Not asking for help',
	on_streak: 'On a streak',
	manual: 'Raised by a teacher'
};

/** How long since `iso`, as a teacher glancing at the queue reads it: "just now", "4 min", "1 h 5 min". */
export function howLongSince(iso: string, now: Date): string {
	const minutes = Math.max(0, Math.floor((now.getTime() - new Date(iso).getTime()) / 60_000));
	if (minutes < 1) return 'just now';
	if (minutes < 60) return `${minutes} min`;
	const hours = Math.floor(minutes / 60);
	if (hours >= 24) return `${Math.floor(hours / 24)} d`;
	return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

/** A duty as the team says it. */
export const DUTY_WORDS: Record<Duty, string> = {
	floor: 'Floor',
	small_group: 'Small group',
	conferences: 'Conferences',
	planning: 'Planning',
	observation: 'Observation'
};

/** "12 minutes", "1 minute", "40 seconds": how long a locked sign-in waits. */
export function waitInWords(seconds: number): string {
	if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
	const minutes = Math.ceil(seconds / 60);
	return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** An adult's quick mark of what they saw on the floor. */
export const OBSERVATION_WORDS: Record<ObservationMark, string> = {
	got_it: 'Got it',
	partly: 'Partly',
	not_yet: 'Not yet'
};
