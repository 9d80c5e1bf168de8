import type { Transaction } from 'kysely';
import type { Database, Db } from '../db';
import type { FlagRule, FlagStatus } from '../db/schema';
import { isoNow, newId } from '../ids';
import type { RecordPodEvent } from '../live/log';
import { fullNameOf } from '../people';
import { studentsOfPod } from '../pods/students';
import { flagsChanged } from './engine';
import { openKey } from './rules';
import { Conflict, NotFound } from '../errors';

/** Which flags go to the top of the list: someone waiting or stuck right now first. */
export const SEVERITY: Record<FlagRule, number> = {
	stuck: 3,
	hand_up: 3,
	manual: 2,
	low_score: 2,
	idle: 1,
	behind_pace: 1,
	no_contact: 2,
	help_avoidance: 2,
	// Good news last: nobody is waiting on it.
	on_streak: 0
};

export interface Flag {
	id: string;
	studentId: string;
	studentName: string;
	rule: FlagRule;
	reason: string;
	assignmentId: string | null;
	activityTitle: string | null;
	status: FlagStatus;
	/** The teacher who raised it; null when a rule did. */
	raisedBy: string | null;
	createdAt: string;
	groupId: string | null;
}

/** The pod's open flags (grouped ones included), most severe first, then the oldest. */
export async function podFlags(db: Db, podId: string, studentId?: string): Promise<Flag[]> {
	const rows = await db
		.selectFrom('flags')
		.innerJoin('users as student', 'student.id', 'flags.student_id')
		.leftJoin('users as teacher', 'teacher.id', 'flags.raised_by')
		.leftJoin('assignments', 'assignments.id', 'flags.assignment_id')
		.leftJoin('activities', 'activities.id', 'assignments.activity_id')
		.select([
			'flags.id',
			'flags.student_id',
			fullNameOf('student').as('student_name'),
			'flags.rule',
			'flags.reason',
			'flags.assignment_id',
			'activities.title',
			'flags.status',
			'flags.raised_by',
			fullNameOf('teacher').as('teacher_name'),
			'flags.created_at',
			'flags.group_id'
		])
		.where('flags.pod_id', '=', podId)
		.where('flags.status', 'in', ['open', 'grouped'])
		.$if(studentId !== undefined, (q) => q.where('flags.student_id', '=', studentId!))
		.execute();
	return rows
		.map((f) => ({
			id: f.id,
			studentId: f.student_id,
			studentName: f.student_name,
			rule: f.rule,
			reason: f.reason,
			assignmentId: f.assignment_id,
			activityTitle: f.title,
			status: f.status,
			raisedBy: f.raised_by ? (f.teacher_name ?? 'A teacher') : null,
			createdAt: f.created_at,
			groupId: f.group_id
		}))
		.sort((a, b) => SEVERITY[b.rule] - SEVERITY[a.rule] || a.createdAt.localeCompare(b.createdAt));
}

/** A teacher flags students by hand, with a reason. One manual flag open per student × assignment. */
export async function raiseManualFlags(
	trx: Transaction<Database>,
	flag: {
		podId: string;
		studentIds: readonly string[];
		assignmentId: string | null;
		reason: string;
		raisedBy: string;
	},
	record: RecordPodEvent,
	now = new Date()
): Promise<string[]> {
	const studentIds = [...new Set(flag.studentIds)];
	const students = await studentsOfPod(trx, flag.podId, studentIds);
	if (students.length !== studentIds.length) {
		throw new NotFound('A student chosen is not in this pod.');
	}
	if (flag.assignmentId) {
		const assignment = await trx
			.selectFrom('assignments')
			.select('student_id')
			.where('id', '=', flag.assignmentId)
			.where('pod_id', '=', flag.podId)
			.executeTakeFirst();
		if (!assignment || studentIds.some((id) => id !== assignment.student_id)) {
			throw new NotFound('That playlist item is not the flagged student’s.');
		}
	}
	const keys = studentIds.map((id) => openKey(id, 'manual', flag.assignmentId));
	const taken = await trx.selectFrom('flags').select('student_id').where('open_key', 'in', keys).execute();
	if (taken.length) {
		const names = students.filter((s) => taken.some((t) => t.student_id === s.id)).map((s) => s.name);
		throw new Conflict(
			`${names.join(', ')} already ${names.length === 1 ? 'has' : 'have'} a teacher’s flag open${flag.assignmentId ? ' on that activity' : ''}: resolve it first, or add to it.`
		);
	}
	const ids = studentIds.map(() => newId());
	await trx
		.insertInto('flags')
		.values(
			studentIds.map((studentId, i) => ({
				id: ids[i],
				pod_id: flag.podId,
				student_id: studentId,
				assignment_id: flag.assignmentId,
				rule: 'manual' as const,
				reason: flag.reason,
				raised_by: flag.raisedBy,
				open_key: keys[i],
				created_at: isoNow(now)
			}))
		)
		.execute();
	await flagsChanged(trx, flag.podId, studentIds, record);
	return ids;
}

/** A teacher resolves a flag, with a note saying what was done. */
export async function resolveFlag(
	trx: Transaction<Database>,
	resolve: { podId: string; flagId: string; note: string; resolvedBy: string },
	record: RecordPodEvent,
	now = new Date()
): Promise<void> {
	const flag = await trx
		.selectFrom('flags')
		.select(['student_id', 'status'])
		.where('id', '=', resolve.flagId)
		.where('pod_id', '=', resolve.podId)
		.executeTakeFirst();
	if (!flag) throw new NotFound('No flag in this pod has that id.');
	if (flag.status === 'resolved') throw new Conflict('That flag is already resolved.');
	await trx
		.updateTable('flags')
		.set({
			status: 'resolved',
			open_key: null,
			resolved_at: isoNow(now),
			resolved_by: resolve.resolvedBy,
			resolution_note: resolve.note
		})
		.where('id', '=', resolve.flagId)
		.execute();
	await flagsChanged(trx, resolve.podId, [flag.student_id], record);
}
