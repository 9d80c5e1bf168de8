import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { isSignedOut } from '../../src/lib/trpc';

/** An error as the API client hands it to a page: the server's code in `data`, its words in `message`. */
const answered = (code: string, httpStatus: number, message: string) =>
	new TRPCClientError(message, {
		result: { error: { code: -32000, message, data: { code, httpStatus } } }
	});

describe('isSignedOut', () => {
	it.each([
		['the server’s own words', answered('UNAUTHORIZED', 401, 'Sign in first.'), true],
		// The code decides, not the wording: a message changed or translated still means signed out.
		['other words', answered('UNAUTHORIZED', 401, 'Inicia sesión primero.'), true],
		['a refusal of another kind', answered('FORBIDDEN', 403, 'Sign in first.'), false],
		['too many requests', answered('TOO_MANY_REQUESTS', 429, 'Wait a minute.'), false],
		['no connection', new TRPCClientError('fetch failed'), false],
		['something not from the API', new Error('Sign in first.'), false]
	])('reads %s', (_, error, expected) => {
		expect(isSignedOut(error)).toBe(expected);
	});
});
