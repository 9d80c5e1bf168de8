import type { RouterOutputs } from '$lib/trpc';

/** An activity as the library lists it, with its skills and whether it is archived. */
export type LibraryActivity = RouterOutputs['library']['activities'][number];
/** A skill in the pod's library, with how many activities teach it. */
export type SkillInLibrary = RouterOutputs['library']['skills'][number];
