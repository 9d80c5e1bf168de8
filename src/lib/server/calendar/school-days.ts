// "Is there school on this date, and when is the next school day?": one pure answer from a pod's
// school week (its weekdays and hours) and its school's calendar of days off. The flag rules, the
// duties, the board and the student's sign-in all ask it; nothing here reads a clock or a database.
import type { SchoolDay, SchoolWeek } from '../../pods/school-week';

/** Days without school on the school's calendar: one date, or a range (both ends included). */
export interface DayOff {
	/** Local date 'YYYY-MM-DD'. */
	firstDay: string;
	/** Local date 'YYYY-MM-DD', on or after firstDay. */
	lastDay: string;
	/** "Thanksgiving break", "Teacher work day". */
	name: string;
}

export interface SchoolDayAnswer {
	date: string;
	/** The day's hours, or null when there is no school on this date. */
	hours: SchoolDay | null;
	/** The calendar's day off this date falls in (a weekday without school is not one). */
	dayOff: DayOff | null;
	/** The first date after this one with school, and its hours; null when the week has no school days. */
	next: { date: string; hours: SchoolDay } | null;
}

/** Add days to a local 'YYYY-MM-DD' date. */
export function addDays(date: string, days: number): string {
	const [y, m, d] = date.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** 1 is Monday … 7 is Sunday, for a local 'YYYY-MM-DD' date. */
export function weekdayOf(date: string): number {
	const [y, m, d] = date.split('-').map(Number);
	return ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1;
}

/** The day off (the one that ends last, where ranges overlap) that this date falls in, if any. */
export function dayOffOn(daysOff: readonly DayOff[], date: string): DayOff | null {
	let found: DayOff | null = null;
	for (const day of daysOff) {
		if (day.firstDay <= date && date <= day.lastDay && (!found || day.lastDay > found.lastDay)) found = day;
	}
	return found;
}

/** The hours of school on this date, or null: a weekday without school, or a day off. */
export function hoursOn(
	week: readonly SchoolDay[],
	daysOff: readonly DayOff[],
	date: string
): SchoolDay | null {
	const hours = week.find((day) => day.weekday === weekdayOf(date));
	return hours && !dayOffOn(daysOff, date) ? hours : null;
}

/**
 * Whether `date` has school for a pod with this week and this calendar, why not, and the next
 * date that has. A day off skips to the day after it ends, so a summer break costs one step.
 */
export function schoolDayOn(week: SchoolWeek, daysOff: readonly DayOff[], date: string): SchoolDayAnswer {
	const dayOff = dayOffOn(daysOff, date);
	const hours = dayOff ? null : (week.find((day) => day.weekday === weekdayOf(date)) ?? null);
	let next: SchoolDayAnswer['next'] = null;
	if (week.length > 0) {
		let candidate = addDays(date, 1);
		// Each step passes a day off or a weekday without school: at most a week between days off.
		for (let steps = 0; steps <= 7 * (daysOff.length + 1); steps++) {
			const off = dayOffOn(daysOff, candidate);
			if (off) {
				candidate = addDays(off.lastDay, 1);
				continue;
			}
			const found = week.find((day) => day.weekday === weekdayOf(candidate));
			if (found) {
				next = { date: candidate, hours: found };
				break;
			}
			candidate = addDays(candidate, 1);
		}
	}
	return { date, hours, dayOff, next };
}
