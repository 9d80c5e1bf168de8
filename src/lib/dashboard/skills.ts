// The board's skills view: one column per skill, each cell a student's standing on that skill
// across the activities on their playlist that practise it. Browser-safe and pure.
import type { AssignmentStatus } from '../domain';
import { levelOf, MASTERY_LEVEL_WORDS, type MasteryLevel, type MasteryThresholds } from '../mastery/model';
import { MASTERY_PERCENT } from '../progress/derive';
import { NOT_ASSIGNED } from './words';

/** A student's work on a skill's activities, counted so that work under the bar is not done. */
export interface SkillSummary {
	/** The student's assigned activities that practise the skill. */
	assigned: number;
	/** Scored at or over the bar. */
	mastered: number;
	/** Handed in with nothing under the bar: unscored work, or work that has no mastery. */
	finished: number;
	/** Handed in with a score under the bar (it may have raised a low-score flag): not done. */
	belowBar: number;
	stuck: number;
	inProgress: number;
	notStarted: number;
	/** At the bar: mastered or finished. */
	met: number;
	/** met / assigned, 0–1; null when nothing is assigned. */
	share: number | null;
}

export function summarizeSkill(
	cells: readonly { status: AssignmentStatus; score: number | null }[]
): SkillSummary {
	const summary = { mastered: 0, finished: 0, belowBar: 0, stuck: 0, inProgress: 0, notStarted: 0 };
	for (const { status, score } of cells) {
		if (status === 'mastered') summary.mastered += 1;
		else if (status === 'submitted') {
			if (score !== null && score < MASTERY_PERCENT) summary.belowBar += 1;
			else summary.finished += 1;
		} else if (status === 'stuck') summary.stuck += 1;
		else if (status === 'in_progress') summary.inProgress += 1;
		else summary.notStarted += 1;
	}
	const assigned = cells.length;
	const met = summary.mastered + summary.finished;
	return { assigned, ...summary, met, share: assigned ? met / assigned : null };
}

/** What a skill cell's mark shows: a status's, or work under the bar. */
export type SkillMark = AssignmentStatus | 'below_bar';

/**
 * The one mark a skill cell shows: stuck on any activity wins, then work under the bar; all met
 * shows submitted (mastered when every one is); anything begun shows in progress.
 */
export function skillMark(summary: SkillSummary): SkillMark | null {
	if (summary.assigned === 0) return null;
	if (summary.stuck > 0) return 'stuck';
	if (summary.belowBar > 0) return 'below_bar';
	if (summary.met === summary.assigned)
		return summary.mastered === summary.assigned ? 'mastered' : 'submitted';
	if (summary.met > 0 || summary.inProgress > 0) return 'in_progress';
	return 'not_started';
}

/** What the cell shows: "1/2" (at the bar, of assigned), then "1 below" on a line of its own. */
export function skillText(summary: SkillSummary): string {
	if (summary.assigned === 0) return '';
	const ratio = `${summary.met}/${summary.assigned}`;
	return summary.belowBar ? `${ratio}\n${summary.belowBar} below` : ratio;
}

/**
 * What the cell shows, word for word (its line break a space, so the name holds its visible text),
 * then each kind of work in words: "1/3 1 below — 1 mastered, 1 below the bar, 1 not started".
 */
export function skillWords(summary: SkillSummary): string {
	if (summary.assigned === 0) return NOT_ASSIGNED;
	const parts: [number, string][] = [
		[summary.mastered, 'mastered'],
		[summary.finished, 'finished'],
		[summary.belowBar, 'below the bar'],
		[summary.stuck, 'stuck'],
		[summary.inProgress, 'in progress'],
		[summary.notStarted, 'not started']
	];
	const shown = skillText(summary).replace('\n', ' ');
	return `${shown} — ${parts
		.filter(([count]) => count > 0)
		.map(([count, words]) => `${count} ${words}`)
		.join(', ')}`;
}

/** "Ada Lovelace — 4.NF.1 Equivalent fractions: 1/2 1 below — 1 mastered, 1 below the bar". */
export function skillCellName(student: string, skill: { code: string; name: string }, words: string) {
	return `${student} — ${skill.code} ${skill.name}: ${words}`;
}

export interface SkillColumn<Skill> {
	skill: Skill;
	/** The board's activities that practise this skill. */
	activityIds: string[];
}

/** One column per skill that at least one activity on the board practises, in the skills' order. */
export function skillColumns<Skill extends { id: string }>(
	skills: readonly Skill[],
	activities: readonly { id: string; skillIds: readonly string[] }[]
): SkillColumn<Skill>[] {
	const activitiesOf = new Map<string, string[]>();
	for (const activity of activities) {
		for (const skillId of activity.skillIds) {
			activitiesOf.set(skillId, [...(activitiesOf.get(skillId) ?? []), activity.id]);
		}
	}
	return skills
		.filter((skill) => activitiesOf.has(skill.id))
		.map((skill) => ({ skill, activityIds: activitiesOf.get(skill.id)! }));
}

/** A student's mastery of the skill (src/lib/mastery/model.ts), when there is counted evidence. */
export interface CellMastery {
	percent: number;
	level: MasteryLevel;
}

export const cellMastery = (
	percent: number | undefined,
	thresholds: MasteryThresholds
): CellMastery | null => (percent === undefined ? null : { percent, level: levelOf(percent, thresholds) });

/** Each level's mark: mastered a star, proficient a check, practicing half a circle, not yet an arrow down. */
const LEVEL_MARK: Record<MasteryLevel, SkillMark> = {
	mastered: 'mastered',
	proficient: 'submitted',
	practicing: 'in_progress',
	not_yet: 'below_bar'
};

/**
 * A skill cell on the board: with evidence, the student's mastery ("80%", its level's mark);
 * without, their work on the skill's activities as before. Stuck on one of them always shows.
 */
export function skillCell(summary: SkillSummary, mastery: CellMastery | null) {
	if (!mastery) return { mark: skillMark(summary), text: skillText(summary), words: skillWords(summary) };
	const work = summary.assigned ? skillWords(summary).split(' — ')[1] : NOT_ASSIGNED;
	return {
		mark: summary.stuck > 0 ? ('stuck' as const) : LEVEL_MARK[mastery.level],
		text: `${mastery.percent}%`,
		// What it shows, its level, then the work: "80% mastered — 1 mastered, 1 not started".
		words: `${mastery.percent}% ${MASTERY_LEVEL_WORDS[mastery.level]} — ${work}`
	};
}
