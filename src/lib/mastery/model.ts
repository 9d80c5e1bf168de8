// Mastery of a skill, per student, over time: the one model, pure and browser-safe.
//
// Evidence is a result on one skill at one time: a quick check's items tagged with the skill
// (the share of them right), or a scored activity that practises it (its whole score). What
// counts is what the pod believes (verified scores; self-reported ones only where the pod says so).
//
// A student's mastery of a skill is the mean of their last three counted results on it, so one bad
// day moves it but does not sink it, and three good ones in a row reach the top. Its level:
//   mastered    at or over `mastered` (80 unless the pod sets it: the bar an activity is mastered at)
//   proficient  at or over `proficient` (65)
//   practicing  at or over `practicing` (40)
//   not yet     under that
// and no level at all with no counted evidence yet.
import type { ScoreSource } from '../domain';
import { MASTERY_PERCENT } from '../progress/derive';
import { countsAsEvidence, scorePercent } from '../progress/score';

export const MASTERY_LEVELS = ['not_yet', 'practicing', 'proficient', 'mastered'] as const;
export type MasteryLevel = (typeof MASTERY_LEVELS)[number];

export const MASTERY_LEVEL_WORDS: Record<MasteryLevel, string> = {
	not_yet: 'not yet',
	practicing: 'practicing',
	proficient: 'proficient',
	mastered: 'mastered'
};

/** How many of the latest counted results the mean takes. */
export const RESULTS_IN_MEAN = 3;

/** The lowest percent of each level above "not yet"; the pod may set its own, in this order. */
export interface MasteryThresholds {
	practicing: number;
	proficient: number;
	mastered: number;
}

export const DEFAULT_MASTERY_THRESHOLDS: MasteryThresholds = {
	practicing: 40,
	proficient: 65,
	mastered: MASTERY_PERCENT
};

/** One result on one skill. */
export interface SkillEvidence {
	/** 0–100. */
	percent: number;
	source: ScoreSource;
	/** ISO time. */
	at: string;
}

export interface Mastery {
	/** The mean of the latest counted results, a whole percent. */
	percent: number;
	level: MasteryLevel;
	/** How many counted results there are in all. */
	results: number;
}

export function levelOf(percent: number, thresholds: MasteryThresholds): MasteryLevel {
	if (percent >= thresholds.mastered) return 'mastered';
	if (percent >= thresholds.proficient) return 'proficient';
	if (percent >= thresholds.practicing) return 'practicing';
	return 'not_yet';
}

// Results of the same instant (marks made at once) in one order, whatever order they are read in:
// mastery is a function of the results, not of how a query returned them.
const byTime = (a: SkillEvidence, b: SkillEvidence) =>
	a.at < b.at
		? -1
		: a.at > b.at
			? 1
			: a.percent - b.percent || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0);

/**
 * Mastery from a student's evidence on one skill, as of `asOf` (ISO time; all of it when absent).
 * Null when nothing counted has come by then.
 */
export function masteryOf(
	evidence: readonly SkillEvidence[],
	rules: { selfReportedCounts: boolean; thresholds: MasteryThresholds },
	asOf?: string
): Mastery | null {
	const counted = evidence
		.filter(
			(e) => countsAsEvidence(e.source, rules.selfReportedCounts) && (asOf === undefined || e.at < asOf)
		)
		.sort(byTime);
	if (counted.length === 0) return null;
	const latest = counted.slice(-RESULTS_IN_MEAN);
	const percent = Math.round(latest.reduce((sum, e) => sum + e.percent, 0) / latest.length);
	return { percent, level: levelOf(percent, rules.thresholds), results: counted.length };
}

/** The mastery after each counted result, oldest first: what a trend chart draws. */
export function masteryHistory(
	evidence: readonly SkillEvidence[],
	rules: { selfReportedCounts: boolean; thresholds: MasteryThresholds }
): (Mastery & { at: string; result: number })[] {
	const counted = evidence.filter((e) => countsAsEvidence(e.source, rules.selfReportedCounts)).sort(byTime);
	return counted.map((e, i) => {
		const latest = counted.slice(Math.max(0, i + 1 - RESULTS_IN_MEAN), i + 1);
		const percent = Math.round(latest.reduce((sum, r) => sum + r.percent, 0) / latest.length);
		return {
			at: e.at,
			result: e.percent,
			percent,
			level: levelOf(percent, rules.thresholds),
			results: i + 1
		};
	});
}

/** Up, down or level between two levels (no evidence is below "not yet"). */
export function movement(before: MasteryLevel | null, now: MasteryLevel | null): 'up' | 'down' | 'same' {
	const rank = (level: MasteryLevel | null) => (level === null ? -1 : MASTERY_LEVELS.indexOf(level));
	const change = rank(now) - rank(before);
	return change > 0 ? 'up' : change < 0 ? 'down' : 'same';
}

/**
 * A check's evidence per skill: for each skill its items are tagged with, the share of those items
 * right. (The activity's other skills take the whole check's score where it is stored.)
 */
export function checkEvidence(
	items: readonly { skills: readonly string[]; right: boolean }[]
): Map<string, number> {
	const tally = new Map<string, { right: number; of: number }>();
	for (const item of items) {
		for (const skill of new Set(item.skills)) {
			const t = tally.get(skill) ?? { right: 0, of: 0 };
			t.of += 1;
			if (item.right) t.right += 1;
			tally.set(skill, t);
		}
	}
	const percents = new Map<string, number>();
	for (const [skill, t] of tally) percents.set(skill, (t.right / t.of) * 100);
	return percents;
}

/**
 * What one scored submission shows of each skill: a check's share right per tagged skill
 * (`skillPercents`), and the whole score for each other skill the activity practises.
 */
export function submissionEvidence(
	score: { points: number; maxPoints: number | null },
	practised: readonly string[],
	skillPercents: ReadonlyMap<string, number> = new Map()
): Map<string, number> {
	const percents = new Map(skillPercents);
	for (const skill of practised) if (!percents.has(skill)) percents.set(skill, scorePercent(score));
	return percents;
}
