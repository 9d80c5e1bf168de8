import { z } from 'zod';
import {
	ACTIVITY_KINDS,
	ARCHIVED_VIEWS,
	HIGHEST_GRADE,
	LOWEST_GRADE,
	MAX_MINUTES,
	MAX_SCORE,
	MAX_TITLE_LENGTH,
	SUBJECTS
} from '../../library/catalog';
import { auditedWrite } from '../audit/log';
import { podStaffProcedure, podTeacherProcedure, router } from '../trpc/procedures';
import { activityInPod, createActivity, listActivities, setArchived, updateActivity } from './activities';
import { createSkill, deleteSkill, skillsInPod, updateSkill } from './skills';

// The pod's activity library and its managed list of skills. The whole team curates it
// together, so every procedure is for the pod's staff; every change is audited.

const subject = z.enum(SUBJECTS, {
	error: 'Choose a subject: math, reading, writing, science, social studies or other'
});
const kind = z.enum(ACTIVITY_KINDS, {
	error: 'Choose a kind: lesson, practice, project, assessment, small group or offline'
});
const grade = (field: string) =>
	z
		.number({ error: `${field} must be a grade from K to 12` })
		.int({ error: `${field} must be a grade from K to 12` })
		.min(LOWEST_GRADE, { error: `${field} must be a grade from K to 12` })
		.max(HIGHEST_GRADE, { error: `${field} must be a grade from K to 12` });
const skillId = z.uuid({ error: "Each skill must be a skill id from this pod's list" });
const activityIdInput = z.object({ activityId: z.uuid({ error: 'activityId must be an activity id' }) });
const skillIdInput = z.object({ skillId: z.uuid({ error: 'skillId must be a skill id' }) });

const isWebAddress = (text: string): boolean => {
	if (!URL.canParse(text)) return false;
	const { protocol, hostname } = new URL(text);
	// Only web links: a `javascript:` or `data:` link in the library would run in a teacher's browser.
	return (protocol === 'https:' || protocol === 'http:') && hostname !== '';
};

const minutesMessage = `Give the minutes as a whole number from 1 to ${MAX_MINUTES}`;
const maxScoreMessage = `Give the max score as a whole number from 1 to ${MAX_SCORE}`;

const activityInput = z
	.object({
		title: z
			.string({ error: 'Give the activity a title' })
			.trim()
			.min(1, { error: 'Give the activity a title' })
			.max(MAX_TITLE_LENGTH, { error: `Keep the title to ${MAX_TITLE_LENGTH} characters or fewer` }),
		subject,
		kind,
		skillIds: z
			.array(skillId, { error: 'Give the skills as a list of skill ids' })
			.max(30, { error: 'An activity can practise at most 30 skills' })
			.default([]),
		gradeLow: grade('Lowest grade'),
		gradeHigh: grade('Highest grade'),
		estimatedMinutes: z
			.number({ error: minutesMessage })
			.int({ error: minutesMessage })
			.min(1, { error: minutesMessage })
			.max(MAX_MINUTES, { error: minutesMessage }),
		resourceUrl: z
			.string({ error: 'Give the resource link as a web address' })
			.trim()
			.max(2000, { error: 'Keep the resource link to 2000 characters or fewer' })
			.refine((text) => text === '' || isWebAddress(text), {
				error: 'The resource link must be a web address starting with https:// or http://'
			})
			.nullish()
			.transform((text) => text || null),
		maxScore: z
			.number({ error: maxScoreMessage })
			.int({ error: maxScoreMessage })
			.min(1, { error: maxScoreMessage })
			.max(MAX_SCORE, { error: maxScoreMessage })
			.nullish()
			.transform((score) => score ?? null)
	})
	.superRefine((activity, ctx) => {
		if (activity.gradeLow > activity.gradeHigh) {
			ctx.addIssue({
				code: 'custom',
				path: ['gradeHigh'],
				message: 'The highest grade cannot be below the lowest grade'
			});
		}
		if (activity.kind === 'assessment' && activity.maxScore === null) {
			ctx.addIssue({
				code: 'custom',
				path: ['maxScore'],
				message: `An assessment needs a max score from 1 to ${MAX_SCORE}`
			});
		}
	});

