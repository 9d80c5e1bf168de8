import type { Db } from '../db';
import type { ActivityKind, AssignmentStatus, Priority, ScoreSource } from '../db/schema';
import { toCsv, type CsvCell } from './csv';

/** One student × one playlist item, as a pod's progress leaves Podboard. */
export interface ProgressRow {
	assignmentId: string;
	studentId: string;
	givenName: string;
	familyName: string;
	grade: number;
	cohort: string | null;
	activityId: string;
	activity: string;
	subject: string;
	kind: ActivityKind;
	maxScore: number | null;
	priority: Priority;
	dueOn: string | null;
	status: AssignmentStatus;
	/** Percent of the max score, of the latest scored submission. */
	score: number | null;
	/** Where that score comes from: checked, teacher, content or self. */
	scoreSource: ScoreSource | null;
	/** That submission's points, as the student earned them. */
	points: number | null;
	attempts: number;
	secondsSpent: number;
	lastEventAt: string | null;
}

/** Every playlist item of every student of the pod, by student then playlist position. */
export async function podProgressRows(db: Db, podId: string): Promise<ProgressRow[]> {
	const rows = await db
		.selectFrom('assignments')
		.innerJoin('pod_students', (join) =>
			join
				.onRef('pod_students.user_id', '=', 'assignments.student_id')
				.onRef('pod_students.pod_id', '=', 'assignments.pod_id')
		)
		.innerJoin('users', 'users.id', 'assignments.student_id')
		.innerJoin('activities', 'activities.id', 'assignments.activity_id')
		.select((eb) => [
			'assignments.id',
			'assignments.student_id',
			'users.given_name',
			'users.family_name',
			'pod_students.grade_level',
			'pod_students.cohort',
			'activities.id as activity_id',
			'activities.title',
			'activities.subject',
			'activities.kind',
			'activities.max_score',
			'assignments.priority',
			'assignments.due_on',
			'assignments.status',
			'assignments.score',
			'assignments.score_source',
			'assignments.attempts',
			'assignments.seconds_spent',
			'assignments.last_event_at',
			eb
				.selectFrom('progress_events')
				.select('progress_events.score')
				.whereRef('progress_events.assignment_id', '=', 'assignments.id')
				.where('progress_events.kind', '=', 'submit')
				.where('progress_events.score', 'is not', null)
				.orderBy('progress_events.occurred_at', 'desc')
				.limit(1)
				.as('points')
		])
		.where('assignments.pod_id', '=', podId)
		.orderBy('users.family_name')
		.orderBy('users.given_name')
		.orderBy('assignments.student_id')
		.orderBy('assignments.position')
		.execute();
	return rows.map((row) => ({
		assignmentId: row.id,
		studentId: row.student_id,
		givenName: row.given_name,
		familyName: row.family_name,
		grade: row.grade_level,
		cohort: row.cohort,
		activityId: row.activity_id,
		activity: row.title,
		subject: row.subject,
		kind: row.kind,
		maxScore: row.max_score,
		priority: row.priority,
		dueOn: row.due_on,
		status: row.status,
		score: row.score,
		scoreSource: row.score_source,
		points: row.points ?? null,
		attempts: Number(row.attempts),
		secondsSpent: Number(row.seconds_spent),
		lastEventAt: row.last_event_at
	}));
}

export const PROGRESS_CSV_HEADER = [
	'Student ID',
	'Student name',
	'Grade',
	'Cohort',
	'Activity',
	'Subject',
	'Kind',
	'Priority',
	'Due',
	'Status',
	'Score (%)',
	'Score source',
	'Attempts',
	'Minutes spent',
	'Last event (UTC)'
] as const;

/** The pod's progress as a spreadsheet opens it: one row per student × playlist item. */
export function progressCsv(rows: readonly ProgressRow[]): string {
	return toCsv(
		PROGRESS_CSV_HEADER,
		rows.map((row): CsvCell[] => [
			row.studentId,
			`${row.givenName} ${row.familyName}`,
			row.grade,
			row.cohort,
			row.activity,
			row.subject,
			row.kind,
			row.priority,
			row.dueOn,
			row.status,
			row.score,
			row.scoreSource,
			row.attempts,
			Math.round(row.secondsSpent / 60),
			row.lastEventAt
		])
	);
}
