import { initTRPC } from '@trpc/server';
import { ZodError } from 'zod';
import type { Context } from './context';

/**
 * Who may call a procedure. Every procedure declares one through the builder it is made
 * with; a test walks the router and fails on any procedure without.
 */
export type Policy =
	'public' | 'signedIn' | 'student' | 'staff' | 'podStaff' | 'podTeacher' | 'podLead' | 'admin';
export interface Meta {
	policy: Policy;
	/** A step of signing in: its tries are counted one request at a time, never in a batch. */
	signIn?: boolean;
	/** A change a pod's staff may still make once the pod is archived (erasing a student's data). */
	archivedPodToo?: boolean;
}

// zod's own messages ("Invalid input: expected string") need the field's name to make sense;
// ours ("Pod code is 4 to 12 letters…") are written to stand alone for a person.
const ZOD_DEFAULT_MESSAGE = /^(Invalid|Too (big|small)|Unrecognized|Expected)/;

/** One sentence per problem, for a person; the field paths stay in `data.issues` for programs. */
export function describeZodError(error: ZodError): string {
	return error.issues
		.map((issue) =>
			issue.path.length && ZOD_DEFAULT_MESSAGE.test(issue.message)
				? `${issue.path.join('.')}: ${issue.message}`
				: issue.message
		)
		.join('; ');
}

export const t = initTRPC
	.context<Context>()
	.meta<Meta>()
	.create({
		// Pings keep proxies from closing a quiet stream and let a client notice a dead one.
		sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 40_000 } },
		errorFormatter({ shape, error }) {
			// Stacks never leave the server.
			const data = { ...shape.data, stack: undefined };
			if (error.cause instanceof ZodError) {
				const issues = error.cause.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
				return { ...shape, message: describeZodError(error.cause), data: { ...data, issues } };
			}
			if (error.code === 'INTERNAL_SERVER_ERROR') {
				return {
					...shape,
					message:
						"Something went wrong on the server. Try again; if it keeps happening, tell your school's IT person.",
					data
				};
			}
			return { ...shape, data };
		}
	});
