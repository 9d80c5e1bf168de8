import { z } from 'zod';
import { auditedWrite } from '../audit/log';
import { adminProcedure, router } from '../trpc/procedures';
import { createSchool, renameSchool, SCHOOL_NAME_LIMIT, schoolsWithPods } from './schools';

export const schoolName = z
	.string({ error: 'Write the school’s name, like Lincoln Elementary' })
	.trim()
	.min(1, { error: 'Write the school’s name, like Lincoln Elementary' })
	.max(SCHOOL_NAME_LIMIT, { error: `Keep the school’s name under ${SCHOOL_NAME_LIMIT} characters` });

export const schoolsRouter = router({
	/** Every school with its pods, archived ones marked: the admin's home. */
	list: adminProcedure.query(({ ctx }) => schoolsWithPods(ctx.db)),

	create: adminProcedure.input(z.object({ name: schoolName })).mutation(({ ctx, input }) =>
		auditedWrite(
			{ db: ctx.db, user: ctx.user, pod: null },
			{ action: 'create', entity: 'school' },
			(trx) => createSchool(trx, { name: input.name }),
			(school) => ({ entityId: school.id, detail: { name: school.name } })
		)
	),

	rename: adminProcedure
		.input(
			z.object({
				schoolId: z.uuid({ error: 'schoolId must be a school id' }),
				name: schoolName
			})
		)
		.mutation(async ({ ctx, input }) => {
			const renamed = await auditedWrite(
				{ db: ctx.db, user: ctx.user, pod: null },
				{ action: 'rename', entity: 'school' },
				(trx) => renameSchool(trx, input.schoolId, input.name),
				(school) => school && { entityId: school.id, detail: { name: [school.before, school.name] } }
			);
			return { id: input.schoolId, name: renamed?.name ?? input.name.trim(), changed: renamed !== null };
		})
});
