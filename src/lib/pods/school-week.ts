// A pod's school week: which weekdays have school, and the hours of each, on the pod's own clock.
// Browser-safe: the pod form shows and checks it; the server stores it (pods.school_week, JSON)
// and its clock (src/lib/server/pods/clock.ts) reads it.

/** One weekday with school: 1 is Monday … 7 is Sunday; times are local 'HH:MM', 24-hour. */
export interface SchoolDay {
	weekday: number;
	start: string;
	end: string;
}

/** The weekdays with school, in weekday order; a weekday that is not listed has no school. */
export type SchoolWeek = SchoolDay[];

export const WEEKDAY_NAMES = [
	'Monday',
	'Tuesday',
	'Wednesday',
	'Thursday',
	'Friday',
	'Saturday',
	'Sunday'
] as const;

const SHORT_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** What a new pod starts with, and what every pod had before hours were set per weekday. */
export const USUAL_WEEK: SchoolWeek = [1, 2, 3, 4, 5].map((weekday) => ({
	weekday,
	start: '08:30',
	end: '15:00'
}));

/** A local time of day, 'HH:MM' from 00:00 to 23:59. */
export const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Minutes after midnight of an 'HH:MM' time. */
export const minutesOf = (time: string): number => {
	const [hours, minutes] = time.split(':').map(Number);
	return hours * 60 + minutes;
};

/** What is wrong with a school week, in words for the person who set it; null when nothing is. */
export function weekProblem(week: readonly SchoolDay[]): string | null {
	if (week.length === 0) return 'Choose at least one school day.';
	const seen = new Set<number>();
	for (const day of week) {
		const name = WEEKDAY_NAMES[day.weekday - 1];
		if (!Number.isInteger(day.weekday) || !name) return 'A school day is a weekday from Monday to Sunday.';
		if (seen.has(day.weekday)) return `${name} is listed twice; give each day its hours once.`;
		seen.add(day.weekday);
		if (!TIME_OF_DAY.test(day.start) || !TIME_OF_DAY.test(day.end))
			return `Write ${name}'s hours as times like 08:30 and 15:00.`;
		if (minutesOf(day.end) === minutesOf(day.start))
			return `${name} starts and ends at ${day.start}: school must end after it starts.`;
		if (minutesOf(day.end) < minutesOf(day.start))
			return `${name} ends at ${day.end}, before it starts at ${day.start}: school must end after it starts.`;
	}
	return null;
}

/** The week in weekday order (a copy). */
export const inWeekdayOrder = (week: readonly SchoolDay[]): SchoolWeek =>
	[...week].sort((a, b) => a.weekday - b.weekday);

/** "Mon–Thu" for a run of three or more days in a row, "Mon, Tue" for two, "Mon" for one. */
function dayList(weekdays: number[]): string {
	const runs: number[][] = [];
	for (const weekday of weekdays) {
		const run = runs.at(-1);
		if (run && run.at(-1) === weekday - 1) run.push(weekday);
		else runs.push([weekday]);
	}
	return runs
		.map((run) =>
			run.length >= 3
				? `${SHORT_NAMES[run[0] - 1]}–${SHORT_NAMES[run.at(-1)! - 1]}`
				: run.map((weekday) => SHORT_NAMES[weekday - 1]).join(', ')
		)
		.join(', ');
}

/**
 * The week as a teacher says it: "Mon–Fri 08:30–15:00", or "Mon–Thu 08:30–15:00; Fri
 * 08:30–12:00" where the hours differ. Days with the same hours are said together.
 */
export function describeWeek(week: readonly SchoolDay[]): string {
	if (week.length === 0) return 'no school days';
	const byHours = new Map<string, number[]>();
	for (const day of inWeekdayOrder(week)) {
		const hours = `${day.start}–${day.end}`;
		byHours.set(hours, [...(byHours.get(hours) ?? []), day.weekday]);
	}
	return [...byHours].map(([hours, weekdays]) => `${dayList(weekdays)} ${hours}`).join('; ');
}
