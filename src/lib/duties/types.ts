import type { RouterOutputs } from '$lib/trpc';

/** The week the duties page shows: blocks, who has which duty, who is away, what runs now. */
export type DutyWeek = RouterOutputs['duties']['week'];
/** One block of the pod's day, on its date in the week shown. */
export type DutyBlock = DutyWeek['blocks'][number];
