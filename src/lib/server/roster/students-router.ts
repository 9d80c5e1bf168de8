import { z } from 'zod';
import { pictureSecret } from '../../auth/pictures';
import { auditedWrite } from '../audit/log';
import { hashSecret } from '../auth/passwords';
import { podLeadProcedure, router } from '../trpc/procedures';
import { randomPictures } from './oneroster/apply';
import { addStudent, moveStudent, podForRoster, podsToMoveInto } from './students';

const grade = z
	.number({ error: 'The grade is a number from 0 (kindergarten) to 12' })
	.int({ error: 'The grade is a whole number' })
	.min(0, { error: 'The grade is a number from 0 (kindergarten) to 12' })
	.max(12, { error: 'The grade is a number from 0 (kindergarten) to 12' });

// Empty means no cohort.
const cohort = z
	.string({ error: 'The cohort is a short name, or empty for none' })
	.trim()
	.max(60, { error: 'Keep the cohort under 60 characters' })
	.transform((cohort) => cohort || null)
	.nullish();

const id = (what: string) => z.uuid({ error: `${what} must be a ${what.replace(/Id$/, '')} id` });

export const studentsRouter = router({
	/** A student added by hand, with a random picture password; their card is made on the cards page. */
	add: podLeadProcedure
		.input(
			z.object({
				name: z
					.string({ error: 'Write the student’s name, like Ana Ruiz' })
					.trim()
					.min(1, { error: 'Write the student’s name, like Ana Ruiz' })
					.max(80, { error: 'Keep the student’s name under 80 characters' }),
				grade,
				cohort
			})
		)
		.mutation(async ({ ctx, input }) => {
			// scrypt is slow on purpose: hash before the transaction opens.
			const pictureHash = await hashSecret(pictureSecret(randomPictures()));
			return auditedWrite(
				ctx,
				{ action: 'create', entity: 'user' },
				(trx, record) =>
					addStudent(
						trx,
						{
							podId: ctx.pod.id,
							name: input.name,
							grade: input.grade,
							cohort: input.cohort ?? null,
							pictureHash
						},
						record
					),
				// Which fields were set, never their values: the audit log keeps no names.
				(added) => ({
					entityId: added.id,
					detail: {
						via: 'added by hand',
						kind: 'student',
						fields: ['given_name', 'family_name', 'grade_level', ...(added.cohort ? ['cohort'] : [])]
					}
				})
			);
		}),

	/**
	 * What the roster page offers: the grades a student may be added in, and the school's other pods
	 * this person may move students into (those they lead; an admin, all of them).
	 */
	choices: podLeadProcedure.query(async ({ ctx }) => {
		const [pod, moveTo] = await Promise.all([
			podForRoster(ctx.db, ctx.pod.id),
			podsToMoveInto(ctx.db, ctx.pod.id, ctx.user)
		]);
		return { gradeLow: pod.grade_low, gradeHigh: pod.grade_high, moveTo };
	}),

	/** A student changes pods within the school; audited in both pods, and both boards hear it. */
	move: podLeadProcedure
		.input(z.object({ studentId: id('studentId'), toPodId: id('toPodId'), grade: grade.optional(), cohort }))
		.mutation(({ ctx, input }) =>
			auditedWrite(
				ctx,
				{ action: 'move', entity: 'student' },
				(trx, record) =>
					moveStudent(
						trx,
						{
							fromPodId: ctx.pod.id,
							studentId: input.studentId,
							toPodId: input.toPodId,
							grade: input.grade,
							cohort: input.cohort ?? null,
							actor: ctx.user
						},
						record
					),
				// Both pods' logs keep it: each lead reads what happened to their people.
				(moved) => {
					const detail = { from: moved.from.id, to: moved.to.id, grade: moved.grade, closed: moved.closed };
					return {
						entityId: moved.studentId,
						detail,
						also: [
							{ podId: moved.to.id, action: 'move', entity: 'student', entityId: moved.studentId, detail }
						]
					};
				}
			)
		)
});
