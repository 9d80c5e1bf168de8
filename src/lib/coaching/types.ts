import type { RouterOutputs } from '$lib/trpc';

/** One coaching cycle as its lead and its teacher read it. */
export type CoachingNote = RouterOutputs['coaching']['list'][number];
