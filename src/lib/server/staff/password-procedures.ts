import { z } from 'zod';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../staff/passwords';
import { signInProcedure, staffProcedure } from '../trpc/procedures';
import { acceptInvitation, lookUpInvitation } from './invitations';
import { changeOwnPassword, requestPasswordReset } from './passwords';

// The auth router's password steps (src/lib/server/auth/router.ts spreads them in): under
// `auth.`, so the page's client sends each on its own, never in a batch.

const token = z
	.string()
	.min(1, { error: 'The link has no token: copy the whole link and open it again' })
	.max(200, { error: 'That is not an invitation link: copy the whole link and open it again' });
const newPassword = z
	.string()
	.min(MIN_PASSWORD_LENGTH, { error: `Use at least ${MIN_PASSWORD_LENGTH} characters` })
	.max(MAX_PASSWORD_LENGTH, { error: `Use at most ${MAX_PASSWORD_LENGTH} characters` });

export const passwordProcedures = {
	/** What an invitation link's page shows: whose it is while it works, or why it does not. */
	invitation: signInProcedure
		.input(z.object({ token }))
		.query(({ ctx, input }) => lookUpInvitation(ctx.db, { token: input.token, address: ctx.address })),

	/** Set the password an invitation link was made for, and be signed in. */
	acceptInvitation: signInProcedure
		.input(z.object({ token, password: newPassword }))
		.mutation(async ({ ctx, input }) => {
			const signedIn = await acceptInvitation(ctx.db, {
				token: input.token,
				password: input.password,
				address: ctx.address,
				previousSession: ctx.session?.tokenHash ?? null
			});
			ctx.sessionCookie.set(signedIn.token, signedIn.expiresAt);
			return { next: '/pods' };
		}),

	/** Change your own password: the current one is asked for; your other sessions end. */
	changePassword: staffProcedure
		.meta({ policy: 'staff', signIn: true })
		.input(
			z.object({
				currentPassword: z.string().min(1, { error: 'Enter your current password' }).max(MAX_PASSWORD_LENGTH),
				newPassword
			})
		)
		.mutation(({ ctx, input }) =>
			changeOwnPassword(ctx.db, {
				user: ctx.user,
				tokenHash: ctx.session.tokenHash,
				currentPassword: input.currentPassword,
				newPassword: input.newPassword,
				address: ctx.address
			})
		),

	/**
	 * "Forgot your password?": a link by email, if the address has an account (the answer never
	 * says). Without SMTP_URL it answers `emailOn: false` and sends nothing.
	 */
	requestPasswordReset: signInProcedure
		.input(z.object({ email: z.email({ error: 'Enter an email address like name@school.org' }).max(254) }))
		.mutation(({ ctx, input }) => requestPasswordReset(ctx.db, { email: input.email, address: ctx.address }))
};
