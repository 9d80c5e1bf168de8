import { z } from 'zod';
import { auditedWrite } from '../audit/log';
import type { PodRole } from '../db/schema';
import { leadsPod, podStaffProcedure, podTeacherProcedure, router } from '../trpc/procedures';
import {
	claimGroup,
	createGroup,
	finishGroup,
	handOffGroup,
	podGroups,
	podGroupSuggestions,
	releaseGroup,
	startGroup
} from './groups';

const groupMove = z.object({
	groupId: z.uuid({ error: 'groupId must be a group id' }),
	version: z
		.number({ error: 'version is the number the group showed' })
		.int({ error: 'version is a whole number' })
		.min(1, { error: 'version starts at 1' })
});

/** Who moves the group: the caller, and whether they may act for its owner (a lead or admin). */
const mover = (ctx: { pod: { id: string }; user: { id: string }; podRole: PodRole | 'admin' }) => ({
	podId: ctx.pod.id,
	teacherId: ctx.user.id,
	isLead: leadsPod(ctx.podRole)
});
const theGroup = (group: { id: string }) => ({ entityId: group.id });

export const groupsRouter = router({
	/** Groups not done yet, and those done in the last day with their outcomes. */
	list: podStaffProcedure.query(({ ctx }) => podGroups(ctx.db, ctx.pod.id)),
	/** Open flags clustered by skill into groups of at most six, each with its reason. */
	suggestions: podStaffProcedure.query(({ ctx }) => podGroupSuggestions(ctx.db, ctx.pod.id)),

	// Forming a group is the teachers' plan; support staff run the groups they are given.
	create: podTeacherProcedure
		.input(
			z.object({
				title: z.string().trim().max(120, { error: 'Keep the title under 120 characters' }).nullish(),
				focusSkillId: z.uuid({ error: 'focusSkillId must be a skill id' }).nullish(),
				plannedOn: z.iso.date({ error: 'plannedOn is a date like 2026-11-23' }).nullish(),
				plannedStart: z
					.string()
					.regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'plannedStart is a time like 10:30' })
					.nullish(),
				studentIds: z
					.array(z.uuid({ error: 'studentIds must be student ids' }))
					.max(80, { error: 'Choose at most 80 students' })
					.default([]),
				flagIds: z
					.array(z.uuid({ error: 'flagIds must be flag ids' }))
					.max(80, { error: 'Choose at most 80 flags' })
					.default([])
			})
		)
		.mutation(({ ctx, input }) =>
			auditedWrite(
				ctx,
				{ action: 'create', entity: 'group' },
				(trx, record) =>
					createGroup(
						trx,
						{
							podId: ctx.pod.id,
							title: input.title ?? null,
							focusSkillId: input.focusSkillId ?? null,
							plannedOn: input.plannedOn ?? null,
							plannedStart: input.plannedStart ?? null,
							studentIds: input.studentIds,
							flagIds: input.flagIds,
							createdBy: ctx.user.id
						},
						record
					),
				// The same group asked for again is answered with it, and logged once.
				({ group, formed }) =>
					formed
						? {
								entityId: group.id,
								detail: {
									title: group.title,
									studentIds: group.members.map((m) => m.studentId),
									flagIds: input.flagIds
								}
							}
						: null
			).then(({ group }) => group)
		),

	/** Compare-and-set on `version`: one teacher wins; the others get CONFLICT naming the owner. */
	claim: podStaffProcedure.input(groupMove).mutation(({ ctx, input }) =>
		auditedWrite(
			ctx,
			{ action: 'claim', entity: 'group' },
			(trx, record) => claimGroup(trx, { ...input, ...mover(ctx) }, record),
			// The owner's second claim changes nothing and is not logged again.
			({ group, claimed }) => (claimed ? theGroup(group) : null)
		).then(({ group }) => group)
	),
	/** The owner (or a lead) gives the group back for anyone to claim. */
	release: podStaffProcedure
		.input(groupMove)
		.mutation(({ ctx, input }) =>
			auditedWrite(
				ctx,
				{ action: 'release', entity: 'group' },
				(trx, record) => releaseGroup(trx, { ...input, ...mover(ctx) }, record),
				theGroup
			)
		),
	handOff: podStaffProcedure
		.input(groupMove.extend({ toTeacherId: z.uuid({ error: 'toTeacherId must be a teacher id' }) }))
		.mutation(({ ctx, input }) =>
			auditedWrite(
				ctx,
				{ action: 'handOff', entity: 'group' },
				(trx, record) => handOffGroup(trx, { ...input, ...mover(ctx) }, record),
				(group) => ({ entityId: group.id, detail: { to: input.toTeacherId } })
			)
		),
	start: podStaffProcedure
		.input(groupMove)
		.mutation(({ ctx, input }) =>
			auditedWrite(
				ctx,
				{ action: 'start', entity: 'group' },
				(trx, record) => startGroup(trx, { ...input, ...mover(ctx) }, record),
				theGroup
			)
		),
	/** Close the group with its outcome; the members' flags from it are resolved with that note. */
	finish: podStaffProcedure
		.input(
			groupMove.extend({
				outcome: z
					.string({ error: 'Say how the group went' })
					.trim()
					.min(1, { error: 'Say how the group went' })
					.max(1000, { error: 'Keep the outcome under 1000 characters' })
			})
		)
		.mutation(({ ctx, input }) =>
			auditedWrite(
				ctx,
				{ action: 'finish', entity: 'group' },
				(trx, record) => finishGroup(trx, { ...input, ...mover(ctx) }, record),
				(group) => ({ entityId: group.id, detail: { outcome: input.outcome } })
			)
		)
});
