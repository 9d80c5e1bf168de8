// What domain code throws when it will not do what was asked: plain classes, one per kind of
// answer, each with a message for the person who asked (what is wrong, and what to do). They know
// nothing of tRPC: src/lib/server/trpc/errors.ts maps each to its code, in one place, for the API
// and for page loads alike; a script prints the message as it is.

/** A refusal a person can act on. Anything else thrown is a fault of ours (a 500). */
export abstract class Refusal extends Error {}

/** What was named is not there, or not in this pod (which says nothing about other pods). */
export class NotFound extends Refusal {
	override name = 'NotFound';
}

/**
 * Someone got there first, or the thing changed since it was read: look again. Where a claim
 * lost, `holder` names who has it ("Ms. Shah has Fractions.").
 */
export class Conflict extends Refusal {
	override name = 'Conflict';
	readonly holder: string | null;
	constructor(message: string, options: { holder?: string | null } = {}) {
		super(message);
		this.holder = options.holder ?? null;
	}
}

/** Not this person's to do; the message says why, and who can. */
export class NotAllowed extends Refusal {
	override name = 'NotAllowed';
}

/** Input a person must fix before it can be done; nothing was changed. */
export class Invalid extends Refusal {
	override name = 'Invalid';
}

/** Too many tries (or open pages) for now; `retryAfterSeconds` says how long to wait, when known. */
export class TooMany extends Refusal {
	override name = 'TooMany';
	readonly retryAfterSeconds: number | null;
	constructor(message: string, options: { retryAfterSeconds?: number | null } = {}) {
		super(message);
		this.retryAfterSeconds = options.retryAfterSeconds ?? null;
	}
}

/** A sign-in whose password (or pictures) did not match; which part was wrong is never said. */
export class WrongPassword extends Refusal {
	override name = 'WrongPassword';
}
