import {
	inWeekdayOrder,
	minutesOf,
	WEEKDAY_NAMES,
	type SchoolDay,
	type SchoolWeek
} from '../../pods/school-week';
import { podTimeText } from '../../pods/times';
import { dayOffOn, type DayOff } from '../calendar/school-days';

// Pods keep school hours in their own time zone; the server may run in UTC.

// Building a DateTimeFormat costs far more than using one: the flag rules format thousands of
// instants a sweep, so keep one per time zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
	let formatter = formatters.get(timeZone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-US', {
			timeZone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			hourCycle: 'h23',
			weekday: 'short'
		});
		formatters.set(timeZone, formatter);
	}
	return formatter;
}

/** The pod's local calendar date and time for an instant. */
export function localParts(at: Date, timeZone: string): { date: string; time: string; weekday: number } {
	const parts = Object.fromEntries(
		formatterFor(timeZone)
			.formatToParts(at)
			.map((p) => [p.type, p.value])
	);
	const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday) + 1;
	return {
		date: `${parts.year}-${parts.month}-${parts.day}`,
		time: `${parts.hour}:${parts.minute}`,
		weekday
	};
}

/** The instant at which the pod's clock shows `date` `time` (e.g. '2026-11-23', '15:00'). */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
	const [y, m, d] = date.split('-').map(Number);
	const [hh, mm] = time.split(':').map(Number);
	const guess = Date.UTC(y, m - 1, d, hh, mm);
	// The zone's offset at that moment: format the guess there and see how far it lands.
	const shown = localParts(new Date(guess), timeZone);
	const [sy, sm, sd] = shown.date.split('-').map(Number);
	const [sh, smin] = shown.time.split(':').map(Number);
	const offset = Date.UTC(sy, sm - 1, sd, sh, smin) - guess;
	return new Date(guess - offset);
}

/** What the clock needs of a pod: its time zone and its school week (the row's JSON). */
export interface PodSchedule {
	timezone: string;
	school_week: string;
}

/** The pod's school days and their hours, in weekday order. */
export function schoolWeekOf(pod: Pick<PodSchedule, 'school_week'>): SchoolWeek {
	return inWeekdayOrder(JSON.parse(pod.school_week) as SchoolWeek);
}

/**
 * When a student's device session ends: the end of today's school day (plus a little slack),
 * or two hours from now when school is already out or there is none today (a weekday without
 * school, or a day off on the school's calendar).
 */
export function endOfSchoolDay(pod: PodSchedule, now: Date, daysOff: readonly DayOff[] = []): Date {
	const { date, weekday } = localParts(now, pod.timezone);
	const twoHours = new Date(now.getTime() + 2 * 60 * 60_000);
	const today = dayOffOn(daysOff, date)
		? undefined
		: schoolWeekOf(pod).find((day) => day.weekday === weekday);
	if (!today) return twoHours;
	const end = new Date(zonedInstant(date, today.end, pod.timezone).getTime() + 30 * 60_000);
	return end > twoHours ? end : twoHours;
}

/**
 * What the end of the school day has closed by `now`: whatever went up before the instant this
 * answers. A day's end is the end of its school hours, or for what went up after them (or on a
 * day without school) the end of that local date; so after school today it is today's end, and
 * otherwise today's midnight: nothing from an earlier day is still waiting.
 */
export function dayClosedBefore(pod: PodSchedule, now: Date, daysOff: readonly DayOff[] = []): Date {
	const { date, weekday } = localParts(now, pod.timezone);
	const today = dayOffOn(daysOff, date)
		? undefined
		: schoolWeekOf(pod).find((day) => day.weekday === weekday);
	const end = today && zonedInstant(date, today.end, pod.timezone);
	return end && now >= end ? end : zonedInstant(date, '00:00', pod.timezone);
}

/** Add days to a local 'YYYY-MM-DD' date. */
function addDays(date: string, days: number): string {
	const [y, m, d] = date.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The pod's school clock at one moment: what the time-based flag rules need. */
export interface PodTime {
	now: Date;
	inSession: boolean;
	/** When today's session began (even if it has ended); null on a day without school. */
	sessionStart: Date | null;
	/** Whether today has school: a school weekday that the school's calendar does not have off. */
	schoolToday: boolean;
	/** The calendar's day off that today falls in, if any. */
	dayOff: DayOff | null;
	/** When this school week's first session began (or begins). */
	weekStart: Date;
	/** The first moment of this week (its Monday, 00:00 local): work from then on is this week's. */
	weekBegan: Date;
	/** The share of this week's session time gone by, 0 … 1. */
	weekElapsed: number;
	/** The pod's local date, 'YYYY-MM-DD'. */
	date: string;
	/** The local date of this week's Sunday, its last day. */
	weekEnd: string;
	/** The share of this week's session time on or before a local date: 0 before the week, 1 from its last school day. */
	weekShareBy(date: string): number;
	/** "Wednesday": the day, as a teacher says it. */
	dayName: string;
	/** An instant as the pod's wall clock shows it, the one way: "14:23" today, "Sat 19:23" another day. */
	clock(at: string): string;
}

const lengthOf = (day: SchoolDay) => minutesOf(day.end) - minutesOf(day.start);

/**
 * The pod's school clock at `now`: in session or not, when today's and this week's sessions
 * began, and how much of the week's session time has gone by, on the pod's school days and hours.
 * Days off on the school's calendar (`daysOff`) have no session and count for nothing in the week.
 */
export function podTime(pod: PodSchedule, now: Date, daysOff: readonly DayOff[] = []): PodTime {
	const { date, weekday } = localParts(now, pod.timezone);
	const monday = addDays(date, 1 - weekday);
	const allWeek = schoolWeekOf(pod);
	// This week's school days, less the days off.
	const week = allWeek.filter((day) => !dayOffOn(daysOff, addDays(monday, day.weekday - 1)));
	const today = week.find((day) => day.weekday === weekday);
	const start = today && zonedInstant(date, today.start, pod.timezone);
	const end = today && zonedInstant(date, today.end, pod.timezone);
	const first = allWeek[0];
	// Each day counts by its length: a short Friday is a smaller share of the week.
	const weekMinutes = week.reduce((sum, day) => sum + lengthOf(day), 0);
	const minutesBefore = week
		.filter((day) => day.weekday < weekday)
		.reduce((sum, day) => sum + lengthOf(day), 0);
	const todayShare =
		today && start && end
			? Math.min(
					1,
					Math.max(0, (now.getTime() - start.getTime()) / Math.max(1, end.getTime() - start.getTime()))
				)
			: 0;
	return {
		now,
		inSession: start !== undefined && end !== undefined && now >= start && now < end,
		sessionStart: start ?? null,
		schoolToday: today !== undefined,
		dayOff: dayOffOn(daysOff, date),
		weekStart: first
			? zonedInstant(addDays(monday, first.weekday - 1), first.start, pod.timezone)
			: zonedInstant(monday, '00:00', pod.timezone),
		weekBegan: zonedInstant(monday, '00:00', pod.timezone),
		weekElapsed: weekMinutes ? (minutesBefore + todayShare * (today ? lengthOf(today) : 0)) / weekMinutes : 0,
		date,
		weekEnd: addDays(monday, 6),
		weekShareBy: (by) =>
			weekMinutes
				? week
						.filter((day) => addDays(monday, day.weekday - 1) <= by)
						.reduce((sum, day) => sum + lengthOf(day), 0) / weekMinutes
				: 0,
		dayName: WEEKDAY_NAMES[weekday - 1],
		clock: (at) => podTimeText(at, now, pod.timezone)
	};
}
