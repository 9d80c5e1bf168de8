import type { RouterOutputs } from '$lib/trpc';

// What the board and its triage rail read from the API, named as the classroom says it.

/** The pod's heatmap: students, activities, skills and every cell, as of a pod event. */
export type Heatmap = RouterOutputs['dashboard']['heatmap'];
export type HeatmapActivity = Heatmap['activities'][number];
export type HeatmapSkill = Heatmap['skills'][number];
/** An open (or recently closed) flag, with its reason and who raised it. */
export type Flag = RouterOutputs['flags']['list'][number];
/** An intervention group, its members, owner and version for a claim. */
export type InterventionGroup = RouterOutputs['groups']['list'][number];
/** A group the open flags suggest forming. */
export type SuggestedGroup = RouterOutputs['groups']['suggestions'][number];
/** A raised hand waiting in the help queue. */
export type HelpRequest = RouterOutputs['help']['queue'][number];
/** A student locked out of picture sign-in, and until when. */
export type LockedStudent = RouterOutputs['signInLocks']['list'][number];
/** Today's attendance: marks, the adults in, and the room's ratio. */
export type AttendanceDay = RouterOutputs['attendance']['today'];
/** Who has had an adult today, and who has not yet. */
export type Coverage = RouterOutputs['attendance']['coverage'];
/** The day's note for the adults in the room, with who has acknowledged it. */
export type DayNote = NonNullable<RouterOutputs['team']['dayNote']>;
/** One pod a member of staff serves, as it is now. */
export type PodNow = RouterOutputs['team']['now'][number];
