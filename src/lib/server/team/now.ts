// "My pods now": one line per pod a member of staff serves (a remote teacher of record's may be at
// several schools): students present, hands up and the longest wait, stuck students, open flags,
// the adults in and the ratio, and whether the adults in the room have read today's note.
import type { Db } from '../db';
import { GOOD_NEWS_RULES, type PodRole } from '../db/schema';
import { attendanceToday, type AttendanceDay } from '../attendance/attendance';
import { latestSeq } from '../live/log';
import { dayNoteOf } from './day-notes';

export interface PodNow {
	id: string;
	name: string;
	school: string;
	/** The pod's event sequence this was read at: a live view resumes after it. */
	asOfSeq: number;
	role: PodRole;
	teacherOfRecord: boolean;
	remote: boolean;
	attendance: Pick<AttendanceDay, 'day' | 'schoolToday' | 'counts' | 'ratio'> & { adultsIn: string[] };
	handsUp: number;
	/** When the hand waiting longest went up; null with none up. */
	longestWaitSince: string | null;
	stuckStudents: number;
	openFlags: number;
	/** Today's note for the adults in the room: who has read it, and who not yet (null: none written). */
	note: { acknowledgedBy: string[]; waitingOn: string[] } | null;
}

export async function podsNow(db: Db, userId: string, now = new Date()): Promise<PodNow[]> {
	const pods = await db
		.selectFrom('pod_staff')
		.innerJoin('pods', 'pods.id', 'pod_staff.pod_id')
		.innerJoin('schools', 'schools.id', 'pods.school_id')
		.select([
			'pods.id',
			'pods.name',
			'schools.name as school',
			'pod_staff.role',
			'pod_staff.teacher_of_record',
			'pod_staff.remote'
		])
		.where('pod_staff.user_id', '=', userId)
		.where('pods.archived_at', 'is', null)
		.orderBy('pods.name')
		.execute();
	return Promise.all(
		pods.map(async (pod): Promise<PodNow> => {
			// Read first, so an event between it and the counts is heard again, not missed.
			const asOfSeq = await latestSeq(db, pod.id);
			const [attendance, hands, stuck, flags, note] = await Promise.all([
				attendanceToday(db, pod.id, now),
				db
					.selectFrom('help_requests')
					.select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('asked_at').as('oldest')])
					.where('pod_id', '=', pod.id)
					.where('open_key', 'is not', null)
					.executeTakeFirstOrThrow(),
				db
					.selectFrom('flags')
					.select((eb) => eb.fn.count<number>('student_id').distinct().as('n'))
					.where('pod_id', '=', pod.id)
					.where('status', '=', 'open')
					.where('rule', '=', 'stuck')
					.executeTakeFirstOrThrow(),
				db
					.selectFrom('flags')
					.select((eb) => eb.fn.countAll<number>().as('n'))
					.where('pod_id', '=', pod.id)
					.where('status', '=', 'open')
					.where('rule', 'not in', GOOD_NEWS_RULES)
					.executeTakeFirstOrThrow(),
				dayNoteOf(db, pod.id)
			]);
			return {
				id: pod.id,
				name: pod.name,
				school: pod.school,
				asOfSeq,
				role: pod.role,
				teacherOfRecord: pod.teacher_of_record === 1,
				remote: pod.remote === 1,
				attendance: {
					day: attendance.day,
					schoolToday: attendance.schoolToday,
					counts: attendance.counts,
					ratio: attendance.ratio,
					adultsIn: attendance.adults.filter((a) => a.in).map((a) => a.name)
				},
				handsUp: Number(hands.n),
				longestWaitSince: (hands.oldest as string | null) ?? null,
				stuckStudents: Number(stuck.n),
				openFlags: Number(flags.n),
				note: note && {
					acknowledgedBy: note.acknowledged.map((a) => a.name),
					waitingOn: note.waitingOn.map((w) => w.name)
				}
			};
		})
	);
}
