import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import { WEEKDAY_NAMES } from '../../pods/school-week';
import type { Database, Db } from '../db';
import { takeTurns } from '../db/locks';
import { Conflict, Invalid, NotFound } from '../errors';
import { isoNow, newId } from '../ids';
import { localParts, schoolWeekOf, type PodSchedule } from '../pods/clock';
import { addDays, schoolDayOn, weekdayOf, type DayOff } from './school-days';
import type { ImportedDayOff } from './terms';

// A school's calendar: its days off, kept by an admin or read from a OneRoster export's terms.

export const DAY_OFF_NAME_LIMIT = 80;
/** A day off longer than this is a mistake in the dates (a summer is about 80 days). */
const LONGEST_DAY_OFF = 200;

export interface CalendarDayOff extends DayOff {
	id: string;
	source: 'hand' | 'oneroster';
}

const asDayOff = (row: {
	id: string;
	first_day: string;
	last_day: string;
	name: string;
	source: 'hand' | 'oneroster';
}): CalendarDayOff => ({
	id: row.id,
	firstDay: row.first_day,
	lastDay: row.last_day,
	name: row.name,
	source: row.source
});

/** The school's turn to change its calendar: a check for a same day off holds until the write. */
const calendarTurn = (schoolId: string) => `school-calendar:${schoolId}`;

export async function requireSchool(db: Db, schoolId: string) {
	const school = await db
		.selectFrom('schools')
		.select(['id', 'name'])
		.where('id', '=', schoolId)
		.executeTakeFirst();
	if (!school)
		throw new NotFound('No school has that id. Reload the page to see the schools as they are now.');
	return school;
}

/** The school's days off, in date order; only those that end on or after `from`, when given. */
export async function daysOffOfSchool(db: Db, schoolId: string, from?: string): Promise<CalendarDayOff[]> {
	const rows = await db
		.selectFrom('school_days_off')
		.select(['id', 'first_day', 'last_day', 'name', 'source'])
		.where('school_id', '=', schoolId)
		.$if(from !== undefined, (q) => q.where('last_day', '>=', from!))
		.orderBy('first_day')
		.orderBy('last_day')
		.orderBy('name')
		.execute();
	return rows.map(asDayOff);
}

/**
 * The days off of a pod's school that matter at `now`: those ending no more than a week before it
 * (the week so far, in any time zone) or later. Read beside the pod's row, not after it.
 */
export async function daysOffAround(db: Db, podId: string, now: Date): Promise<DayOff[]> {
	const rows = await db
		.selectFrom('school_days_off')
		.innerJoin('pods', 'pods.school_id', 'school_days_off.school_id')
		.select(['school_days_off.id', 'first_day', 'last_day', 'school_days_off.name', 'source'])
		.where('pods.id', '=', podId)
		.where('last_day', '>=', weekBefore(now))
		.execute();
	return rows.map(asDayOff);
}

/** The days off of a pod's school that fall, at least in part, between two local dates (both included). */
export async function daysOffBetween(db: Db, podId: string, first: string, last: string): Promise<DayOff[]> {
	const rows = await db
		.selectFrom('school_days_off')
		.innerJoin('pods', 'pods.school_id', 'school_days_off.school_id')
		.select(['school_days_off.id', 'first_day', 'last_day', 'school_days_off.name', 'source'])
		.where('pods.id', '=', podId)
		.where('last_day', '>=', first)
		.where('first_day', '<=', last)
		.execute();
	return rows.map(asDayOff);
}

/** The UTC date eight days before `now`: a week back in every time zone. */
export const weekBefore = (now: Date) => new Date(now.getTime() - 8 * 86_400_000).toISOString().slice(0, 10);

/** Every school's days off that end on or after `from`, by school: what the minute's flag sweep reads. */
export async function daysOffBySchool(db: Db, from: string): Promise<Map<string, DayOff[]>> {
	const rows = await db
		.selectFrom('school_days_off')
		.select(['school_id', 'id', 'first_day', 'last_day', 'name', 'source'])
		.where('last_day', '>=', from)
		.execute();
	const bySchool = new Map<string, DayOff[]>();
	for (const row of rows)
		bySchool.set(row.school_id, [...(bySchool.get(row.school_id) ?? []), asDayOff(row)]);
	return bySchool;
}

