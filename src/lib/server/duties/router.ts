import { z } from 'zod';
import { auditedWrite } from '../audit/log';
import { podLeadProcedure, podStaffProcedure, router } from '../trpc/procedures';
import { DUTIES, generateWeek, mondayOf, podWeek, saveDay, setAway, setDuty, swapDuties } from './duties';

// abort: the Monday check must not run on a string that is no date at all, where mondayOf throws.
const weekOf = z.iso
	.date({ error: 'weekOf is a date like 2026-11-23', abort: true })
	.refine((date) => mondayOf(date) === date, { error: 'weekOf is the Monday the week starts on' });
const blockId = z.uuid({ error: 'blockId must be a block id' });
const teacherId = z.uuid({ error: 'teacherId must be a teacher id' });
const duty = z.enum(DUTIES as [string, ...string[]], { error: `A duty is one of ${DUTIES.join(', ')}` });
const time = (what: string) =>
	z.string({ error: `${what} is a time like 10:30` }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, {
		error: `${what} is a time like 10:30`
	});

export const dutiesRouter = router({
	/** The week's blocks, who has which duty, who is away, what runs now, and the workload. */
	week: podStaffProcedure
		.input(z.object({ weekOf: weekOf.nullish() }))
		.query(({ ctx, input }) => podWeek(ctx.db, ctx.pod.id, input.weekOf ?? null)),

	/** Propose the week with the rotation generator, in place of what it had. */
	generate: podLeadProcedure.input(z.object({ weekOf })).mutation(({ ctx, input }) =>
		auditedWrite(
			ctx,
			{ action: 'generate', entity: 'duties' },
			(trx, record) => generateWeek(trx, { podId: ctx.pod.id, weekOf: input.weekOf }, record),
			(result) => ({ detail: { weekOf: input.weekOf, ...result } })
		)
	),

	/** The lead sets one duty by hand. */
	set: podLeadProcedure.input(z.object({ weekOf, blockId, teacherId, duty })).mutation(({ ctx, input }) =>
		auditedWrite(
			ctx,
			{ action: 'set', entity: 'duty' },
			async (trx, record) => {
				const duty = input.duty as (typeof DUTIES)[number];
				const { before } = await setDuty(trx, { ...input, podId: ctx.pod.id, duty }, record);
				return { before, after: duty };
			},
			(change) => ({
				entityId: input.blockId,
				detail: { weekOf: input.weekOf, teacherId: input.teacherId, ...change }
			})
		)
	),

	/** Two teachers trade duties in one block. */
	swap: podLeadProcedure
		.input(
			z.object({
				weekOf,
				blockId,
				teacherIds: z
					.tuple([teacherId, teacherId], { error: 'Name the two teachers who swap' })
					.refine(([a, b]) => a !== b, { error: 'A teacher cannot swap with themself' })
			})
		)
		.mutation(({ ctx, input }) =>
			auditedWrite(
				ctx,
				{ action: 'swap', entity: 'duty' },
				(trx, record) => swapDuties(trx, { ...input, podId: ctx.pod.id }, record),
				(result) => ({ entityId: input.blockId, detail: { weekOf: input.weekOf, after: result.duties } })
			)
		),

	/** A teacher away for a block (a meeting, a course), or back. */
	setAway: podLeadProcedure
		.input(z.object({ weekOf, blockId, teacherId, away: z.boolean({ error: 'away is true or false' }) }))
		.mutation(({ ctx, input }) =>
			auditedWrite(
				ctx,
				{ action: input.away ? 'away' : 'back', entity: 'duty' },
				async (trx, record) => {
					await setAway(trx, { ...input, podId: ctx.pod.id }, record);
					return { away: input.away };
				},
				() => ({ entityId: input.blockId, detail: { weekOf: input.weekOf, teacherId: input.teacherId } })
			)
		),

	/** The lead sets out one weekday as blocks. */
	saveDay: podLeadProcedure
		.input(
			z.object({
				weekday: z
					.number({ error: 'weekday is 1 (Monday) to 5 (Friday)' })
					.int({ error: 'weekday is 1 (Monday) to 5 (Friday)' })
					.min(1, { error: 'weekday is 1 (Monday) to 5 (Friday)' })
					.max(5, { error: 'weekday is 1 (Monday) to 5 (Friday)' }),
				blocks: z
					.array(
						z.object({
							startsAt: time('A block’s start'),
							endsAt: time('A block’s end'),
							label: z
								.string({ error: 'Name each block' })
								.trim()
								.min(1, { error: 'Name each block' })
								.max(60, { error: 'Keep a block’s name under 60 characters' }),
							studentsIn: z.boolean({ error: 'studentsIn is true or false' })
						})
					)
					.max(12, { error: 'A day holds at most 12 blocks' })
			})
		)
		.mutation(({ ctx, input }) =>
			auditedWrite(
				ctx,
				{ action: 'saveDay', entity: 'duty_blocks' },
				async (trx, record) => {
					await saveDay(trx, { ...input, podId: ctx.pod.id }, record);
					return { weekday: input.weekday, blocks: input.blocks.length };
				},
				() => ({ detail: { weekday: input.weekday, blocks: input.blocks } })
			)
		)
});
