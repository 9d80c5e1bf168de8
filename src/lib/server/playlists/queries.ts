import type { Db } from '../db';
import { localParts } from '../pods/clock';
import { studentOfPod } from '../pods/students';
import { NotFound } from '../errors';

/** One student's playlist in a pod, in the order the team set. */
export async function playlistFor(db: Db, podId: string, studentId: string, now = new Date()) {
	const student = await studentOfPod(db, podId, studentId);
	if (!student) throw new NotFound('That student is not in this pod.');
	const pod = await db
		.selectFrom('pods')
		.select(['name', 'timezone'])
		.where('id', '=', podId)
		.executeTakeFirstOrThrow();

	const items = await db
		.selectFrom('assignments')
		.innerJoin('activities', 'activities.id', 'assignments.activity_id')
		.leftJoin('activity_checks', 'activity_checks.activity_id', 'activities.id')
		.select([
			'assignments.id',
			'assignments.activity_id',
			'activity_checks.activity_id as check_of',
			'assignments.position',
			'assignments.priority',
			'assignments.due_on',
			'assignments.status',
			'assignments.score',
			'assignments.score_source',
			'assignments.last_event_at',
			'activities.title',
			'activities.subject',
			'activities.kind',
			'activities.estimated_minutes',
			'activities.resource_url',
			'activities.max_score'
		])
		.where('assignments.pod_id', '=', podId)
		.where('assignments.student_id', '=', studentId)
		.orderBy('assignments.position')
		.execute();

	return {
		pod: { id: podId, name: pod.name },
		/** The pod's local date, so "due Thursday" is said from the classroom's calendar. */
		today: localParts(now, pod.timezone).date,
		student: { id: student.id, name: student.name, grade: student.grade, cohort: student.cohort },
		items: items.map((item) => ({
			id: item.id,
			activityId: item.activity_id,
			position: item.position,
			priority: item.priority,
			dueOn: item.due_on,
			status: item.status,
			score: item.score,
			/** Where the score comes from: the student's own, a teacher's mark, Podboard's check. */
			scoreSource: item.score_source,
			lastEventAt: item.last_event_at,
			title: item.title,
			subject: item.subject,
			kind: item.kind,
			estimatedMinutes: item.estimated_minutes,
			resourceUrl: item.resource_url,
			/** Set where the student checks their own work and reports the score. */
			maxScore: item.max_score,
			/** A quick check Podboard scores: the student takes it instead of typing a score. */
			hasCheck: item.check_of !== null
		}))
	};
}
