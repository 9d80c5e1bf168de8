// How a score reads, wherever it is shown (the board, the side panel, /me, a student's page, flag
// reasons): one whole percent of the activity's max points, and where it comes from. Browser-safe
// and pure.
import type { ScoreSource } from '../domain';

/**
 * A score as it is kept: a submission's points out of the activity's max points (points are a
 * percent already when it has none), or a playlist item's derived percent.
 */
export type Score = { points: number; maxPoints: number | null } | { percent: number };

/** The score as a whole percent, 0–100. */
export function scorePercent(score: Score): number {
	const percent =
		'percent' in score
			? score.percent
			: score.maxPoints === null || score.maxPoints <= 0
				? score.points
				: (score.points / score.maxPoints) * 100;
	return Math.max(0, Math.min(100, Math.round(percent)));
}

/** "80%": 8 points of 10, 16 of 20, or a derived 80. */
export function scoreText(score: Score): string {
	return `${scorePercent(score)}%`;
}

/** Where a score comes from, as the team reads it beside the score. */
export const SCORE_SOURCE_WORDS: Record<ScoreSource, string> = {
	checked: 'checked by Podboard',
	teacher: 'marked by a teacher',
	content: 'reported by the activity',
	self: 'self-reported'
};

/** "70%, self-reported": the score, and where it comes from when that is known. */
export function scoreWithSource(score: Score, source: ScoreSource | null): string {
	return source === null ? scoreText(score) : `${scoreText(score)}, ${SCORE_SOURCE_WORDS[source]}`;
}

/**
 * Whether a score counts as evidence of learning (mastery, low-score flags): verified scores
 * always; what a student typed only in a pod that counts self-reported scores.
 */
export function countsAsEvidence(source: ScoreSource, selfReportedCounts: boolean): boolean {
	return source !== 'self' || selfReportedCounts;
}
