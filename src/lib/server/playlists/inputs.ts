import { z } from 'zod';
import { FLAG_RULES } from '../db/schema';

// What the team sends to change playlists. Every message stands alone for a person.
// (The pod comes from podStaffProcedure's own `podId`.)

const distinct = (list: readonly unknown[]): boolean => new Set(list).size === list.length;

const studentId = z.uuid({ error: 'studentId must be a student id' });
const assignmentId = z.uuid({ error: 'assignmentId must be a playlist item id' });
const activityId = z.uuid({ error: 'Each activity is chosen by its id' });

export const priority = z.enum(['must', 'should', 'aspire'], {
	error: 'Priority is must, should or aspire'
});
const dueOn = z.iso.date({ error: 'A due date is a date like 2026-12-03' });

const activityIds = (max: number) =>
	z
		.array(activityId, { error: 'Choose at least one activity' })
		.min(1, { error: 'Choose at least one activity' })
		.max(max, { error: `Choose at most ${max} activities at a time` })
		.refine(distinct, { error: 'Each activity only once, please' });

export const addInput = z.object({
	studentId,
	activityIds: activityIds(20),
	priority: priority.default('should'),
	dueOn: dueOn.nullish()
});
export type AddInput = z.infer<typeof addInput>;

export const removeInput = z.object({
	assignmentId,
	/** Remove even though the student has recorded work on it (that history goes too). */
	force: z.boolean({ error: 'force is true or false' }).default(false)
});
export type RemoveInput = z.infer<typeof removeInput>;

export const reorderInput = z.object({
	studentId,
	assignmentIds: z
		.array(assignmentId, { error: 'Send the whole playlist in its new order' })
		.min(1, { error: 'Send the whole playlist in its new order' })
		.max(500, { error: 'A playlist holds at most 500 activities' })
		.refine(distinct, { error: 'Each playlist item only once, please' })
});
export type ReorderInput = z.infer<typeof reorderInput>;

export const updateInput = z
	.object({
		assignmentId,
		priority: priority.optional(),
		/** null clears the due date. */
		dueOn: dueOn.nullable().optional()
	})
	.refine((input) => input.priority !== undefined || input.dueOn !== undefined, {
		error: 'Say what to change: the priority, the due date or both'
	});
export type UpdateInput = z.infer<typeof updateInput>;

/** Who gets a bulk assignment. Every one of them must be an active student of the pod. */
export const bulkTarget = z.discriminatedUnion(
	'by',
	[
		z.object({
			by: z.literal('grade'),
			grades: z
				.array(z.int({ error: 'A grade is a whole number' }).min(0).max(12), { error: 'Choose a grade' })
				.min(1, { error: 'Choose at least one grade' })
				.max(13)
				.refine(distinct, { error: 'Each grade only once, please' })
		}),
		z.object({
			by: z.literal('cohort'),
			cohorts: z
				.array(z.string().trim().min(1, { error: 'A cohort has a name' }).max(80), {
					error: 'Choose a cohort'
				})
				.min(1, { error: 'Choose at least one cohort' })
				.max(20)
		}),
		z.object({ by: z.literal('group'), groupId: z.uuid({ error: 'Choose an intervention group' }) }),
		z.object({
			by: z.literal('flag'),
			rule: z.enum(FLAG_RULES, { error: `A flag rule is one of ${FLAG_RULES.join(', ')}` }).optional()
		}),
		z.object({
			by: z.literal('students'),
			studentIds: z
				.array(studentId, { error: 'Choose at least one student' })
				.min(1, { error: 'Choose at least one student' })
				.max(200, { error: 'Choose at most 200 students at a time' })
				.refine(distinct, { error: 'Each student only once, please' })
		}),
		z.object({
			by: z.literal('finished'),
			activityId: z.uuid({ error: 'Choose the activity they finished' })
		})
	],
	{
		error:
			'Choose who gets it: a grade, a cohort, a group, students with a flag, chosen students or everyone who finished an activity'
	}
);
export type BulkTarget = z.infer<typeof bulkTarget>;

export const bulkInput = z.object({
	activityIds: activityIds(10),
	priority,
	dueOn: dueOn.nullish(),
	target: bulkTarget
});
export type BulkInput = z.infer<typeof bulkInput>;
