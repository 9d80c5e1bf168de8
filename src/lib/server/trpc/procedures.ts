import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { PodRole } from '../db/schema';
import { t } from './init';

// Authorization lives in these builders, never inside a procedure's body.

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * The first field of an input whose text (or key) holds a NUL character, as a path like
 * `events.2.note`; null when there is none. Walked with a list, not recursion: an input may
 * nest thousands deep.
 */
export function fieldWithNul(input: unknown): string | null {
	const pending: [unknown, string][] = [[input, '']];
	const named = (at: string, key: string | number) => (at ? `${at}.${key}` : String(key));
	while (pending.length) {
		const [value, at] = pending.pop()!;
		if (typeof value === 'string') {
			if (value.includes('\0')) return at || 'the input';
		} else if (Array.isArray(value)) {
			value.forEach((item, i) => pending.push([item, named(at, i)]));
		} else if (value && typeof value === 'object') {
			for (const [key, item] of Object.entries(value)) {
				if (key.includes('\0')) return named(at, JSON.stringify(key));
				pending.push([item, named(at, key)]);
			}
		}
	}
	return null;
}

// A NUL character is no part of any text a person writes, and PostgreSQL refuses to store one:
// refuse it at the door, the same on both engines, saying which field held it.
const textOnly = t.procedure.use(async ({ getRawInput, next }) => {
	// An input that is not JSON at all is left for the procedure's own parsing to refuse (or ignore).
	const field = fieldWithNul(await getRawInput().catch(() => undefined));
	if (field) {
		throw new TRPCError({
			code: 'BAD_REQUEST',
			message: `${field} holds a NUL character (\\u0000), which is not text: remove it and send again.`
		});
	}
	return next();
});

export const publicProcedure = textOnly.meta({ policy: 'public' });

export const signedInProcedure = textOnly.meta({ policy: 'signedIn' }).use(({ ctx, next }) => {
	if (!ctx.session) {
		throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
	}
	return next({ ctx: { session: ctx.session, user: ctx.session.user } });
});

export const studentProcedure = signedInProcedure.meta({ policy: 'student' }).use(({ ctx, next }) => {
	if (ctx.user.kind !== 'student' || !ctx.session.podId) {
		throw new TRPCError({ code: 'FORBIDDEN', message: 'This is for students signed in to a pod.' });
	}
	return next({ ctx: { student: { id: ctx.user.id, podId: ctx.session.podId } } });
});

export const staffProcedure = signedInProcedure.meta({ policy: 'staff' }).use(({ ctx, next }) => {
	if (ctx.user.kind !== 'staff') {
		throw new TRPCError({ code: 'FORBIDDEN', message: 'This is for the teachers of a pod.' });
	}
	return next();
});

export const podIdInput = z.object({
	podId: z.uuid({ error: 'podId must be a pod id' })
});

/** Staff of the pod named in the input. A school admin counts as staff of every pod. */
export const podStaffProcedure = staffProcedure
	.meta({ policy: 'podStaff' })
	.input(podIdInput)
	.use(async ({ ctx, input, next }) => {
		const pod = await ctx.db
			.selectFrom('pods')
			.select(['id', 'name'])
			.where('id', '=', input.podId)
			.executeTakeFirst();
		if (!pod) throw new TRPCError({ code: 'NOT_FOUND', message: 'No pod has that id.' });
		const membership = await ctx.db
			.selectFrom('pod_staff')
			.select('role')
			.where('pod_id', '=', pod.id)
			.where('user_id', '=', ctx.user.id)
			.executeTakeFirst();
		if (!membership && !ctx.user.isAdmin) {
			throw new TRPCError({ code: 'FORBIDDEN', message: `You are not on the team of ${pod.name}.` });
		}
		const podRole: PodRole | 'admin' = membership?.role ?? 'admin';
		return next({ ctx: { pod, podRole } });
	});

export const podLeadProcedure = podStaffProcedure.meta({ policy: 'podLead' }).use(({ ctx, next }) => {
	if (ctx.podRole === 'teacher') {
		throw new TRPCError({
			code: 'FORBIDDEN',
			message: `Only the lead facilitator of ${ctx.pod.name} can do this.`
		});
	}
	return next();
});

export const adminProcedure = signedInProcedure.meta({ policy: 'admin' }).use(({ ctx, next }) => {
	if (!ctx.user.isAdmin) {
		throw new TRPCError({ code: 'FORBIDDEN', message: "This is for your school's Podboard admin." });
	}
	return next();
});
