import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { Conflict, Invalid, NotAllowed, NotFound, Refusal, TooMany, WrongPassword } from '../errors';

/** The tRPC code each refusal of the domain answers with: the one place they are mapped. */
export const CODE_OF_REFUSAL: readonly (readonly [
	abstract new (...args: never[]) => Refusal,
	TRPC_ERROR_CODE_KEY
])[] = [
	[Invalid, 'BAD_REQUEST'],
	[WrongPassword, 'UNAUTHORIZED'],
	[NotAllowed, 'FORBIDDEN'],
	[NotFound, 'NOT_FOUND'],
	[Conflict, 'CONFLICT'],
	[TooMany, 'TOO_MANY_REQUESTS']
];

/**
 * A refusal of the domain as the TRPCError the API answers with, its message unchanged; null for
 * anything else (a TRPCError already, or a fault of ours that tRPC answers as a 500).
 */
export function refusalAsTRPCError(error: unknown): TRPCError | null {
	if (!(error instanceof Refusal)) return null;
	const code = CODE_OF_REFUSAL.find(([kind]) => error instanceof kind)?.[1];
	// A refusal left out of the table is our mistake: answered as a fault (a test walks the table).
	return code ? new TRPCError({ code, message: error.message, cause: error }) : null;
}
