import type { FlagRule } from '../db/schema';

/** An open flag, with the skill its work is about (none for idle or pace). */
export interface FlagForGrouping {
	flagId: string;
	studentId: string;
	rule: FlagRule;
	skill: { id: string; code: string; name: string } | null;
	createdAt: string;
}

export interface SuggestedGroup {
	focusSkillId: string;
	title: string;
	studentIds: string[];
	flagIds: string[];
	reason: string;
}

export const MAX_GROUP_SIZE = 6;

const RULE_WORDS: Partial<Record<FlagRule, string>> = {
	stuck: 'stuck',
	low_score: 'scored low',
	manual: 'flagged by a teacher',
	hand_up: 'waiting with a hand up'
};

/**
 * Suggested intervention groups: open flags about the same skill, at most six students a
 * group, the students flagged longest ago first. A skill with one flagged student is a
 * conference, not a group. Pure, so it is tested without a server.
 */
export function suggestGroups(flags: readonly FlagForGrouping[]): SuggestedGroup[] {
	const bySkill = new Map<string, FlagForGrouping[]>();
	for (const flag of flags) {
		if (!flag.skill) continue;
		const list = bySkill.get(flag.skill.id) ?? [];
		list.push(flag);
		bySkill.set(flag.skill.id, list);
	}
	const suggestions: SuggestedGroup[] = [];
	for (const skillFlags of bySkill.values()) {
		const { skill } = skillFlags[0];
		// One entry per student: their oldest flag on this skill leads, the rest come along.
		const students = new Map<string, FlagForGrouping[]>();
		for (const flag of [...skillFlags].sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
			const list = students.get(flag.studentId) ?? [];
			list.push(flag);
			students.set(flag.studentId, list);
		}
		if (students.size < 2) continue;
		const entries = [...students.entries()];
		const groups = Math.ceil(entries.length / MAX_GROUP_SIZE);
		// Even sizes, nobody left over: 7 students make groups of 4 and 3, 31 make 6, 5, 5, 5, 5, 5.
		const base = Math.floor(entries.length / groups);
		const larger = entries.length % groups;
		let start = 0;
		for (let g = 0; g < groups; g++) {
			const size = base + (g < larger ? 1 : 0);
			const members = entries.slice(start, start + size);
			start += size;
			const memberFlags = members.flatMap(([, list]) => list);
			suggestions.push({
				focusSkillId: skill!.id,
				title: groups > 1 ? `${skill!.name} (${skill!.code}) · ${g + 1}` : `${skill!.name} (${skill!.code})`,
				studentIds: members.map(([id]) => id),
				flagIds: memberFlags.map((f) => f.flagId),
				reason: `${members.length} students ${describe(memberFlags)} on ${skill!.code} ${skill!.name}`
			});
		}
	}
	// The largest need first.
	return suggestions.sort(
		(a, b) => b.studentIds.length - a.studentIds.length || a.title.localeCompare(b.title)
	);
}

function describe(flags: readonly FlagForGrouping[]): string {
	const rules = [...new Set(flags.map((f) => RULE_WORDS[f.rule] ?? 'flagged'))];
	return rules.length === 1 ? rules[0] : `${rules.slice(0, -1).join(', ')} or ${rules.at(-1)}`;
}
