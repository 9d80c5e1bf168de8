import { FINISHED_STATUSES } from '../../progress/derive';
import { auditedWrite } from '../audit/log';
import type { Db } from '../db';
import { activitiesToAssign, appendToPlaylists, type NewPlaylistItem, type PlaylistEditor } from './editing';
import type { BulkInput, BulkTarget } from './inputs';
import { NotFound } from '../errors';

// "Assign to many": one or several activities to a set of students, all or nothing.
// The preview and the assignment run the same plan, so they say the same numbers.

const SAMPLE_SIZE = 10;
/** An assignment in one of these states means the student finished the activity. */

export interface BulkSummary {
	/** Students the target chose. */
	students: number;
	/** Of those, how many get at least one new activity. */
	receiving: number;
	perActivity: { activityId: string; title: string; willGet: number; alreadyHave: number }[];
	/** Up to ten names of students who get something, in roster order. */
	sample: string[];
}

interface TargetStudent {
	id: string;
	name: string;
}

/** The pod's active students the target chooses, in roster order (family name, given name). */
export async function targetStudents(db: Db, podId: string, target: BulkTarget): Promise<TargetStudent[]> {
	let query = db
		.selectFrom('pod_students')
		.innerJoin('users', 'users.id', 'pod_students.user_id')
		.select(['users.id', 'users.given_name', 'users.family_name'])
		.where('pod_students.pod_id', '=', podId)
		.where('users.status', '=', 'active');

	switch (target.by) {
		case 'grade':
			query = query.where('pod_students.grade_level', 'in', target.grades);
			break;
		case 'cohort':
			query = query.where('pod_students.cohort', 'in', target.cohorts);
			break;
		case 'group': {
			const group = await db
				.selectFrom('intervention_groups')
				.select('id')
				.where('id', '=', target.groupId)
				.where('pod_id', '=', podId)
				.executeTakeFirst();
			if (!group) {
				throw new NotFound('That intervention group is not in this pod.');
			}
			query = query.where(({ exists, selectFrom }) =>
				exists(
					selectFrom('group_members')
						.select('group_members.student_id')
						.where('group_members.group_id', '=', target.groupId)
						.whereRef('group_members.student_id', '=', 'users.id')
				)
			);
			break;
		}
		case 'flag':
			query = query.where(({ exists, selectFrom }) =>
				exists(
					selectFrom('flags')
						.select('flags.id')
						.where('flags.pod_id', '=', podId)
						.where('flags.status', '=', 'open')
						.whereRef('flags.student_id', '=', 'users.id')
						.$if(target.rule !== undefined, (qb) => qb.where('flags.rule', '=', target.rule!))
				)
			);
			break;
		case 'students':
			query = query.where('users.id', 'in', target.studentIds);
			break;
		case 'finished': {
			const activity = await db
				.selectFrom('activities')
				.select('id')
				.where('id', '=', target.activityId)
				.where('pod_id', '=', podId)
				.executeTakeFirst();
			if (!activity) {
				throw new NotFound("That activity is not in this pod's library.");
			}
			query = query.where(({ exists, selectFrom }) =>
				exists(
					selectFrom('assignments')
						.select('assignments.id')
						.where('assignments.pod_id', '=', podId)
						.where('assignments.activity_id', '=', target.activityId)
						.where('assignments.status', 'in', [...FINISHED_STATUSES])
						.whereRef('assignments.student_id', '=', 'users.id')
				)
			);
			break;
		}
	}

	const rows = await query
		.orderBy('users.family_name')
		.orderBy('users.given_name')
		.orderBy('users.id')
		.execute();
	// A chosen student who is not (or no longer) in the pod: refuse the lot, naming nobody.
	if (target.by === 'students' && rows.length !== target.studentIds.length) {
		throw new NotFound('Some of the chosen students are not in this pod; reload the page and choose again.');
	}
	return rows.map((row) => ({ id: row.id, name: `${row.given_name} ${row.family_name}` }));
}

function summarize(
	students: readonly TargetStudent[],
	activities: readonly { id: string; title: string }[],
	newItems: readonly NewPlaylistItem[]
): BulkSummary {
	const receiving = new Set(newItems.map((item) => item.studentId));
	return {
		students: students.length,
		receiving: receiving.size,
		perActivity: activities.map((activity) => {
			const willGet = newItems.filter((item) => item.activityId === activity.id).length;
			return {
				activityId: activity.id,
				title: activity.title,
				willGet,
				alreadyHave: students.length - willGet
			};
		}),
		sample: students
			.filter((student) => receiving.has(student.id))
			.slice(0, SAMPLE_SIZE)
			.map((student) => student.name)
	};
}

/** Who would get what: the students the target chooses, minus those who already have each activity. */
export async function planBulkAssign(db: Db, podId: string, input: BulkInput) {
	const activities = await activitiesToAssign(db, podId, input.activityIds);
	const students = await targetStudents(db, podId, input.target);
	const chosen = new Set(students.map((student) => student.id));
	const existing = await db
		.selectFrom('assignments')
		.select(['student_id', 'activity_id'])
		.where('pod_id', '=', podId)
		.where('activity_id', 'in', [...input.activityIds])
		.execute();
	const has = new Set(
		existing.filter((row) => chosen.has(row.student_id)).map((row) => `${row.student_id} ${row.activity_id}`)
	);
	// Each student's new items in the order the activities were chosen.
	const newItems: NewPlaylistItem[] = students.flatMap((student) =>
		activities
			.filter((activity) => !has.has(`${student.id} ${activity.id}`))
			.map((activity) => ({ studentId: student.id, activityId: activity.id }))
	);
	return { students, activities, newItems, summary: summarize(students, activities, newItems) };
}

/**
 * Assign in one audited transaction: any refusal (an archived activity, a student from
 * elsewhere) rolls back everything. Records one event naming every student whose playlist grew.
 */
export function bulkAssign(editor: PlaylistEditor, input: BulkInput): Promise<BulkSummary> {
	const podId = editor.pod.id;
	return auditedWrite(
		editor,
		{ action: 'bulk_assign', entity: 'playlist' },
		async (trx, record) => {
			const plan = await planBulkAssign(trx, podId, input);
			const inserted = await appendToPlaylists(
				trx,
				{ podId, assignedBy: editor.user.id, priority: input.priority, dueOn: input.dueOn ?? null },
				plan.newItems
			);
			// Counted from what was inserted, so a row the unique index skipped is never claimed.
			const summary = summarize(plan.students, plan.activities, inserted);
			const studentIds = [...new Set(inserted.map((item) => item.studentId))];
			if (studentIds.length) await record(podId, 'playlist.changed', { studentIds });
			return { summary, added: inserted.length };
		},
		({ summary, added }) => ({
			detail: {
				target: input.target,
				activityIds: input.activityIds,
				priority: input.priority,
				dueOn: input.dueOn ?? null,
				students: summary.students,
				added
			}
		})
	).then(({ summary }) => summary);
}
