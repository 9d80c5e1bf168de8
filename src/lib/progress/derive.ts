import type { ActivityKind, AssignmentStatus, ProgressEventKind, ScoreSource } from '../domain';
import { countsAsEvidence, scorePercent } from './score';

export interface EventForDerivation {
	kind: ProgressEventKind;
	/** Points for a `submit`, out of the activity's max score (or a percent when it has none). */
	score: number | null;
	/** When it happened: ISO-8601 with any UTC offset, compared as an instant. */
	occurredAt: string;
	/** A teacher's mark (recorded by staff), not the student's own work. Absent: the student's. */
	byTeacher?: boolean;
	/** Where a submit's score comes from. Absent: `teacher` for a teacher's mark, else `self`. */
	source?: ScoreSource | null;
}

export interface ActivityForDerivation {
	kind: ActivityKind;
	maxScore: number | null;
}

/** What the pod counts as evidence of learning: verified scores, and self-reported ones if it says so. */
export interface EvidenceRules {
	selfReportedCounts: boolean;
}
export const VERIFIED_ONLY: EvidenceRules = { selfReportedCounts: false };

export interface DerivedAssignmentState {
	status: AssignmentStatus;
	/** Percent of the max score of the latest scored submission. */
	score: number | null;
	/** Where that score comes from. */
	scoreSource: ScoreSource | null;
	attempts: number;
	secondsSpent: number;
	/** The latest event's instant, as ISO-8601 UTC (text that sorts in time). */
	lastEventAt: string | null;
}

/** The statuses that mean the work is finished: everywhere "done" is counted. */
export const FINISHED_STATUSES = ['submitted', 'mastered'] as const satisfies readonly AssignmentStatus[];
export const isDone = (status: AssignmentStatus): boolean =>
	(FINISHED_STATUSES as readonly AssignmentStatus[]).includes(status);

/** A scored submission at or above this percent counts as mastered. */
export const MASTERY_PERCENT = 80;
/**
 * How long after a "Done" the student may take it back (an `undo_submit` event): long enough to
 * notice a slip of the finger, short enough that a teacher's reading of the work stays true.
 */
export const UNDO_DONE_MINUTES = 5;
const UNDO_DONE_MS = UNDO_DONE_MINUTES * 60_000;
/** A gap longer than this between events is a break, not work: count only this much of it. */
export const MAX_WORK_GAP_SECONDS = 20 * 60;

/**
 * The assignment's state, from its events alone. Pure, so the same answer comes from a
 * replay, a retried batch or a rebuild. Events may arrive out of order: they are sorted here,
 * by instant, so the order they arrive in never changes the answer.
 *
 * Scores: a submit's score is the latest word, and a student's mastery, once shown, stays
 * through their own later, lower tries (they may be practising). A teacher's mark is the
 * exception: it decides the status from its score alone, mastered or not, until the student
 * submits again after it — that submit counts by the normal rules. Only evidence the pod counts
 * (`evidence`) makes work mastered: by default a score the student typed is shown, not believed.
 */
export function deriveAssignmentState(
	events: readonly EventForDerivation[],
	activity: ActivityForDerivation,
	evidence: EvidenceRules = VERIFIED_ONLY
): DerivedAssignmentState {
	const ordered = events
		.map((event) => ({ event, at: Date.parse(event.occurredAt) }))
		.sort(
			(a, b) =>
				a.at - b.at || tieOrder(a.event) - tieOrder(b.event) || (a.event.score ?? -1) - (b.event.score ?? -1)
		);
	const scored = activity.maxScore !== null || activity.kind === 'assessment';
	const verdict = (percent: number | null, source: ScoreSource): AssignmentStatus =>
		scored &&
		percent !== null &&
		percent >= MASTERY_PERCENT &&
		countsAsEvidence(source, evidence.selfReportedCounts)
			? 'mastered'
			: 'submitted';
	let status: AssignmentStatus = 'not_started';
	let score: number | null = null;
	let scoreSource: ScoreSource | null = null;
	let attempts = 0;
	let secondsSpent = 0;
	let workingSince: number | null = null;
	/** The state just before the student's latest "Done", while it may still be taken back. */
	let beforeDone: {
		at: number;
		status: AssignmentStatus;
		score: number | null;
		scoreSource: ScoreSource | null;
		attempts: number;
	} | null = null;

	for (const { event, at } of ordered) {
		if (event.byTeacher && event.kind === 'submit') {
			// A teacher's mark is the latest word: the "Done" before it is no longer the student's to take back.
			beforeDone = null;
			// A teacher's mark: not the student's work, so their clock of work runs on through it.
			attempts += 1;
			const percent = toPercent(event.score, activity.maxScore);
			if (percent !== null) {
				score = percent;
				scoreSource = event.source ?? 'teacher';
				status = verdict(percent, scoreSource);
			} else if (status !== 'mastered') status = 'submitted';
			continue;
		}
		if (workingSince !== null) {
			secondsSpent += Math.min(Math.max(0, (at - workingSince) / 1000), MAX_WORK_GAP_SECONDS);
		}
		switch (event.kind) {
			case 'start':
			case 'progress':
				if (status !== 'mastered') status = 'in_progress';
				workingSince = at;
				break;
			case 'stuck':
				if (status !== 'mastered') status = 'stuck';
				workingSince = at;
				break;
			case 'help':
				// A raised hand is a request for an adult, not a change in the work (its clock runs on).
				if (workingSince !== null) workingSince = at;
				break;
			case 'undo_submit':
				// Within the window, the work is as it was before the "Done"; later, it stays done.
				if (beforeDone && at - beforeDone.at <= UNDO_DONE_MS) {
					({ status, score, scoreSource, attempts } = beforeDone);
					workingSince = status === 'in_progress' || status === 'stuck' ? at : null;
				}
				beforeDone = null;
				break;
			case 'submit': {
				beforeDone = { at, status, score, scoreSource, attempts };
				attempts += 1;
				workingSince = null;
				const percent = toPercent(event.score, activity.maxScore);
				const source = event.source ?? 'self';
				if (percent !== null) {
					score = percent;
					scoreSource = source;
				}
				if (status !== 'mastered') status = verdict(percent, source);
				break;
			}
		}
	}

	const last = ordered.at(-1);
	return {
		status,
		score,
		scoreSource,
		attempts,
		secondsSpent: Math.round(secondsSpent),
		lastEventAt: last ? new Date(last.at).toISOString() : null
	};
}

const KIND_ORDER: Record<ProgressEventKind, number> = {
	start: 0,
	progress: 1,
	help: 2,
	stuck: 3,
	submit: 4,
	undo_submit: 5
};

/**
 * Events at the same instant still need one order, or their arrival would decide: the
 * student's before the teacher's (the teacher marks what the student did), then by kind.
 */
const tieOrder = (event: EventForDerivation) => (event.byTeacher ? 10 : 0) + KIND_ORDER[event.kind];

const toPercent = (points: number | null, maxScore: number | null): number | null =>
	points === null ? null : scorePercent({ points, maxPoints: maxScore });
