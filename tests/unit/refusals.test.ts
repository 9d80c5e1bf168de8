import { TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { describe, expect, it } from 'vitest';
import * as errors from '../../src/lib/server/errors';
import {
	Conflict,
	Invalid,
	NotAllowed,
	NotFound,
	Refusal,
	TooMany,
	WrongPassword
} from '../../src/lib/server/errors';
import type { Context } from '../../src/lib/server/trpc/context';
import { CODE_OF_REFUSAL } from '../../src/lib/server/trpc/errors';
import { createCallerFactory, publicProcedure, router } from '../../src/lib/server/trpc/procedures';

// Domain code refuses with plain errors; the procedures answer each with its tRPC code and the
// same message, to a page load (createCaller) and over HTTP, where a fault of ours stays a 500.

const GENERIC_500 =
	"Something went wrong on the server. Try again; if it keeps happening, tell your school's IT person.";

let thrown: unknown;
const testRouter = router({
	refuse: publicProcedure.mutation(() => {
		throw thrown;
	})
});

const context: Context = {
	// The procedure under test never reaches the database.
	db: undefined as unknown as Context['db'],
	session: null,
	address: '10.0.0.1',
	sessionCookie: { set() {}, clear() {} }
};

async function pageLoadAnswer(error: unknown) {
	thrown = error;
	return createCallerFactory(testRouter)(context)
		.refuse()
		.then(
			() => null,
			(answer: unknown) => answer
		);
}

async function wireAnswer(error: unknown) {
	thrown = error;
	const response = await fetchRequestHandler({
		endpoint: '/api/trpc',
		req: new Request('http://podboard.test/api/trpc/refuse', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}'
		}),
		router: testRouter,
		createContext: () => context
	});
	const body = (await response.json()) as {
		error: { message: string; data: { code: string; httpStatus: number } };
	};
	return { status: response.status, message: body.error.message, code: body.error.data.code };
}

describe('a refusal of the domain', () => {
	it.each([
		[new Invalid('Choose at least one student or flag for the group.'), 'BAD_REQUEST', 400],
		[new WrongPassword('Those pictures are not right. Try again, or ask a teacher.'), 'UNAUTHORIZED', 401],
		[
			new NotAllowed('Only the teacher a coaching cycle is about can write its reflection.'),
			'FORBIDDEN',
			403
		],
		[new NotFound('No group in this pod has that id.'), 'NOT_FOUND', 404],
		[new Conflict('Ms. Shah has Fractions.', { holder: 'Ms. Shah' }), 'CONFLICT', 409],
		[
			new TooMany('Too many wrong tries from this network.', { retryAfterSeconds: 60 }),
			'TOO_MANY_REQUESTS',
			429
		]
	])('%s answers a page load with %s and its own message', async (refusal, code) => {
		const answer = await pageLoadAnswer(refusal);
		expect(answer).toBeInstanceOf(TRPCError);
		expect((answer as TRPCError).code).toBe(code);
		expect((answer as TRPCError).message).toBe(refusal.message);
		expect((answer as TRPCError).cause).toBe(refusal);
	});

	it.each([
		[new Invalid('Morning and Late morning overlap.'), 'BAD_REQUEST', 400],
		[new WrongPassword('That email and password do not match an account.'), 'UNAUTHORIZED', 401],
		[new NotAllowed('You can only ask for help with your own playlist.'), 'FORBIDDEN', 403],
		[new NotFound('That student is not in this pod.'), 'NOT_FOUND', 404],
		[new Conflict('That hand is already down.'), 'CONFLICT', 409],
		[new TooMany('This sign-in already has 8 live pages open.'), 'TOO_MANY_REQUESTS', 429]
	])('%s answers over HTTP with %s, its status and its own message', async (refusal, code, status) => {
		expect(await wireAnswer(refusal)).toEqual({ status, code, message: refusal.message });
	});

	it('keeps who holds a claim and how long to wait, for the code that refused', () => {
		expect(new Conflict('Ms. Shah has it.', { holder: 'Ms. Shah' }).holder).toBe('Ms. Shah');
		expect(new Conflict('That hand changed since you looked: look again.').holder).toBeNull();
		expect(new TooMany('Wait a minute.', { retryAfterSeconds: 60 }).retryAfterSeconds).toBe(60);
	});

	it('has a code for every kind there is', () => {
		const kinds = Object.values(errors).filter(
			(value) => typeof value === 'function' && value.prototype instanceof Refusal
		);
		expect(kinds.length).toBeGreaterThanOrEqual(6);
		expect(new Set(CODE_OF_REFUSAL.map(([kind]) => kind))).toEqual(new Set(kinds));
	});
});

describe('anything else thrown', () => {
	it('is a fault of ours: INTERNAL_SERVER_ERROR, and over HTTP the generic message, never its own', async () => {
		const fault = new Error('relation "pods" does not exist');
		const answer = await pageLoadAnswer(fault);
		expect((answer as TRPCError).code).toBe('INTERNAL_SERVER_ERROR');
		expect((answer as TRPCError).cause).toBe(fault);
		expect(await wireAnswer(fault)).toEqual({
			status: 500,
			code: 'INTERNAL_SERVER_ERROR',
			message: GENERIC_500
		});
	});

	it('passes a TRPCError through as it is', async () => {
		const refusal = new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
		expect(await pageLoadAnswer(refusal)).toBe(refusal);
		expect(await wireAnswer(refusal)).toEqual({
			status: 401,
			code: 'UNAUTHORIZED',
			message: 'Sign in first.'
		});
	});
});
