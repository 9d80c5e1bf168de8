import { packCell } from '$lib/dashboard/cells';
import { sql } from 'kysely';
import type { Db } from '../db';
import { GOOD_NEWS_RULES, type AssignmentStatus, type Priority, type ScoreSource } from '../db/schema';
import { joinedText } from '../db/sql';
import { latestSeq } from '../live/log';
import { podRoster } from '../pods/queries';
import { keptPercents, masteryRulesOf } from '../mastery/mastery';
import type { MasteryThresholds } from '$lib/mastery/model';

export interface HeatmapStudent {
	id: string;
	name: string;
	grade: number;
	cohort: string | null;
	/** Intervention groups the student is in that are not done yet. */
	groupIds: string[];
	openFlags: number;
	/** When the student last did anything on their playlist. */
	lastActive: string | null;
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

export interface Heatmap {
	students: HeatmapStudent[];
	/** Every activity on at least one playlist in the pod: the board's columns. */
	activities: HeatmapActivity[];
	skills: HeatmapSkill[];
	groups: { id: string; title: string }[];
	/** Each student's cells as one text, in `students` order: see `$lib/dashboard/cells`. */
	rows: string[];
	/** The pod event sequence the board was read at: its live stream resumes from here. */
	asOfSeq: number;
	/** The pod's time zone: the board tells every time by the pod's wall clock. */
	timeZone: string;
	/** Per student (in `students` order), per skill (in `skills` order): mastery percent, or null with no counted evidence. */
	mastery: (number | null)[][];
	/** Where the pod's mastery levels begin. */
	masteryThresholds: MasteryThresholds;
}

/**
 * The whole board for one pod. Every query is bounded by the pod's id through an index that
 * leads with it, so the cost follows the pod's size, not the database's.
 */
export async function podHeatmap(db: Db, podId: string): Promise<Heatmap> {
	const asOfSeq = await latestSeq(db, podId);
	const [pod, roster, playlists, activities, activitySkills, skills, flags, memberships, groups, mastery] =
		await Promise.all([
			db
				.selectFrom('pods')
				.select(['timezone', 'flag_thresholds'])
				.where('id', '=', podId)
				.executeTakeFirstOrThrow(),
			podRoster(db, podId),
			studentPlaylists(db, podId),
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
				// A streak is good news, not a flag to count on the student's row.
				.where('rule', 'not in', GOOD_NEWS_RULES)
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
				.execute(),
			keptPercents(db, podId)
		]);

	const onPlaylists = activitiesOn(playlists);
	const columns = activities.filter((a) => onPlaylists.has(a.id));
	const columnOf = new Map(columns.map((a, i) => [a.id, i]));
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
	const lastActiveOf = new Map(playlists.map((p) => [p.studentId, p.lastActive]));
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
			openFlags: flagsOf.get(s.id)?.length ?? 0,
			lastActive: lastActiveOf.get(s.id) ?? null
		})),
		activities: columns.map((a) => ({
			id: a.id,
			title: a.title,
			subject: a.subject,
			kind: a.kind,
			archived: a.archived_at !== null,
			skillIds: skillsOf.get(a.id) ?? []
		})),
		skills,
		groups,
		rows: packRows(playlists, roster, columnOf),
		asOfSeq,
		timeZone: pod.timezone,
		mastery: roster.map((s) => skills.map((k) => mastery.get(s.id)?.get(k.id) ?? null)),
		masteryThresholds: masteryRulesOf(pod.flag_thresholds).thresholds
	};
}

// A board reads ~5,000 assignments. One row per student, their cells joined into one text by
// the database, reads in less than half the time of one row per assignment: each value that
// crosses from SQLite to JavaScript costs more than the database's own work.
const CELL = ':';
const CELLS = ',';

async function studentPlaylists(db: Db, podId: string) {
	const rows = await db
		.selectFrom('assignments')
		.select((eb) => [
			'student_id',
			eb.fn.max('last_event_at').as('last_active'),
			// Ids are UUIDs and status and priority are words: neither separator can occur in them.
			joinedText(
				db,
				sql<string>`activity_id || ${CELL} || status || ${CELL} || coalesce(cast(score as text), '') || ${CELL} || priority || ${CELL} || coalesce(score_source, '')`,
				CELLS
			).as('cells')
		])
		.where('pod_id', '=', podId)
		.groupBy('student_id')
		.execute();
	return rows.map((row) => ({
		studentId: row.student_id,
		lastActive: row.last_active,
		// Activity, status, score, priority, source, activity, …: one flat list per student, no object per cell.
		fields: row.cells.split(FIELD)
	}));
}
const FIELD = new RegExp(`[${CELL}${CELLS}]`);
const FIELDS_PER_CELL = 5;

function activitiesOn(playlists: Awaited<ReturnType<typeof studentPlaylists>>): Set<string> {
	const ids = new Set<string>();
	for (const { fields } of playlists)
		for (let i = 0; i < fields.length; i += FIELDS_PER_CELL) ids.add(fields[i]);
	return ids;
}

function packRows(
	playlists: Awaited<ReturnType<typeof studentPlaylists>>,
	roster: readonly { id: string }[],
	columnOf: ReadonlyMap<string, number>
): string[] {
	// A student who left the roster keeps their history, off the board.
	const fieldsOf = new Map(playlists.map((p) => [p.studentId, p.fields]));
	return roster.map(({ id }) => {
		const fields = fieldsOf.get(id) ?? [];
		const cells: string[] = [];
		for (let i = 0; i < fields.length; i += FIELDS_PER_CELL) {
			const score = fields[i + 2];
			const source = fields[i + 4];
			cells.push(
				packCell(
					columnOf.get(fields[i])!,
					fields[i + 1] as AssignmentStatus,
					score === '' ? null : Number(score),
					fields[i + 3] as Priority,
					source === '' ? null : (source as ScoreSource)
				)
			);
		}
		return cells.join(',');
	});
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
