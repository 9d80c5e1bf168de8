// Dates on the calendar page, as a school says them. Browser-safe and pure.

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** '2026-11-26' → 'Thu 26 Nov 2026' (the same on the server and in any browser's locale). */
export function dateInWords(date: string): string {
	const [y, m, d] = date.split('-').map(Number);
	const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
	return `${DAYS[weekday]} ${d} ${MONTHS[m - 1]} ${y}`;
}

/** One day, or a first and a last: 'Thu 26 Nov 2026 – Fri 27 Nov 2026'. */
export const daysInWords = (first: string, last: string) =>
	first === last ? dateInWords(first) : `${dateInWords(first)} – ${dateInWords(last)}`;
