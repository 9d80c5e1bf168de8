import type { Db } from '../db';
import type { AssignmentStatus, Priority } from '../db/schema';
import { latestSeq } from '../live/log';
import { podRoster } from '../pods/queries';

export interface HeatmapStudent {
	id: string;
	name: string;
	grade: number;
	cohort: string | null;
	/** Intervention groups the student is in that are not done yet. */
	groupIds: string[];
	openFlags: number;
}

export interface HeatmapActivity {
	id: string;
	title: string;
	subject: string;
	kind: string;
	archived: boolean;
	skillIds: string[];
}

export interface HeatmapSkill {
	id: string;
	code: string;
	name: string;
	subject: string;
}

export interface HeatmapCell {
	studentId: string;
	activityId: string;
	assignmentId: string;
	status: AssignmentStatus;
	/** Percent. */
	score: number | null;
	priority: Priority;
	lastEventAt: string | null;
}

export interface Heatmap {
	students: HeatmapStudent[];
	/** Every activity on at least one playlist in the pod: the board's columns. */
	activities: HeatmapActivity[];
	skills: HeatmapSkill[];
	groups: { id: string; title: string }[];
	cells: HeatmapCell[];
	/** The pod event sequence the board was read at: its live stream resumes from here. */
	asOfSeq: number;
}

/**
 * The whole board for one pod. Every query is bounded by the pod's id through an index that
 * leads with it, so the cost follows the pod's size, not the database's.
 */
export async function podHeatmap(db: Db, podId: string): Promise<Heatmap> {
	const asOfSeq = await latestSeq(db, podId);
	const [roster, assignments, activities, activitySkills, skills, flags, memberships, groups] =
		await Promise.all([
			podRoster(db, podId),
			db
				.selectFrom('assignments')
				.select(['id', 'student_id', 'activity_id', 'status', 'score', 'priority', 'last_event_at'])
				.where('pod_id', '=', podId)
				.execute(),
			db
				.selectFrom('activities')
				.select(['id', 'title', 'subject', 'kind', 'archived_at', 'grade_low'])
				.where('pod_id', '=', podId)
				.orderBy('subject')
				.orderBy('grade_low')
				.orderBy('title')
				.execute(),
			db
				.selectFrom('activity_skills')
				.innerJoin('skills', 'skills.id', 'activity_skills.skill_id')
				.select(['activity_skills.activity_id', 'activity_skills.skill_id'])
				.where('skills.pod_id', '=', podId)
				.execute(),
			db
				.selectFrom('skills')
				.select(['id', 'code', 'name', 'subject'])
				.where('pod_id', '=', podId)
				.orderBy('subject')
				.orderBy('grade')
				.orderBy('code')
				.execute(),
			db
				.selectFrom('flags')
				.select(['student_id'])
				.where('pod_id', '=', podId)
				.where('status', '=', 'open')
				.execute(),
			db
				.selectFrom('group_members')
				.innerJoin('intervention_groups', 'intervention_groups.id', 'group_members.group_id')
				.select(['group_members.student_id', 'group_members.group_id'])
				.where('intervention_groups.pod_id', '=', podId)
				.where('intervention_groups.status', '!=', 'done')
				.execute(),
			db
				.selectFrom('intervention_groups')
				.select(['id', 'title'])
				.where('pod_id', '=', podId)
				.where('status', '!=', 'done')
				.orderBy('created_at')
				.execute()
		]);

	const students = new Set(roster.map((s) => s.id));
	const onPlaylists = new Set(assignments.map((a) => a.activity_id));
	const skillsOf = groupBy(
		activitySkills,
		(row) => row.activity_id,
		(row) => row.skill_id
	);
	const groupsOf = groupBy(
		memberships,
		(row) => row.student_id,
		(row) => row.group_id
	);
	const flagsOf = groupBy(
		flags,
		(row) => row.student_id,
		() => 1
	);

	return {
		students: roster.map((s) => ({
			id: s.id,
			name: s.name,
			grade: s.grade,
			cohort: s.cohort,
			groupIds: groupsOf.get(s.id) ?? [],
			openFlags: flagsOf.get(s.id)?.length ?? 0
		})),
		activities: activities
			.filter((a) => onPlaylists.has(a.id))
			.map((a) => ({
				id: a.id,
				title: a.title,
				subject: a.subject,
				kind: a.kind,
				archived: a.archived_at !== null,
				skillIds: skillsOf.get(a.id) ?? []
			})),
		skills,
		groups,
		cells: assignments
			.filter((a) => students.has(a.student_id))
			.map((a) => ({
				studentId: a.student_id,
				activityId: a.activity_id,
				assignmentId: a.id,
				status: a.status,
				score: a.score,
				priority: a.priority,
				lastEventAt: a.last_event_at
			})),
		asOfSeq
	};
}

function groupBy<Row, Value>(rows: readonly Row[], key: (row: Row) => string, value: (row: Row) => Value) {
	const grouped = new Map<string, Value[]>();
	for (const row of rows) {
		const k = key(row);
		const list = grouped.get(k);
		if (list) list.push(value(row));
		else grouped.set(k, [value(row)]);
	}
	return grouped;
}
