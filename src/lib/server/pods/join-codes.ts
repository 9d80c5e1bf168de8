import { randomInt } from 'node:crypto';
import type { Db } from '../db';
import { Conflict } from '../errors';

// Pod codes are read off a board and typed by eight-year-olds: no two characters that look alike.

/** No 0/O/Q/D, 1/I/L, 2/Z, 5/S, 8/B, U/V: what is left reads one way on any screen. */
export const JOIN_CODE_ALPHABET = 'ACEFGHJKMNPRTWXY34679';
export const JOIN_CODE_LENGTH = 6;

/** A random pod code (21^6 ≈ 86 million of them; wrong guesses are throttled per network). */
export function randomJoinCode(pick: (below: number) => number = randomInt): string {
	let code = '';
	for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[pick(JOIN_CODE_ALPHABET.length)];
	return code;
}

/**
 * A pod code no pod has. Called inside a transaction that took the 'join-codes' turn
 * (takeTurns), so two pods made at once never draw the same one; the unique column stands behind it.
 */
export async function unusedJoinCode(db: Db, pick: (below: number) => number = randomInt): Promise<string> {
	for (let tries = 0; tries < 20; tries++) {
		const code = randomJoinCode(pick);
		const taken = await db.selectFrom('pods').select('id').where('join_code', '=', code).executeTakeFirst();
		if (!taken) return code;
	}
	throw new Conflict('Could not find a free pod code. Try again.');
}
