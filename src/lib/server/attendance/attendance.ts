// Who is in the room today: students present, absent or late (present unless marked), the adults
// in, and the ratio between them. Marks are made by anyone on staff in the room, in one pass.
import type { Transaction } from 'kysely';
import { roomRatio, type RoomRatio } from '$lib/attendance/ratio';
import type { Database, Db } from '../db';
import type { AttendanceStatus, PodRole } from '../db/schema';
import { Invalid, NotAllowed, NotFound } from '../errors';
import { evaluateFlags } from '../flags/engine';
import { podCalendar, podToday } from '../calendar/calendar';
import { addDays, schoolDayOn } from '../calendar/school-days';
import { localParts, schoolWeekOf } from '../pods/clock';
import { isoNow } from '../ids';
import type { RecordPodEvent } from '../live/log';
import { fullNameOf } from '../people';
import { studentsOfPod } from '../pods/students';

export interface AttendanceMark {
	studentId: string;
	status: AttendanceStatus;
	/** Who made the mark, by name (null once they are gone), and when. */
	markedBy: string | null;
	markedAt: string;
}

export interface AdultInRoom {
	id: string;
	name: string;
	role: PodRole;
	/** In the room now. */
	in: boolean;
	inAt: string | null;
	outAt: string | null;
}

export interface AttendanceDay {
	/** The pod's local date. */
	day: string;
	/** Attendance is taken on school days only. */
	schoolToday: boolean;
	/** Each student marked today, absent, late or back to present; the others are present. */
	marks: AttendanceMark[];
	adults: AdultInRoom[];
	counts: { students: number; present: number; absent: number; late: number };
	ratio: RoomRatio;
}

/** Today's attendance in the pod, the adults in, and the ratio. */
export async function attendanceToday(db: Db, podId: string, now = new Date()): Promise<AttendanceDay> {
	const today = await podToday(db, podId, now);
	const [pod, roster, marks, team] = await Promise.all([
		db.selectFrom('pods').select('students_per_adult').where('id', '=', podId).executeTakeFirstOrThrow(),
		db
			.selectFrom('pod_students')
			.innerJoin('users', 'users.id', 'pod_students.user_id')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('pod_students.pod_id', '=', podId)
			.where('users.status', '=', 'active')
			.executeTakeFirstOrThrow(),
		db
			.selectFrom('attendance')
			.innerJoin('users as student', 'student.id', 'attendance.student_id')
			// Only the pod's students now: one moved to another pod is counted there.
			.innerJoin('pod_students', (join) =>
				join
					.onRef('pod_students.user_id', '=', 'attendance.student_id')
					.onRef('pod_students.pod_id', '=', 'attendance.pod_id')
			)
			.leftJoin('users as marker', 'marker.id', 'attendance.marked_by')
			.select([
				'attendance.student_id',
				'attendance.status',
				'attendance.marked_at',
				fullNameOf('marker').as('marked_by')
			])
			.where('attendance.pod_id', '=', podId)
			.where('attendance.day', '=', today.date)
			.where('student.status', '=', 'active')
			.orderBy('attendance.marked_at')
			.execute(),
		db
			.selectFrom('pod_staff')
			.innerJoin('users', 'users.id', 'pod_staff.user_id')
			.leftJoin('adults_in', (join) =>
				join
					.onRef('adults_in.user_id', '=', 'pod_staff.user_id')
					.onRef('adults_in.pod_id', '=', 'pod_staff.pod_id')
					.on('adults_in.day', '=', today.date)
			)
			.select([
				'users.id',
				fullNameOf('users').as('name'),
				'pod_staff.role',
				'adults_in.in_at',
				'adults_in.out_at'
			])
			.where('pod_staff.pod_id', '=', podId)
			.where('users.status', '=', 'active')
			.orderBy('users.given_name')
			.orderBy('users.family_name')
			.execute()
	]);
	const students = Number(roster.n);
	const absent = marks.filter((m) => m.status === 'absent').length;
	const late = marks.filter((m) => m.status === 'late').length;
	const adults = team.map((t) => ({
		id: t.id,
		name: t.name,
		role: t.role,
		in: t.in_at !== null && t.out_at === null,
		inAt: t.in_at,
		outAt: t.out_at
	}));
	return {
		day: today.date,
		schoolToday: today.school,
		marks: marks.map((m) => ({
			studentId: m.student_id,
			status: m.status,
			markedBy: m.marked_by,
			markedAt: m.marked_at
		})),
		adults,
		counts: { students, present: students - absent, absent, late },
		ratio: roomRatio(students - absent, adults.filter((a) => a.in).length, pod.students_per_adult)
	};
}

/** How far back a mark may be corrected: the school week just gone. */
export const CORRECTABLE_DAYS = 7;

/** The school day a mark is for: today, or (a correction) a school day of the past week. */
async function schoolDay(db: Db, podId: string, now: Date, day?: string): Promise<string> {
	const calendar = await podCalendar(db, podId, now);
	const today = localParts(now, calendar.timezone).date;
	const date = day ?? today;
	if (date > today) throw new Invalid(`${date} has not come yet: attendance is taken on the day.`);
	if (date < addDays(today, -CORRECTABLE_DAYS)) {
		throw new Invalid(`${date} is more than a week ago: attendance can be corrected for the past week only.`);
	}
	if (!schoolDayOn(schoolWeekOf(calendar), calendar.daysOff, date).hours) {
		throw new Invalid(
			date === today
				? `There is no school today (${date}): attendance is taken on school days.`
				: `There was no school on ${date}: attendance is taken on school days.`
		);
	}
	return date;
}

