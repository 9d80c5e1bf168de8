import { z } from 'zod';
import { auditedWrite } from '../audit/log';
import { hashSecret } from '../auth/passwords';
import { adminProcedure, router } from '../trpc/procedures';
import { createStaffAccount, MIN_PASSWORD_LENGTH } from './staff';

const name = z.string().trim().min(1, { error: 'Enter a name' }).max(80);

export const rosterRouter = router({
	createStaff: adminProcedure
		.input(
			z.object({
				email: z.email({ error: 'Enter an email address like name@school.org' }).max(254),
				givenName: name,
				familyName: name,
				password: z
					.string()
					.min(MIN_PASSWORD_LENGTH, { error: `Use at least ${MIN_PASSWORD_LENGTH} characters` })
					.max(200),
				isAdmin: z.boolean().default(false),
				pod: z
					.object({ id: z.uuid({ error: 'pod.id must be a pod id' }), role: z.enum(['lead', 'teacher']) })
					.optional()
			})
		)
		.mutation(async ({ ctx, input }) => {
			// Hash before the transaction: SQLite holds its one connection for the whole of it.
			const passwordHash = await hashSecret(input.password);
			return auditedWrite(
				{ db: ctx.db, user: ctx.user, pod: input.pod ?? null },
				{ action: 'create', entity: 'user' },
				(trx) => createStaffAccount(trx, { ...input, passwordHash }),
				(created) => ({
					entityId: created.id,
					detail: { kind: 'staff', isAdmin: input.isAdmin, role: input.pod?.role ?? null }
				})
			);
		})
});
