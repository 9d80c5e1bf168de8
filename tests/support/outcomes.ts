// How a call through the API ended, in a shape a test can compare: shared by every integration
// test, so each reads a refusal the same way.
import { TRPCError } from '@trpc/server';
import { expect } from 'vitest';
import { refusalAsTRPCError } from '../../src/lib/server/trpc/errors';

/** A domain function called directly refuses with a domain error: this is the code the API answers. */
export const asTheApiAnswers = <T>(call: Promise<T>): Promise<T> =>
	call.catch((error: unknown) => {
		throw refusalAsTRPCError(error) ?? error;
	});

/** 'ok', or the tRPC code the call was refused with (anything else thrown, as text). */
export const outcomeOf = (call: Promise<unknown>): Promise<string> =>
	call.then(
		() => 'ok',
		(error: unknown) => (error instanceof TRPCError ? error.code : String(error))
	);

/** The code and message of the call's refusal, or `{ code: 'ok', message: '' }`; anything else is rethrown. */
export const answerOf = (call: Promise<unknown>): Promise<{ code: string; message: string }> =>
	call.then(
		() => ({ code: 'ok', message: '' }),
		(error: unknown) => {
			if (error instanceof TRPCError) return { code: error.code, message: error.message };
			throw error;
		}
	);

/** The refusal a call must end with: the test fails if it went through or threw something else. */
export async function refusalOf(call: Promise<unknown>): Promise<TRPCError> {
	const error = await call.then(
		() => null,
		(thrown: unknown) => thrown
	);
	expect(error, 'the call was expected to be refused').toBeInstanceOf(TRPCError);
	return error as TRPCError;
}

/** How many of each outcome: `{ ok: 5, TOO_MANY_REQUESTS: 35 }`. */
export const tally = (outcomes: readonly string[]): Record<string, number> =>
	outcomes.reduce<Record<string, number>>((counts, o) => ({ ...counts, [o]: (counts[o] ?? 0) + 1 }), {});
