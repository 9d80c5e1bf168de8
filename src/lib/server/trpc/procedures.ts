import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { PodRole } from '../db/schema';
import { archivedMessage } from '../pods/settings';
import { refusalAsTRPCError } from './errors';
import { t } from './init';

// Authorization lives in these builders, never inside a procedure's body.

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Characters no person types into a field: NUL (PostgreSQL refuses to store it), the other
 * control characters but tab and line breaks, the bidirectional overrides and isolates that make
 * "txt.exe" read as "exe.txt" in a name, and a lone half of a surrogate pair (not text at all).
 */
const NOT_TEXT =
	// eslint-disable-next-line no-control-regex -- finding control characters is the point
	/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|\p{Surrogate}/u;

/** What a character that is not text is, in words a person can look for. */
function describeNotText(character: string): string {
	const code = `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
	if (character === '\0') return 'a NUL character (\\u0000), which is not text';
	if (/\p{Surrogate}/u.test(character)) return `half of an emoji or symbol (${code}), which is not text`;
	if (/[\u202A-\u202E\u2066-\u2069]/.test(character))
		return `a hidden text-direction control (${code}), which can disguise what the text says`;
	return `a control character (${code}), which is not text`;
}

/**
 * The first field of an input whose text (or key) holds a character that is not text, as a path
 * like `events.2.note` with what was found; null when there is none. Walked with a list, not
 * recursion: an input may nest thousands deep.
 */
export function fieldWithBadText(input: unknown): { field: string; found: string } | null {
	const pending: [unknown, string][] = [[input, '']];
	const named = (at: string, key: string | number) => (at ? `${at}.${key}` : String(key));
	const bad = (text: string) => NOT_TEXT.exec(text)?.[0];
	while (pending.length) {
		const [value, at] = pending.pop()!;
		if (typeof value === 'string') {
			const found = bad(value);
			if (found !== undefined) return { field: at || 'the input', found: describeNotText(found) };
		} else if (Array.isArray(value)) {
			value.forEach((item, i) => pending.push([item, named(at, i)]));
		} else if (value && typeof value === 'object') {
			for (const [key, item] of Object.entries(value)) {
				const found = bad(key);
				if (found !== undefined)
					return { field: named(at, JSON.stringify(key)), found: describeNotText(found) };
				pending.push([item, named(at, key)]);
			}
		}
	}
	return null;
}

// Domain code refuses with plain errors (../errors.ts); every procedure answers them with their
// tRPC code and message, over HTTP and to page loads (createCaller) alike.
const refusalsAnswered = t.procedure.use(async ({ next }) => {
	const result = await next();
	if (result.ok) return result;
	const refusal = refusalAsTRPCError(result.error.cause);
	if (refusal) throw refusal;
	return result;
});

// Refused at the door, the same on both engines, saying which field held what: a name with a
// hidden direction override or a lone surrogate would reach every board, export and card.
const textOnly = refusalsAnswered.use(async ({ getRawInput, next }) => {
	// An input that is not JSON at all is left for the procedure's own parsing to refuse (or ignore).
	const bad = fieldWithBadText(await getRawInput().catch(() => undefined));
	if (bad) {
		throw new TRPCError({
			code: 'BAD_REQUEST',
			message: `${bad.field} holds ${bad.found}: remove it and send again.`
		});
	}
	return next();
});

export const publicProcedure = textOnly.meta({ policy: 'public' });

/** Signing in (and finding your pod by its code): public, and refused inside a tRPC batch. */
export const signInProcedure = publicProcedure.meta({ policy: 'public', signIn: true });

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

/**
 * Staff of the pod named in the input. A school admin counts as staff of every pod. An archived
 * pod is read-only: its changes are refused, but for those marked `archivedPodToo` (erasing).
 */
export const podStaffProcedure = staffProcedure
	.meta({ policy: 'podStaff' })
	.input(podIdInput)
	.use(async ({ ctx, input, next, type, meta }) => {
		const found = await ctx.db
			.selectFrom('pods')
			.select(['id', 'name', 'archived_at'])
			.where('id', '=', input.podId)
			.executeTakeFirst();
		if (!found) throw new TRPCError({ code: 'NOT_FOUND', message: 'No pod has that id.' });
		const pod = { id: found.id, name: found.name };
		const membership = await ctx.db
			.selectFrom('pod_staff')
			.select('role')
			.where('pod_id', '=', pod.id)
			.where('user_id', '=', ctx.user.id)
			.executeTakeFirst();
		if (!membership && !ctx.user.isAdmin) {
			throw new TRPCError({ code: 'FORBIDDEN', message: `You are not on the team of ${pod.name}.` });
		}
		if (found.archived_at !== null && type === 'mutation' && !meta?.archivedPodToo) {
			throw new TRPCError({ code: 'FORBIDDEN', message: archivedMessage(pod.name) });
		}
		const podRole: PodRole | 'admin' = membership?.role ?? 'admin';
		return next({ ctx: { pod, podRole } });
	});

/** Leads the pod: its lead facilitator, or a school admin (who counts as staff of every pod). */
export const leadsPod = (podRole: PodRole | 'admin'): boolean => podRole === 'lead' || podRole === 'admin';

/**
 * The pod's teachers (lead, team teachers, a school admin): what changes plans, the library,
 * scores or coaching. Support staff watch the board, answer hands and run the groups they are
 * given, and are refused here.
 */
export const podTeacherProcedure = podStaffProcedure.meta({ policy: 'podTeacher' }).use(({ ctx, next }) => {
	if (ctx.podRole === 'support') {
		throw new TRPCError({
			code: 'FORBIDDEN',
			message: `Only the teachers of ${ctx.pod.name} can do this; support staff see it but do not change it.`
		});
	}
	return next();
});

export const podLeadProcedure = podStaffProcedure.meta({ policy: 'podLead' }).use(({ ctx, next }) => {
	if (!leadsPod(ctx.podRole)) {
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
