import type { ActivityKind, AssignmentStatus, ProgressEventKind } from '../server/db/schema';

export interface EventForDerivation {
	kind: ProgressEventKind;
	/** Points for a `submit`, out of the activity's max score (or a percent when it has none). */
	score: number | null;
	occurredAt: string;
}

export interface ActivityForDerivation {
	kind: ActivityKind;
	maxScore: number | null;
}

export interface DerivedAssignmentState {
	status: AssignmentStatus;
	/** Percent of the max score of the latest scored submission. */
	score: number | null;
	attempts: number;
	secondsSpent: number;
	lastEventAt: string | null;
}

/** The statuses that mean the work is finished: everywhere "done" is counted. */
export const FINISHED_STATUSES = ['submitted', 'mastered'] as const satisfies readonly AssignmentStatus[];
export const isDone = (status: AssignmentStatus): boolean =>
	(FINISHED_STATUSES as readonly AssignmentStatus[]).includes(status);

/** A scored submission at or above this percent counts as mastered. */
export const MASTERY_PERCENT = 80;
/** A gap longer than this between events is a break, not work: count only this much of it. */
export const MAX_WORK_GAP_SECONDS = 20 * 60;

/**
 * The assignment's state, from its events alone. Pure, so the same answer comes from a
 * replay, a retried batch or a rebuild. Events may arrive out of order: they are sorted here.
 */
export function deriveAssignmentState(
	events: readonly EventForDerivation[],
	activity: ActivityForDerivation
): DerivedAssignmentState {
	const ordered = [...events].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
	let status: AssignmentStatus = 'not_started';
	let score: number | null = null;
	let attempts = 0;
	let secondsSpent = 0;
	let workingSince: number | null = null;

	for (const event of ordered) {
		const at = Date.parse(event.occurredAt);
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
				// A raised hand is a request for an adult, not a change in the work.
				if (status === 'not_started') status = 'in_progress';
				workingSince = at;
				break;
			case 'submit': {
				attempts += 1;
				workingSince = null;
				const percent = toPercent(event.score, activity.maxScore);
				if (percent !== null) score = percent;
				if (status === 'mastered') break;
				const scored = activity.maxScore !== null || activity.kind === 'assessment';
				status = scored && percent !== null && percent >= MASTERY_PERCENT ? 'mastered' : 'submitted';
				break;
			}
		}
	}

	return {
		status,
		score,
		attempts,
		secondsSpent: Math.round(secondsSpent),
		lastEventAt: ordered.at(-1)?.occurredAt ?? null
	};
}

function toPercent(points: number | null, maxScore: number | null): number | null {
	if (points === null) return null;
	if (maxScore === null || maxScore <= 0) return Math.max(0, Math.min(100, Math.round(points)));
	return Math.max(0, Math.min(100, Math.round((points / maxScore) * 100)));
}
