import { z } from 'zod';
import { auditedWrite, recordRead } from '../audit/log';
import { Invalid } from '../errors';
import { podLeadProcedure, router } from '../trpc/procedures';
import {
	correctStudent,
	eraseStudent,
	everythingAbout,
	requireAuthorityOverEveryPod,
	sameName,
	studentProfile
} from './data';

const studentId = z.uuid({ error: 'studentId must be a student id' });

const namePart = (what: string) =>
	z
		.string({ error: `Write the ${what}` })
		.trim()
		.min(1, { error: `Write the ${what}` })
		.max(80, { error: `Keep the ${what} under 80 characters` });

const correction = z
	.object({
		studentId,
		givenName: namePart('given name').optional(),
		familyName: namePart('family name').optional(),
		grade: z
			.number({ error: 'The grade is a number from 0 (kindergarten) to 12' })
			.int({ error: 'The grade is a whole number' })
			.min(0, { error: 'The grade is a number from 0 (kindergarten) to 12' })
			.max(12, { error: 'The grade is a number from 0 (kindergarten) to 12' })
			.optional(),
		// Empty means no cohort.
		cohort: z
			.string({ error: 'The cohort is a short name, or empty for none' })
			.trim()
			.max(60, { error: 'Keep the cohort under 60 characters' })
			.transform((cohort) => cohort || null)
			.nullish()
	})
	.refine(
		(input) => [input.givenName, input.familyName, input.grade, input.cohort].some((v) => v !== undefined),
		{ error: 'Say what to correct: given name, family name, grade or cohort' }
	);

// The lead of the student's pod (or a school admin) answers a request for a student's data.
// Audit entries name which fields changed, never the names themselves: a correction must not
// keep the wrong data, and an erasure keeps only counts.
export const studentDataRouter = router({
	/** The student as this pod knows them, for the page that answers the request. */
	profile: podLeadProcedure.input(z.object({ studentId })).query(async ({ ctx, input }) => {
		const profile = await studentProfile(ctx.db, ctx.pod.id, input.studentId);
		await recordRead(ctx, input.studentId, 'the student’s data page');
		return profile;
	}),

	/** Everything stored about the student, as JSON; recorded in the audit log. */
	everything: podLeadProcedure.input(z.object({ studentId })).mutation(({ ctx, input }) =>
		auditedWrite(
			ctx,
			{ action: 'export', entity: 'student' },
			async (trx) => {
				const student = await studentProfile(trx, ctx.pod.id, input.studentId);
				requireAuthorityOverEveryPod(student, ctx.user);
				return { studentId: student.id, everything: await everythingAbout(trx, student.id) };
			},
			({ studentId }) => ({ entityId: studentId, detail: { format: 'json' } })
		).then(({ everything }) => ({ exportedAt: new Date().toISOString(), ...everything }))
	),

	/** Correct the student's name, or their grade or cohort in this pod. */
	correct: podLeadProcedure.input(correction).mutation(({ ctx, input }) =>
		auditedWrite(
			ctx,
			{ action: 'correct', entity: 'student' },
			async (trx, record) => {
				const before = await studentProfile(trx, ctx.pod.id, input.studentId);
				const fields = await correctStudent(trx, ctx.pod.id, before, input);
				if (fields.length) {
					await record(ctx.pod.id, 'playlist.changed', { studentIds: [before.id] });
				}
				return { changed: fields, student: await studentProfile(trx, ctx.pod.id, before.id) };
			},
			// Nothing corrected, nothing logged.
			({ changed, student }) =>
				changed.length ? { entityId: student.id, detail: { fields: changed } } : null
		)
	),

	/**
	 * Delete the student and everything about them for good; the name typed confirms it. An
	 * archived pod's data stays until erased, so this works there too.
	 */
	erase: podLeadProcedure
		.meta({ policy: 'podLead', archivedPodToo: true })
		.input(
			z.object({
				studentId,
				confirmName: z
					.string({ error: "Type the student's name to confirm" })
					.trim()
					.min(1, { error: "Type the student's name to confirm" })
					.max(200, { error: "Type the student's name to confirm" })
			})
		)
		.mutation(({ ctx, input }) =>
			auditedWrite(
				ctx,
				{ action: 'erase', entity: 'student' },
				async (trx, record) => {
					const student = await studentProfile(trx, ctx.pod.id, input.studentId);
					if (!sameName(input.confirmName, student.name)) {
						throw new Invalid(`Type “${student.name}” exactly to delete their data; nothing was deleted.`);
					}
					requireAuthorityOverEveryPod(student, ctx.user);
					const counts = await eraseStudent(trx, student);
					// The boards read their rows again: one student fewer.
					await record(ctx.pod.id, 'playlist.changed', { studentIds: [] });
					return { counts };
				},
				// The entry names no one: the student is gone, and only the counts stay.
				({ counts }) => ({ entityId: null, detail: { podId: ctx.pod.id, counts } })
			)
		)
});
