import { toCsv } from '../exports/csv';
import type { Db } from '../db';
import { fullNameOf } from '../people';

export const ATTENDANCE_CSV_HEADER = [
	'Date',
	'Student',
	'Grade',
	'Cohort',
	'Status',
	'Marked by',
	'Marked at'
] as const;

/**
 * Every attendance mark of the pod, day by day: a student on no row of a school day was present
 * (nobody marked them otherwise). Marks of students since erased are gone with them.
 */
export async function attendanceRows(db: Db, podId: string) {
	return db
		.selectFrom('attendance')
		.innerJoin('users as student', 'student.id', 'attendance.student_id')
		.leftJoin('pod_students', (join) =>
			join
				.onRef('pod_students.user_id', '=', 'attendance.student_id')
				.onRef('pod_students.pod_id', '=', 'attendance.pod_id')
		)
		.leftJoin('users as marker', 'marker.id', 'attendance.marked_by')
		.select([
			'attendance.day',
			fullNameOf('student').as('student'),
			'pod_students.grade_level',
			'pod_students.cohort',
			'attendance.status',
			fullNameOf('marker').as('marked_by'),
			'attendance.marked_at'
		])
		.where('attendance.pod_id', '=', podId)
		.orderBy('attendance.day')
		.orderBy('student.given_name')
		.orderBy('student.family_name')
		.execute();
}

export const attendanceCsv = (rows: Awaited<ReturnType<typeof attendanceRows>>): string =>
	toCsv(
		ATTENDANCE_CSV_HEADER,
		rows.map((r) => [r.day, r.student, r.grade_level, r.cohort, r.status, r.marked_by, r.marked_at])
	);
