// How a time reads to the team, on the server (flag reasons) and in the browser (the side
// panel, the help queue, the audit log): the pod's wall clock, whatever zone the device or the
// server is in, on a 24-hour clock, with the day when it is not today. Browser-safe and pure.

interface WallClock {
	/** 'YYYY-MM-DD' on the pod's calendar. */
	date: string;
	/** 'HH:MM', 00:00–23:59. */
	time: string;
	/** 'Sat'. */
	weekday: string;
	/** 'Nov'. */
	month: string;
	day: number;
	year: number;
}

// A DateTimeFormat costs far more to build than to use, and the flag rules format thousands of
// instants a sweep: one per time zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(at: Date, timeZone: string): WallClock {
	let formatter = formatters.get(timeZone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-US', {
			timeZone,
			year: 'numeric',
			month: 'short',
			day: 'numeric',
			weekday: 'short',
			hour: '2-digit',
			minute: '2-digit',
			hourCycle: 'h23'
		});
		formatters.set(timeZone, formatter);
	}
	const parts: Record<string, string> = {};
	for (const part of formatter.formatToParts(at)) parts[part.type] = part.value;
	const month = MONTHS.indexOf(parts.month) + 1;
	const day = Number(parts.day);
	const year = Number(parts.year);
	return {
		date: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
		time: `${parts.hour}:${parts.minute}`,
		weekday: parts.weekday,
		month: parts.month,
		day,
		year
	};
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = 86_400_000;

/**
 * An instant as the pod's wall clock shows it, said from `now`: "14:23" today, "Sat 14:23" on
 * another day within six days, "Nov 28 14:23" further off (with the year when it is another).
 */
export function podTimeText(at: Date | string, now: Date, timeZone: string): string {
	const shown = wallClock(typeof at === 'string' ? new Date(at) : at, timeZone);
	const today = wallClock(now, timeZone);
	if (shown.date === today.date) return shown.time;
	const days = Math.abs(Date.parse(shown.date) - Date.parse(today.date)) / DAY;
	if (days <= 6) return `${shown.weekday} ${shown.time}`;
	const year = shown.year === today.year ? '' : `, ${shown.year}`;
	return `${shown.month} ${shown.day}${year} ${shown.time}`;
}
