// The duties page's pure helpers: dates in words, a block's name, who has what. Browser-safe.
import type { DutyBlock, DutyWeek } from '$lib/duties/types';
import type { Duty } from '$lib/domain';

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = [
	'January',
	'February',
	'March',
	'April',
	'May',
	'June',
	'July',
	'August',
	'September',
	'October',
	'November',
	'December'
];

/** 1 = Monday … 7 = Sunday → its name. */
export const dayName = (weekday: number) => DAYS[weekday - 1] ?? `Day ${weekday}`;

/** '2026-11-23' → 'Monday 23 November' (the same on the server and in any browser's locale). */
export function dateInWords(date: string): string {
	const [y, m, d] = date.split('-').map(Number);
	const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
	return `${DAYS[weekday]} ${d} ${MONTHS[m - 1]}`;
}

/** A local date moved by whole days. */
export function addDays(date: string, days: number): string {
	const [y, m, d] = date.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export const timeOf = (block: Pick<DutyBlock, 'startsAt' | 'endsAt'>) => `${block.startsAt}–${block.endsAt}`;

/** A block as the swap form and the selects name it: 'Monday Afternoon 12:15–13:45'. */
export const blockName = (block: DutyBlock) => `${dayName(block.weekday)} ${block.label} ${timeOf(block)}`;

/** One teacher in one block: a duty, away, or nothing set yet. */
export type Cell = Duty | 'away' | null;

/** Look up every cell of the week by block and teacher. */
export function cellsOf(week: DutyWeek): (blockId: string, teacherId: string) => Cell {
	const cells = new Map<string, Cell>();
	for (const u of week.unavailable) cells.set(`${u.blockId}|${u.teacherId}`, 'away');
	for (const d of week.duties) cells.set(`${d.blockId}|${d.teacherId}`, d.duty);
	return (blockId, teacherId) => cells.get(`${blockId}|${teacherId}`) ?? null;
}

/** The week's blocks, one list per weekday that has any, in order. */
export function daysOf(week: DutyWeek): { weekday: number; date: string; blocks: DutyBlock[] }[] {
	const days = new Map<number, DutyBlock[]>();
	for (const block of week.blocks) days.set(block.weekday, [...(days.get(block.weekday) ?? []), block]);
	return [...days.entries()]
		.sort(([a], [b]) => a - b)
		.map(([weekday, blocks]) => ({ weekday, date: addDays(week.weekOf, weekday - 1), blocks }));
}
