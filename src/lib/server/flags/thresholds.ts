import { z } from 'zod';
import { DEFAULT_MASTERY_THRESHOLDS } from '../../mastery/model';

const minutes = (what: string) =>
	z
		.number({ error: `${what} is a number of minutes` })
		.int({ error: `${what} is a whole number of minutes` })
		.min(1, { error: `${what} is at least 1 minute` })
		.max(240, { error: `${what} is at most 240 minutes` });
const percent = z
	.number({ error: 'A low-score line is a percent' })
	.int({ error: 'A low-score line is a whole percent' })
	.min(1, { error: 'A low-score line is between 1 and 100%' })
	.max(100, { error: 'A low-score line is between 1 and 100%' });

const times = (what: string) =>
	z
		.number({ error: `${what} is a number of times` })
		.int({ error: `${what} is a whole number of times` })
		.min(2, { error: `${what} is at least 2 times` })
		.max(10, { error: `${what} is at most 10 times` });

const levelLine = z
	.number({ error: 'A mastery level starts at a percent' })
	.int({ error: 'A mastery level starts at a whole percent' })
	.min(1, { error: 'A mastery level starts between 1 and 100%' })
	.max(100, { error: 'A mastery level starts between 1 and 100%' });

/** What the lead sets for the pod's automatic flags, and what evidence they (and mastery) believe. */
export const flagThresholdsInput = z.object({
	/** In progress this long with nothing new: stuck. */
	stuckMinutes: minutes('Stuck after'),
	/** Nothing at all this long while the pod is in session: idle. */
	idleMinutes: minutes('Idle after'),
	/** A submitted score under this percent flags, per activity kind; kinds not listed never do. */
	lowScorePercent: z.object({
		lesson: percent.optional(),
		practice: percent.optional(),
		project: percent.optional(),
		assessment: percent.optional(),
		small_group: percent.optional(),
		offline: percent.optional()
	}),
	/** Behind pace when must-dos done this week are under this share of what the days call for. */
	behindPaceRatio: z
		.number({ error: 'Behind pace is a share between 0.1 and 1' })
		.min(0.1, { error: 'Behind pace is a share between 0.1 and 1' })
		.max(1, { error: 'Behind pace is a share between 0.1 and 1' }),
	/** A hand up this long with nobody coming becomes a flag. */
	handUpMinutes: minutes('A hand up becomes a flag after'),
	/** No adult contact (a hand answered, a group, an observation) this long into the school day; null: off. */
	noContactMinutes: minutes('No adult contact after').nullable().default(null),
	/** Stuck or scoring low this many times on one activity this week with no hand raised for it; null: off. */
	helpAvoidanceTimes: times('Not asking for help after').nullable().default(null),
	/** This many verified results in a row at proficient or better: a streak to celebrate; null: off. */
	streakResults: times('A streak is').nullable().default(null),
	/**
	 * Whether a score the student typed counts as evidence (mastery, low-score flags) like a
	 * verified one. Off: it is shown, marked self-reported, and believed by nothing.
	 */
	selfReportedScoresCount: z
		.boolean({ error: 'Whether self-reported scores count is true or false' })
		.default(false),
	/** The lowest mean percent of each mastery level above "not yet" (src/lib/mastery/model.ts). */
	masteryLevels: z
		.object({
			practicing: levelLine,
			proficient: levelLine,
			mastered: levelLine
		})
		.refine((t) => t.practicing < t.proficient && t.proficient < t.mastered, {
			error: 'Mastery levels go up: practicing under proficient, proficient under mastered'
		})
		.default(DEFAULT_MASTERY_THRESHOLDS)
});
export type FlagThresholds = z.infer<typeof flagThresholdsInput>;

export const DEFAULT_THRESHOLDS: FlagThresholds = {
	stuckMinutes: 20,
	idleMinutes: 10,
	lowScorePercent: { assessment: 70, practice: 60 },
	behindPaceRatio: 0.7,
	handUpMinutes: 5,
	// The team's own rules: each off until the lead sets it (a pod of 70 would otherwise open with a flag each).
	noContactMinutes: null,
	helpAvoidanceTimes: null,
	streakResults: null,
	selfReportedScoresCount: false,
	masteryLevels: DEFAULT_MASTERY_THRESHOLDS
};

/**
 * The pod's stored thresholds. Each setting that is missing or unreadable (saved before it
 * existed, or damaged) takes its default alone; the lead's other settings stand.
 */
export function readThresholds(stored: string): FlagThresholds {
	let saved: unknown = {};
	try {
		saved = JSON.parse(stored);
	} catch {
		// A damaged setting falls back to the defaults rather than stopping every flag.
	}
	const record = typeof saved === 'object' && saved !== null ? (saved as Record<string, unknown>) : {};
	const thresholds = { ...DEFAULT_THRESHOLDS };
	for (const key of Object.keys(DEFAULT_THRESHOLDS) as (keyof FlagThresholds)[]) {
		const parsed = flagThresholdsInput.shape[key].safeParse(record[key]);
		if (parsed.success) Object.assign(thresholds, { [key]: parsed.data });
	}
	return thresholds;
}
