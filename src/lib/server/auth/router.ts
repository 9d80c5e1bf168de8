import { z } from 'zod';
import { PICTURE_PASSWORD_LENGTH, PICTURES } from '../../auth/pictures';
import { audit } from '../audit/log';
import { endSession } from './sessions';
import { joinRoster, signInStaff, signInStudent } from './sign-in';
import type { Context } from '../trpc/context';
import { publicProcedure, router, signedInProcedure, signInProcedure } from '../trpc/procedures';

const joinCode = z
	.string()
	.trim()
	.regex(/^[A-Za-z0-9]{4,12}$/, { error: 'Pod code is 4 to 12 letters and numbers, like DEMO42' });

/**
 * Signing in always starts a new session; one this browser already had ends, so a token planted
 * before sign-in (or left by the last person on a shared Chromebook) never becomes a signed-in one.
 */
async function endPreviousSession(ctx: Context) {
	if (ctx.session) await endSession(ctx.db, ctx.session.tokenHash);
}

export const authRouter = router({
	/** Who is signed in on this browser, or null. */
	me: publicProcedure.query(({ ctx }) => {
		if (!ctx.session) return null;
		const { user, podId } = ctx.session;
		return {
			id: user.id,
			kind: user.kind,
			name: `${user.given_name} ${user.family_name}`,
			email: user.email,
			isAdmin: user.isAdmin,
			podId
		};
	}),

	staffLogin: signInProcedure
		.input(
			z.object({
				email: z.email({ error: 'Enter an email address like name@school.org' }).max(254),
				password: z.string().min(1, { error: 'Enter your password' }).max(200)
			})
		)
		.mutation(async ({ ctx, input }) => {
			const signedIn = await signInStaff(ctx.db, { ...input, address: ctx.address });
			await endPreviousSession(ctx);
			await audit(ctx.db, {
				actorId: signedIn.userId,
				action: 'signIn',
				entity: 'session',
				detail: { as: 'staff' }
			});
			ctx.sessionCookie.set(signedIn.token, signedIn.expiresAt);
			return { next: '/pods' };
		}),

	/** The names a student picks from after typing the pod code. */
	joinRoster: signInProcedure
		.input(z.object({ joinCode }))
		.query(({ ctx, input }) => joinRoster(ctx.db, input.joinCode, ctx.address)),

	studentJoin: signInProcedure
		.input(
			z.object({
				joinCode,
				studentId: z.uuid({ error: 'Pick your name from the list' }),
				pictures: z
					.array(z.enum(PICTURES, { error: 'Pick pictures from the nine shown' }))
					.length(PICTURE_PASSWORD_LENGTH, { error: `Tap ${PICTURE_PASSWORD_LENGTH} pictures` })
			})
		)
		.mutation(async ({ ctx, input }) => {
			const signedIn = await signInStudent(ctx.db, { ...input, address: ctx.address });
			await endPreviousSession(ctx);
			await audit(ctx.db, {
				actorId: signedIn.userId,
				podId: signedIn.podId,
				action: 'signIn',
				entity: 'session',
				detail: { as: 'student' }
			});
			ctx.sessionCookie.set(signedIn.token, signedIn.expiresAt);
			return { next: '/me' };
		}),

	logout: signedInProcedure.mutation(async ({ ctx }) => {
		await endSession(ctx.db, ctx.session.tokenHash);
		await audit(ctx.db, {
			actorId: ctx.user.id,
			podId: ctx.session.podId,
			action: 'signOut',
			entity: 'session'
		});
		ctx.sessionCookie.clear();
		return { next: ctx.user.kind === 'student' ? '/join' : '/login' };
	})
});