/** A pod's clock and its school's days off from a week before `now` on: what the time rules need. */
export async function podCalendar(
	db: Db,
	podId: string,
	now: Date
): Promise<PodSchedule & { schoolId: string; daysOff: DayOff[] }> {
	const pod = await db
		.selectFrom('pods')
		.select(['school_id', 'timezone', 'school_week'])
		.where('id', '=', podId)
		.executeTakeFirst();
	if (!pod) throw new NotFound('No pod has that id.');
	const today = localParts(now, pod.timezone).date;
	return {
		schoolId: pod.school_id,
		timezone: pod.timezone,
		school_week: pod.school_week,
		daysOff: await daysOffOfSchool(db, pod.school_id, addDays(today, -7))
	};
}

/** "Monday 30 November": a school day as the board says it. */
export function dayWords(date: string): string {
	const [year, month, day] = date.split('-').map(Number);
	const monthName = new Date(Date.UTC(year, month - 1, day)).toLocaleString('en-US', {
		month: 'long',
		timeZone: 'UTC'
	});
	return `${WEEKDAY_NAMES[weekdayOf(date) - 1]} ${day} ${monthName}`;
}

/** Today at the pod: school or not (a day off by its name), and the next school day. */
export async function podToday(db: Db, podId: string, now = new Date()) {
	const calendar = await podCalendar(db, podId, now);
	const date = localParts(now, calendar.timezone).date;
	const answer = schoolDayOn(schoolWeekOf(calendar), calendar.daysOff, date);
	return {
		date,
		school: answer.hours !== null,
		hours: answer.hours && { start: answer.hours.start, end: answer.hours.end },
		dayOff: answer.dayOff && {
			name: answer.dayOff.name,
			firstDay: answer.dayOff.firstDay,
			lastDay: answer.dayOff.lastDay
		},
		next: answer.next && {
			date: answer.next.date,
			words: dayWords(answer.next.date),
			start: answer.next.hours.start,
			end: answer.next.hours.end
		}
	};
}

export interface NewDayOff {
	schoolId: string;
	firstDay: string;
	/** The same as firstDay for one day. */
	lastDay: string;
	name: string;
}

/** An admin's day off (or break): its dates in order, not longer than a long break, not there already. */
export async function addDayOff(
	trx: Transaction<Database>,
	day: NewDayOff,
	now = new Date()
): Promise<CalendarDayOff> {
	if (day.lastDay < day.firstDay) {
		throw new Invalid(
			`The last day (${day.lastDay}) is before the first (${day.firstDay}): swap them, or leave the last day empty for one day.`
		);
	}
	if (addDays(day.firstDay, LONGEST_DAY_OFF) < day.lastDay) {
		throw new Invalid(
			`${day.firstDay} to ${day.lastDay} is longer than ${LONGEST_DAY_OFF} days: check the dates.`
		);
	}
	await takeTurns(trx, [calendarTurn(day.schoolId)]);
	const school = await requireSchool(trx, day.schoolId);
	const name = day.name.trim();
	const same = await trx
		.selectFrom('school_days_off')
		.select('id')
		.where('school_id', '=', school.id)
		.where('first_day', '=', day.firstDay)
		.where('last_day', '=', day.lastDay)
		.where('name', '=', name)
		.executeTakeFirst();
	if (same) throw new Conflict(`${school.name}'s calendar already has ${name} on those dates.`);
	const row = {
		id: newId(),
		school_id: school.id,
		first_day: day.firstDay,
		last_day: day.lastDay,
		name,
		source: 'hand' as const,
		source_key: null,
		created_at: isoNow(now)
	};
	await trx.insertInto('school_days_off').values(row).execute();
	return asDayOff(row);
}

/** A day off taken off the calendar: school that day (or those days) again. */
export async function removeDayOff(
	trx: Transaction<Database>,
	which: { schoolId: string; dayOffId: string }
): Promise<CalendarDayOff> {
	await takeTurns(trx, [calendarTurn(which.schoolId)]);
	const row = await trx
		.deleteFrom('school_days_off')
		.where('id', '=', which.dayOffId)
		.where('school_id', '=', which.schoolId)
		.returning(['id', 'first_day', 'last_day', 'name', 'source'])
		.executeTakeFirst();
	if (!row)
		throw new NotFound(
			'That day off is not on this school’s calendar. Reload the page to see it as it is now.'
		);
	return asDayOff(row);
}