/**
 * Mark students present, absent or late today, in the caller's transaction. Answers each mark that
 * changed (from → to). The flag rules then run for those students: an absent student's idle flag
 * clears, and no idle or pace flag is raised for them today.
 */
export async function markAttendance(
	trx: Transaction<Database>,
	input: {
		podId: string;
		byId: string;
		marks: readonly { studentId: string; status: AttendanceStatus }[];
		/** A school day of the past week, to correct; today when left out. */
		day?: string;
	},
	record: RecordPodEvent,
	now = new Date()
): Promise<{ day: string; changed: { studentId: string; from: AttendanceStatus; to: AttendanceStatus }[] }> {
	const day = await schoolDay(trx, input.podId, now, input.day);
	// The last mark of a student in one request is the one that counts.
	const wanted = new Map(input.marks.map((m) => [m.studentId, m.status]));
	const ids = [...wanted.keys()];
	const inPod = await studentsOfPod(trx, input.podId, ids);
	if (inPod.length !== ids.length) {
		throw new NotFound(
			`${ids.length - inPod.length} of those students are not in this pod: nothing was marked.`
		);
	}
	const before = new Map(
		(
			await trx
				.selectFrom('attendance')
				.select(['student_id', 'status'])
				.where('pod_id', '=', input.podId)
				.where('day', '=', day)
				.where('student_id', 'in', ids)
				.execute()
		).map((r) => [r.student_id, r.status])
	);
	const changed = ids
		.map((studentId) => ({ studentId, from: before.get(studentId) ?? 'present', to: wanted.get(studentId)! }))
		.filter((c) => c.from !== c.to);
	if (changed.length === 0) return { day, changed };
	const at = isoNow(now);
	for (const c of changed) {
		await trx
			.insertInto('attendance')
			.values({
				pod_id: input.podId,
				student_id: c.studentId,
				day,
				status: c.to,
				marked_by: input.byId,
				marked_at: at
			})
			.onConflict((oc) =>
				oc
					.columns(['pod_id', 'day', 'student_id'])
					.doUpdateSet({ status: c.to, marked_by: input.byId, marked_at: at })
			)
			.execute();
	}
	// Today's marks change today's flags; a correction of another day changes none.
	await evaluateFlags(trx, input.podId, record, { studentIds: changed.map((c) => c.studentId), now });
	await record(input.podId, 'attendance.changed', { studentIds: [], day });
	return { day, changed };
}

/**
 * An adult comes into the room or leaves it. Each marks themselves; the lead (or a school admin)
 * may mark anyone on the team. Answers whether anything changed.
 */
export async function markAdult(
	trx: Transaction<Database>,
	input: { podId: string; userId: string; inRoom: boolean; byId: string; byLeads: boolean },
	record: RecordPodEvent,
	now = new Date()
): Promise<{ day: string; changed: boolean }> {
	if (input.userId !== input.byId && !input.byLeads) {
		throw new NotAllowed('Mark yourself in or out; the lead facilitator marks the others.');
	}
	const member = await trx
		.selectFrom('pod_staff')
		.select('user_id')
		.where('pod_id', '=', input.podId)
		.where('user_id', '=', input.userId)
		.executeTakeFirst();
	if (!member) throw new NotFound('That person is not on this pod’s team.');
	// An adult in the room is a fact on any day (a training day, a Saturday catch-up).
	const { timezone } = await trx
		.selectFrom('pods')
		.select('timezone')
		.where('id', '=', input.podId)
		.executeTakeFirstOrThrow();
	const day = localParts(now, timezone).date;
	const at = isoNow(now);
	const row = await trx
		.selectFrom('adults_in')
		.select(['out_at'])
		.where('pod_id', '=', input.podId)
		.where('day', '=', day)
		.where('user_id', '=', input.userId)
		.executeTakeFirst();
	const isIn = row !== undefined && row.out_at === null;
	if (isIn === input.inRoom) return { day, changed: false };
	if (input.inRoom) {
		await trx
			.insertInto('adults_in')
			.values({
				pod_id: input.podId,
				user_id: input.userId,
				day,
				in_at: at,
				out_at: null,
				marked_by: input.byId
			})
			.onConflict((oc) =>
				oc
					.columns(['pod_id', 'day', 'user_id'])
					.doUpdateSet({ in_at: at, out_at: null, marked_by: input.byId })
			)
			.execute();
	} else {
		await trx
			.updateTable('adults_in')
			.set({ out_at: at, marked_by: input.byId })
			.where('pod_id', '=', input.podId)
			.where('day', '=', day)
			.where('user_id', '=', input.userId)
			.where('out_at', 'is', null)
			.execute();
	}
	await record(input.podId, 'attendance.changed', { studentIds: [], day });
	return { day, changed: true };
}
