// A school's days off, read from the terms of a OneRoster 1.1 export (academicSessions.csv).
// OneRoster nests its sessions: a schoolYear holds semesters or terms, which hold gradingPeriods;
// each has a startDate and an endDate (both days included). Inside a school year, the days no
// semester or term covers have no school (before the first, between two, after the last); so do
// the days between one school year and the next (the summer). Grading periods only cut a term
// up, and a day before the first or after the last year in the export is not known: neither
// makes a day off. Pure: no database.
import type { AcademicSession } from '../roster/oneroster/parse';
import { addDays, type DayOff } from './school-days';

/** A day off the export implies, with the key that finds it again in the next import. */
export interface ImportedDayOff extends DayOff {
	/** 'between:<a>:<b>', 'before:<year>:<term>' …: the sessions it comes from, by sourcedId. */
	key: string;
}

const NAME_LIMIT = 80;
const named = (name: string) => (name.length > NAME_LIMIT ? `${name.slice(0, NAME_LIMIT - 1)}…` : name);

type Dated = AcademicSession & { startDate: string; endDate: string };
const isDated = (s: AcademicSession): s is Dated =>
	s.status === 'active' && s.startDate !== '' && s.endDate !== '' && s.startDate <= s.endDate;
const byDates = (a: Dated, b: Dated) =>
	a.startDate.localeCompare(b.startDate) ||
	a.endDate.localeCompare(b.endDate) ||
	a.sourcedId.localeCompare(b.sourcedId);

/** The days from the day after `a` ends to the day before `b` starts, when there are any. */
function gap(afterDay: string, beforeDay: string, name: string, key: string): ImportedDayOff[] {
	const firstDay = addDays(afterDay, 1);
	const lastDay = addDays(beforeDay, -1);
	return firstDay <= lastDay ? [{ firstDay, lastDay, name: named(name), key }] : [];
}

/**
 * The gaps between the parts of a span, in order: parts that overlap or touch count as one
 * stretch (a semester and the quarters inside it). The span's own ends bound the gaps.
 */
function gapsWithin(span: Dated | null, parts: Dated[]): ImportedDayOff[] {
	const found: ImportedDayOff[] = [];
	const sorted = [...parts].sort(byDates);
	let covered: { endDate: string; last: Dated } | null = null;
	for (const part of sorted) {
		if (covered === null) {
			if (span)
				found.push(
					...gap(
						addDays(span.startDate, -1),
						part.startDate,
						`Before ${part.title}`,
						`before:${span.sourcedId}:${part.sourcedId}`
					)
				);
			covered = { endDate: part.endDate, last: part };
			continue;
		}
		if (part.startDate > addDays(covered.endDate, 1)) {
			found.push(
				...gap(
					covered.endDate,
					part.startDate,
					`Between ${covered.last.title} and ${part.title}`,
					`between:${covered.last.sourcedId}:${part.sourcedId}`
				)
			);
		}
		if (part.endDate >= covered.endDate) covered = { endDate: part.endDate, last: part };
	}
	if (span && covered) {
		found.push(
			...gap(
				covered.endDate,
				addDays(span.endDate, 1),
				`After ${covered.last.title}`,
				`after:${span.sourcedId}:${covered.last.sourcedId}`
			)
		);
	}
	return found;
}

/** The days off the export's terms imply, in date order. */
export function daysOffFromTerms(sessions: readonly AcademicSession[]): ImportedDayOff[] {
	const dated = sessions.filter(isDated);
	const years = dated.filter((s) => s.type === 'schoolYear').sort(byDates);
	const terms = dated.filter((s) => s.type === 'semester' || s.type === 'term');
	const yearIds = new Set(years.map((y) => y.sourcedId));

	/** The school year a term belongs to: its parent, or else the year whose dates hold it. */
	const yearOf = (term: Dated) =>
		term.parentSourcedId && yearIds.has(term.parentSourcedId)
			? term.parentSourcedId
			: years.find((y) => y.startDate <= term.startDate && term.endDate <= y.endDate)?.sourcedId;

	const found: ImportedDayOff[] = [];
	for (const year of years) {
		found.push(
			...gapsWithin(
				year,
				terms.filter((term) => yearOf(term) === year.sourcedId)
			)
		);
	}
	// Summers: from the end of one school year to the start of the next.
	for (let i = 1; i < years.length; i++) {
		const [before, after] = [years[i - 1], years[i]];
		found.push(
			...gap(
				before.endDate,
				after.startDate,
				`Between ${before.title} and ${after.title}`,
				`between:${before.sourcedId}:${after.sourcedId}`
			)
		);
	}
	// Terms in no school year of the export: the gaps between them.
	found.push(
		...gapsWithin(
			null,
			terms.filter((term) => yearOf(term) === undefined)
		)
	);
	return found.sort((a, b) => a.firstDay.localeCompare(b.firstDay) || a.key.localeCompare(b.key));
}
