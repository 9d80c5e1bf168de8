import { z } from 'zod';
import { PICTURE_PASSWORD_LENGTH, PICTURES } from '../../auth/pictures';
import type { Transaction } from 'kysely';
import { auditedWrite } from '../audit/log';
import type { Database } from '../db';
import { endSessionIn, type ResolvedSession } from './sessions';
import { joinRoster, signInStaff, signInStudent } from './sign-in';
import { passwordProcedures } from '../staff/password-procedures';
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
async function endPreviousSession(trx: Transaction<Database>, previous: ResolvedSession | null) {
	if (previous) await endSessionIn(trx, previous.tokenHash);
}

/** Log who signed in (their session is made by then), ending the browser's previous session with it. */
const signedInAs = (ctx: Context, who: { userId: string; podId: string | null }, as: 'staff' | 'student') =>
	auditedWrite(
		{ db: ctx.db, user: { id: who.userId }, pod: who.podId ? { id: who.podId } : null },
		{ action: 'signIn', entity: 'session' },
		(trx) => endPreviousSession(trx, ctx.session),
		() => ({ detail: { as } })
	);

export const authRouter = router({
	// Invitations, changing your own password, and "Forgot your password?" (src/lib/server/staff).
	...passwordProcedures,

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
			await signedInAs(ctx, { userId: signedIn.userId, podId: null }, 'staff');
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
			await signedInAs(ctx, signedIn, 'student');
			ctx.sessionCookie.set(signedIn.token, signedIn.expiresAt);
			return { next: '/me' };
		}),

	logout: signedInProcedure.mutation(async ({ ctx }) => {
		const { podId, tokenHash } = ctx.session;
		await auditedWrite(
			{ db: ctx.db, user: ctx.user, pod: podId ? { id: podId } : null },
			{ action: 'signOut', entity: 'session' },
			(trx) => endSessionIn(trx, tokenHash)
		);
		ctx.sessionCookie.clear();
		return { next: ctx.user.kind === 'student' ? '/join' : '/login' };
	})
});
