import { z } from 'zod';
import { auditedWrite } from '../audit/log';
import { dialectOf } from '../db/sql';
import { keepMastery } from '../mastery/mastery';
import { rederivePodScores } from '../progress/record';
import { podLeadProcedure, podStaffProcedure, router } from '../trpc/procedures';
import { evaluateFlags } from './engine';
import { podFlags, raiseManualFlags, resolveFlag } from './flags';
import { flagThresholdsInput, readThresholds } from './thresholds';

const studentId = z.uuid({ error: 'studentId must be a student id' });
const flagId = z.uuid({ error: 'flagId must be a flag id' });

export const flagsRouter = router({
	/** Open flags (grouped ones too), most severe and oldest first; one student's with `studentId`. */
	list: podStaffProcedure
		.input(z.object({ studentId: studentId.optional() }))
		.query(({ ctx, input }) => podFlags(ctx.db, ctx.pod.id, input.studentId)),

	/** A teacher's own flag on one or more students, with the reason in their words. */
	raise: podStaffProcedure
		.input(
			z.object({
				studentIds: z
					.array(studentId, { error: 'Choose the students to flag' })
					.min(1, { error: 'Choose at least one student to flag' })
					.max(80, { error: 'Flag at most 80 students at once' }),
				assignmentId: z.uuid({ error: 'assignmentId must be a playlist item id' }).nullish(),
				reason: z
					.string({ error: 'Say why you are flagging' })
					.trim()
					.min(1, { error: 'Say why you are flagging' })
					.max(300, { error: 'Keep the reason under 300 characters' })
			})
		)
		.mutation(({ ctx, input }) =>
			auditedWrite(
				ctx,
				{ action: 'raise', entity: 'flag' },
				async (trx, record) => ({
					flagIds: await raiseManualFlags(
						trx,
						{
							podId: ctx.pod.id,
							studentIds: input.studentIds,
							assignmentId: input.assignmentId ?? null,
							reason: input.reason,
							raisedBy: ctx.user.id
						},
						record
					)
				}),
				({ flagIds }) => ({ detail: { flagIds, studentIds: input.studentIds, reason: input.reason } })
			)
		),

	/** Resolve a flag with a note saying what was done. */
	resolve: podStaffProcedure
		.input(
			z.object({
				flagId,
				note: z
					.string({ error: 'Add a note saying what was done' })
					.trim()
					.min(1, { error: 'Add a note saying what was done' })
					.max(500, { error: 'Keep the note under 500 characters' })
			})
		)
		.mutation(({ ctx, input }) =>
			auditedWrite(
				ctx,
				{ action: 'resolve', entity: 'flag' },
				async (trx, record) => {
					await resolveFlag(
						trx,
						{ podId: ctx.pod.id, flagId: input.flagId, note: input.note, resolvedBy: ctx.user.id },
						record
					);
					return { flagId: input.flagId };
				},
				() => ({ entityId: input.flagId, detail: { note: input.note } })
			)
		),

	/** The pod's thresholds for the automatic flags. */
	thresholds: podStaffProcedure.query(async ({ ctx }) => {
		const pod = await ctx.db
			.selectFrom('pods')
			.select('flag_thresholds')
			.where('id', '=', ctx.pod.id)
			.executeTakeFirstOrThrow();
		return readThresholds(pod.flag_thresholds);
	}),

	/** The lead sets the thresholds; the rules run again at once with them. */
	setThresholds: podLeadProcedure
		.input(z.object({ thresholds: flagThresholdsInput }))
		.mutation(({ ctx, input }) =>
			auditedWrite(
				ctx,
				{ action: 'setThresholds', entity: 'pod' },
				async (trx, record) => {
					// Held until this commits (PostgreSQL): two leads saving at once each see the other's.
					const before = await trx
						.selectFrom('pods')
						.select(['flag_thresholds', 'timezone'])
						.where('id', '=', ctx.pod.id)
						.$if(dialectOf(trx) === 'postgres', (q) => q.forUpdate())
						.executeTakeFirstOrThrow();
					await trx
						.updateTable('pods')
						.set({ flag_thresholds: JSON.stringify(input.thresholds) })
						.where('id', '=', ctx.pod.id)
						.execute();
					// What counts as evidence changed: mastery is derived again before the flags look.
					if (
						readThresholds(before.flag_thresholds).selfReportedScoresCount !==
						input.thresholds.selfReportedScoresCount
					) {
						await rederivePodScores(trx, ctx.pod.id, record);
					}
					// Mastery follows both: kept again when what counts changed; the boards read it again.
					const was = readThresholds(before.flag_thresholds);
					if (was.selfReportedScoresCount !== input.thresholds.selfReportedScoresCount) {
						await keepMastery(trx, {
							id: ctx.pod.id,
							flag_thresholds: JSON.stringify(input.thresholds),
							timezone: before.timezone
						});
					}
					if (
						was.selfReportedScoresCount !== input.thresholds.selfReportedScoresCount ||
						JSON.stringify(was.masteryLevels) !== JSON.stringify(input.thresholds.masteryLevels)
					) {
						await record(ctx.pod.id, 'mastery.rulesChanged', { studentIds: [] });
					}
					await evaluateFlags(trx, ctx.pod.id, record);
					return input.thresholds;
				},
				() => ({ entityId: ctx.pod.id, detail: input.thresholds })
			)
		)
});
