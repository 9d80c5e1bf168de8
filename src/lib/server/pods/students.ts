import type { Db } from '../db';

// "Is this a student of this pod?": one query for every feature that is handed a student's id.
// Scoped by the pod, so an id from another pod is simply not found, and nothing is said of it.

export interface PodStudent {
	id: string;
	givenName: string;
	familyName: string;
	/** "Ada Lovelace": how a page names them. */
	name: string;
	/** Their grade in this pod. */
	grade: number;
	cohort: string | null;
	/** Not deactivated (by a roster import, say): may sign in and be given new work. */
	active: boolean;
}

export interface WhichStudents {
	/** Only students who are active; by default a deactivated student is found too. */
	activeOnly?: boolean;
}

/**
 * The students of the pod among these ids (or all of them), each once, in no given order. A
 * caller that needs every id found compares the count and refuses in its own words.
 */
export async function studentsOfPod(
	db: Db,
	podId: string,
	studentIds: readonly string[] | 'all',
	which: WhichStudents = {}
): Promise<PodStudent[]> {
	const ids = studentIds === 'all' ? null : [...new Set(studentIds)];
	if (ids?.length === 0) return [];
	const rows = await db
		.selectFrom('pod_students')
		.innerJoin('users', 'users.id', 'pod_students.user_id')
		.select([
			'users.id',
			'users.given_name',
			'users.family_name',
			'users.status',
			'pod_students.grade_level',
			'pod_students.cohort'
		])
		.where('pod_students.pod_id', '=', podId)
		.where('users.kind', '=', 'student')
		.$if(ids !== null, (q) => q.where('users.id', 'in', ids!))
		.$if(which.activeOnly === true, (q) => q.where('users.status', '=', 'active'))
		.execute();
	return rows.map((row) => ({
		id: row.id,
		givenName: row.given_name,
		familyName: row.family_name,
		name: `${row.given_name} ${row.family_name}`,
		grade: row.grade_level,
		cohort: row.cohort,
		active: row.status === 'active'
	}));
}

/** The student of the pod with this id, or undefined: the caller refuses in its own words. */
export async function studentOfPod(
	db: Db,
	podId: string,
	studentId: string,
	which: WhichStudents = {}
): Promise<PodStudent | undefined> {
	const [student] = await studentsOfPod(db, podId, [studentId], which);
	return student;
}
