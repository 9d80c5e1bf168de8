// The board's skills view: one column per skill, each cell a student's standing on that skill
// across the activities on their playlist that practise it. Browser-safe and pure.
import type { AssignmentStatus } from '../domain';
import { isDone } from '../progress/derive';
import { NOT_ASSIGNED } from './words';

export interface SkillSummary {
	/** The student's assigned activities that practise the skill. */
	assigned: number;
	/** Of those, submitted or mastered. */
	done: number;
	mastered: number;
	stuck: number;
	inProgress: number;
	/** done / assigned, 0–1; null when nothing is assigned. */
	share: number | null;
}

export function summarizeSkill(cells: readonly { status: AssignmentStatus }[]): SkillSummary {
	let done = 0;
	let mastered = 0;
	let stuck = 0;
	let inProgress = 0;
	for (const { status } of cells) {
		if (isDone(status)) done += 1;
		if (status === 'mastered') mastered += 1;
		else if (status === 'stuck') stuck += 1;
		else if (status === 'in_progress') inProgress += 1;
	}
	const assigned = cells.length;
	return { assigned, done, mastered, stuck, inProgress, share: assigned ? done / assigned : null };
}

/**
 * The one mark a skill cell shows, in the same icons as an activity: stuck on any activity wins;
 * all done shows submitted (mastered when every one is); anything begun shows in progress.
 */
export function skillMark(summary: SkillSummary): AssignmentStatus | null {
	if (summary.assigned === 0) return null;
	if (summary.stuck > 0) return 'stuck';
	if (summary.done === summary.assigned)
		return summary.mastered === summary.assigned ? 'mastered' : 'submitted';
	if (summary.done > 0 || summary.inProgress > 0) return 'in_progress';
	return 'not_started';
}

/** "2 of 3 done, 1 mastered, 1 stuck", or "not assigned". */
export function skillWords(summary: SkillSummary): string {
	if (summary.assigned === 0) return NOT_ASSIGNED;
	const parts = [`${summary.done} of ${summary.assigned} done`];
	if (summary.mastered) parts.push(`${summary.mastered} mastered`);
	if (summary.stuck) parts.push(`${summary.stuck} stuck`);
	if (summary.inProgress) parts.push(`${summary.inProgress} in progress`);
	return parts.join(', ');
}

/** "Ada Lovelace — 4.NF.1 Equivalent fractions: 2 of 3 done, 1 stuck". */
export function skillCellName(student: string, skill: { code: string; name: string }, summary: SkillSummary) {
	return `${student} — ${skill.code} ${skill.name}: ${skillWords(summary)}`;
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
