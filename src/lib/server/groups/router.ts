import { z } from 'zod';
import { audit } from '../audit/log';
import { writeWithEvents } from '../live/log';
import { podStaffProcedure, router } from '../trpc/procedures';
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

export const groupsRouter = router({
	/** Groups not done yet, and those done in the last day with their outcomes. */
	list: podStaffProcedure.query(({ ctx }) => podGroups(ctx.db, ctx.pod.id)),
	/** Open flags clustered by skill into groups of at most six, each with its reason. */
	suggestions: podStaffProcedure.query(({ ctx }) => podGroupSuggestions(ctx.db, ctx.pod.id)),

	create: podStaffProcedure
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
			writeWithEvents(ctx.db, async (trx, record) => {
				const group = await createGroup(
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
				);
				await audit(trx, {
					actorId: ctx.user.id,
					podId: ctx.pod.id,
					action: 'create',
					entity: 'group',
					entityId: group.id,
					detail: {
						title: group.title,
						studentIds: group.members.map((m) => m.studentId),
						flagIds: input.flagIds
					}
				});
				return group;
			})
		),

	/** Compare-and-set on `version`: one teacher wins; the others get CONFLICT naming the owner. */
	claim: podStaffProcedure.input(groupMove).mutation(({ ctx, input }) =>
		writeWithEvents(ctx.db, async (trx, record) => {
			const group = await claimGroup(trx, { ...input, podId: ctx.pod.id, teacherId: ctx.user.id }, record);
			await audit(trx, {
				actorId: ctx.user.id,
				podId: ctx.pod.id,
				action: 'claim',
				entity: 'group',
				entityId: group.id
			});
			return group;
		})
	),
	release: podStaffProcedure.input(groupMove).mutation(({ ctx, input }) =>
		writeWithEvents(ctx.db, async (trx, record) => {
			const group = await releaseGroup(
				trx,
				{ ...input, podId: ctx.pod.id, teacherId: ctx.user.id, isLead: ctx.podRole !== 'teacher' },
				record
			);
			await audit(trx, {
				actorId: ctx.user.id,
				podId: ctx.pod.id,
				action: 'release',
				entity: 'group',
				entityId: group.id
			});
			return group;
		})
	),
	handOff: podStaffProcedure
		.input(groupMove.extend({ toTeacherId: z.uuid({ error: 'toTeacherId must be a teacher id' }) }))
		.mutation(({ ctx, input }) =>
			writeWithEvents(ctx.db, async (trx, record) => {
				const group = await handOffGroup(
					trx,
					{ ...input, podId: ctx.pod.id, teacherId: ctx.user.id, isLead: ctx.podRole !== 'teacher' },
					record
				);
				await audit(trx, {
					actorId: ctx.user.id,
					podId: ctx.pod.id,
					action: 'handOff',
					entity: 'group',
					entityId: group.id,
					detail: { to: input.toTeacherId }
				});
				return group;
			})
		),
	start: podStaffProcedure.input(groupMove).mutation(({ ctx, input }) =>
		writeWithEvents(ctx.db, async (trx, record) => {
			const group = await startGroup(
				trx,
				{ ...input, podId: ctx.pod.id, teacherId: ctx.user.id, isLead: ctx.podRole !== 'teacher' },
				record
			);
			await audit(trx, {
				actorId: ctx.user.id,
				podId: ctx.pod.id,
				action: 'start',
				entity: 'group',
				entityId: group.id
			});
			return group;
		})
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
			writeWithEvents(ctx.db, async (trx, record) => {
				const group = await finishGroup(
					trx,
					{ ...input, podId: ctx.pod.id, teacherId: ctx.user.id, isLead: ctx.podRole !== 'teacher' },
					record
				);
				await audit(trx, {
					actorId: ctx.user.id,
					podId: ctx.pod.id,
					action: 'finish',
					entity: 'group',
					entityId: group.id,
					detail: { outcome: input.outcome }
				});
				return group;
			})
		)
});
