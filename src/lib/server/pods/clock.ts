// Pods keep school hours in their own time zone; the server may run in UTC.

/** The pod's local calendar date and time for an instant. */
export function localParts(at: Date, timeZone: string): { date: string; time: string; weekday: number } {
	const parts = Object.fromEntries(
		new Intl.DateTimeFormat('en-US', {
			timeZone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			hourCycle: 'h23',
			weekday: 'short'
		})
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

/**
 * When a student's device session ends: the end of today's school day (plus a little slack),
 * or two hours from now when school is already out.
 */
export function endOfSchoolDay(pod: { timezone: string; session_end: string }, now: Date): Date {
	const { date } = localParts(now, pod.timezone);
	const end = new Date(zonedInstant(date, pod.session_end, pod.timezone).getTime() + 30 * 60_000);
	const twoHours = new Date(now.getTime() + 2 * 60 * 60_000);
	return end > twoHours ? end : twoHours;
}