/** What importing a OneRoster export's terms would change on the school's calendar. */
export interface TermImportPlan {
	add: ImportedDayOff[];
	/** Imported before, with other dates or another name now. */
	change: (ImportedDayOff & { id: string; before: DayOff })[];
	/** Imported before, and no longer in the export. */
	remove: CalendarDayOff[];
	unchanged: number;
	/** Of exactly this plan: applying refuses when the calendar changed since the preview. */
	fingerprint: string;
}

/** Days off from the export against those an earlier import made (days added by hand stay as they are). */
export async function planTermImport(
	db: Db,
	schoolId: string,
	fromExport: readonly ImportedDayOff[]
): Promise<TermImportPlan> {
	const rows = await db
		.selectFrom('school_days_off')
		.select(['id', 'first_day', 'last_day', 'name', 'source', 'source_key'])
		.where('school_id', '=', schoolId)
		.where('source', '=', 'oneroster')
		.execute();
	const byKey = new Map(rows.map((row) => [row.source_key, row]));
	const wanted = new Set(fromExport.map((day) => day.key));
	const plan: Omit<TermImportPlan, 'fingerprint'> = { add: [], change: [], remove: [], unchanged: 0 };
	for (const day of fromExport) {
		const row = byKey.get(day.key);
		if (!row) plan.add.push(day);
		else if (row.first_day !== day.firstDay || row.last_day !== day.lastDay || row.name !== day.name)
			plan.change.push({ ...day, id: row.id, before: asDayOff(row) });
		else plan.unchanged++;
	}
	for (const row of rows) if (!wanted.has(row.source_key ?? '')) plan.remove.push(asDayOff(row));
	const fingerprint = createHash('sha256')
		.update(
			JSON.stringify([
				schoolId,
				plan.add,
				plan.change.map((c) => [c.id, c.key, c.firstDay, c.lastDay, c.name]),
				plan.remove.map((r) => r.id)
			])
		)
		.digest('hex');
	return { ...plan, fingerprint };
}

/**
 * The export's days off in place of those the last import made, in one transaction, planned again
 * inside it: what is written is what the preview showed, or nothing (Conflict).
 */
export async function applyTermImport(
	trx: Transaction<Database>,
	input: { schoolId: string; fromExport: readonly ImportedDayOff[]; expectedFingerprint?: string },
	now = new Date()
): Promise<TermImportPlan> {
	await takeTurns(trx, [calendarTurn(input.schoolId)]);
	await requireSchool(trx, input.schoolId);
	const plan = await planTermImport(trx, input.schoolId, input.fromExport);
	if (input.expectedFingerprint && input.expectedFingerprint !== plan.fingerprint) {
		throw new Conflict(
			"The school's calendar changed since this preview. Look at the new preview, then import again."
		);
	}
	for (const day of plan.add) {
		await trx
			.insertInto('school_days_off')
			.values({
				id: newId(),
				school_id: input.schoolId,
				first_day: day.firstDay,
				last_day: day.lastDay,
				name: day.name,
				source: 'oneroster',
				source_key: day.key,
				created_at: isoNow(now)
			})
			.execute();
	}
	for (const day of plan.change) {
		await trx
			.updateTable('school_days_off')
			.set({ first_day: day.firstDay, last_day: day.lastDay, name: day.name })
			.where('id', '=', day.id)
			.execute();
	}
	if (plan.remove.length) {
		await trx
			.deleteFrom('school_days_off')
			.where(
				'id',
				'in',
				plan.remove.map((day) => day.id)
			)
			.execute();
	}
	return plan;
}

/** The ids of the school's pods: each one's board and duties follow the calendar. */
export async function podsOfSchool(db: Db, schoolId: string): Promise<string[]> {
	const pods = await db.selectFrom('pods').select('id').where('school_id', '=', schoolId).execute();
	return pods.map((pod) => pod.id);
}
