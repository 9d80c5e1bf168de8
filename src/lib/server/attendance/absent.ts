// Read by the flag rules and the group suggestions, apart from attendance.ts (which runs the rules).
import type { Db } from '../db';

/** The students of the pod marked absent on a day: left out of idle and pace flags and of suggested groups. */
export async function absentOn(db: Db, podId: string, day: string, studentIds?: readonly string[]) {
	const rows = await db
		.selectFrom('attendance')
		.select('student_id')
		.where('pod_id', '=', podId)
		.where('day', '=', day)
		.where('status', '=', 'absent')
		.$if(studentIds !== undefined, (q) => q.where('student_id', 'in', studentIds!))
		.execute();
	return new Set(rows.map((r) => r.student_id));
}