const skillInput = z.object({
	code: z
		.string({ error: 'Give the skill a code, like 4.NF.1' })
		.trim()
		.min(1, { error: 'Give the skill a code, like 4.NF.1' })
		.max(40, { error: 'Keep the skill code to 40 characters or fewer' })
		.regex(/^[\p{L}\p{N}][\p{L}\p{N}.\-_/:]*$/u, {
			error: 'Write the skill code with letters, digits and . - _ / : only, like 4.NF.1'
		}),
	name: z
		.string({ error: 'Give the skill a name' })
		.trim()
		.min(1, { error: 'Give the skill a name' })
		.max(120, { error: 'Keep the skill name to 120 characters or fewer' }),
	subject,
	grade: grade('Grade')
});

const activityFilters = z.object({
	search: z
		.string({ error: 'Search for words in a title or a skill' })
		.trim()
		.max(100, { error: 'Search for at most 100 characters' })
		.optional()
		.transform((text) => text || undefined),
	subject: subject.optional(),
	skillId: skillId.optional(),
	grade: grade('Grade').optional(),
	kind: kind.optional(),
	archived: z.enum(ARCHIVED_VIEWS, { error: 'Show active, archived or all activities' }).default('active')
});

/**
 * Archive sets `archived_at`, restore clears it; nothing is deleted. Archiving twice (or
 * restoring an active activity) succeeds and changes nothing.
 */
const archivingProcedure = (action: 'archive' | 'restore') =>
	podTeacherProcedure.input(activityIdInput).mutation(({ ctx, input }) =>
		auditedWrite(
			ctx,
			{ action, entity: 'activity' },
			(trx) => setArchived(trx, ctx.pod.id, input.activityId, action === 'archive' ? new Date() : null),
			({ activity, changed }) => ({ entityId: activity.id, detail: { title: activity.title, changed } })
		).then(({ activity }) => activity)
	);

export const libraryRouter = router({
	skills: podStaffProcedure.query(({ ctx }) => skillsInPod(ctx.db, ctx.pod.id)),

	createSkill: podTeacherProcedure.input(skillInput).mutation(({ ctx, input }) => {
		const { podId: _podId, ...fields } = input;
		return auditedWrite(
			ctx,
			{ action: 'create', entity: 'skill' },
			(trx) => createSkill(trx, ctx.pod.id, fields),
			(skill) => ({ entityId: skill.id, detail: fields })
		);
	}),

	updateSkill: podTeacherProcedure
		.input(skillIdInput)
		.input(skillInput)
		.mutation(({ ctx, input }) => {
			const { podId: _podId, skillId, ...fields } = input;
			return auditedWrite(
				ctx,
				{ action: 'update', entity: 'skill' },
				(trx) => updateSkill(trx, ctx.pod.id, skillId, fields),
				({ skill, changes }) => ({ entityId: skill.id, detail: { code: skill.code, changes } })
			).then(({ skill }) => skill);
		}),

	deleteSkill: podTeacherProcedure.input(skillIdInput).mutation(({ ctx, input }) =>
		auditedWrite(
			ctx,
			{ action: 'delete', entity: 'skill' },
			(trx) => deleteSkill(trx, ctx.pod.id, input.skillId),
			(skill) => ({
				entityId: skill.id,
				detail: { code: skill.code, name: skill.name, subject: skill.subject, grade: skill.grade }
			})
		).then((skill) => ({ id: skill.id }))
	),

	activities: podStaffProcedure
		.input(activityFilters)
		.query(({ ctx, input: { podId: _podId, ...filters } }) => listActivities(ctx.db, ctx.pod.id, filters)),

	activity: podStaffProcedure
		.input(activityIdInput)
		.query(({ ctx, input }) => activityInPod(ctx.db, ctx.pod.id, input.activityId)),

	createActivity: podTeacherProcedure.input(activityInput).mutation(({ ctx, input }) => {
		const { podId: _podId, ...fields } = input;
		const { skillIds: _skillIds, ...columns } = fields;
		return auditedWrite(
			ctx,
			{ action: 'create', entity: 'activity' },
			(trx) => createActivity(trx, ctx.pod.id, fields),
			(activity) => ({
				entityId: activity.id,
				detail: { ...columns, skills: activity.skills.map((skill) => skill.code) }
			})
		);
	}),

	updateActivity: podTeacherProcedure
		.input(activityIdInput)
		.input(activityInput)
		.mutation(({ ctx, input }) => {
			const { podId: _podId, activityId, ...fields } = input;
			return auditedWrite(
				ctx,
				{ action: 'update', entity: 'activity' },
				(trx) => updateActivity(trx, ctx.pod.id, activityId, fields),
				({ activity, changes }) => ({ entityId: activity.id, detail: { title: activity.title, changes } })
			).then(({ activity }) => activity);
		}),

	archiveActivity: archivingProcedure('archive'),
	restoreActivity: archivingProcedure('restore')
});
