import type { Db } from '../db';
import { podRoster } from '../pods/queries';

/**
 * Everything the playlist pages offer to choose from, in one read: the pod's active students
 * (with the grades and cohorts they make up), its intervention groups, the rules of its open
 * flags, and its unarchived activities with their skills.
 */
export async function playlistCandidates(db: Db, pod: { id: string; name: string }) {
	const [students, groups, flags, activities, skills] = await Promise.all([
		podRoster(db, pod.id),
		db
			.selectFrom('intervention_groups')
			.select((eb) => [
				'intervention_groups.id',
				'intervention_groups.title',
				'intervention_groups.status',
				eb
					.selectFrom('group_members')
					.innerJoin('users', 'users.id', 'group_members.student_id')
					.select((s) => s.fn.countAll<number>().as('n'))
					.whereRef('group_members.group_id', '=', 'intervention_groups.id')
					.where('users.status', '=', 'active')
					.as('members')
			])
			.where('intervention_groups.pod_id', '=', pod.id)
			.orderBy('intervention_groups.created_at', 'desc')
			.execute(),
		db
			.selectFrom('flags')
			.innerJoin('users', 'users.id', 'flags.student_id')
			.select(['flags.rule', 'flags.student_id'])
			.where('flags.pod_id', '=', pod.id)
			.where('flags.status', '=', 'open')
			.where('users.status', '=', 'active')
			.execute(),
		db
			.selectFrom('activities')
			.select(['id', 'title', 'subject', 'kind', 'grade_low', 'grade_high'])
			.where('pod_id', '=', pod.id)
			.where('archived_at', 'is', null)
			.orderBy('subject')
			.orderBy('title')
			.execute(),
		db
			.selectFrom('activity_skills')
			.innerJoin('skills', 'skills.id', 'activity_skills.skill_id')
			.select(['activity_skills.activity_id', 'skills.code'])
			.where('skills.pod_id', '=', pod.id)
			.orderBy('skills.code')
			.execute()
	]);

	const skillCodes = new Map<string, string[]>();
	for (const { activity_id, code } of skills) {
		skillCodes.set(activity_id, [...(skillCodes.get(activity_id) ?? []), code]);
	}

	return {
		pod,
		students,
		grades: countBy(students.map((s) => s.grade)).map(([grade, count]) => ({ grade, students: count })),
		cohorts: countBy(students.flatMap((s) => (s.cohort ? [s.cohort] : []))).map(([cohort, count]) => ({
			cohort,
			students: count
		})),
		groups: groups.map((g) => ({
			id: g.id,
			title: g.title,
			status: g.status,
			members: Number(g.members ?? 0)
		})),
		flags: {
			/** Students with any open flag. */
			students: new Set(flags.map((f) => f.student_id)).size,
			byRule: countBy(uniquePairs(flags).map((f) => f.rule)).map(([rule, count]) => ({
				rule,
				students: count
			}))
		},
		activities: activities.map((a) => ({
			id: a.id,
			title: a.title,
			subject: a.subject,
			kind: a.kind,
			gradeLow: a.grade_low,
			gradeHigh: a.grade_high,
			skills: skillCodes.get(a.id) ?? []
		}))
	};
}

/** [value, how many times] for each distinct value, sorted by value. */
function countBy<T extends string | number>(values: readonly T[]): [T, number][] {
	const counts = new Map<T, number>();
	for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
	return [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** One row per student × rule: a student with two open "stuck" flags counts once. */
function uniquePairs<T extends { rule: string; student_id: string }>(flags: readonly T[]): T[] {
	const seen = new Map(flags.map((f) => [`${f.student_id} ${f.rule}`, f]));
	return [...seen.values()];
}
