import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { PodRole } from '../db/schema';
import { t } from './init';

// Authorization lives in these builders, never inside a procedure's body.

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.meta({ policy: 'public' });

export const signedInProcedure = t.procedure.meta({ policy: 'signedIn' }).use(({ ctx, next }) => {
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
