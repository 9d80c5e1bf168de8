// The library's filters live in the address, so a filtered view can be bookmarked and shared.
// Browser-safe and pure: the page load reads them, the page writes them.

import type { ActivityKind } from '../domain';
import {
	ACTIVITY_KINDS,
	ARCHIVED_VIEWS,
	HIGHEST_GRADE,
	LOWEST_GRADE,
	SUBJECTS,
	type ArchivedView,
	type Subject
} from './catalog';

export interface LibraryFilters {
	search?: string;
	subject?: Subject;
	skillId?: string;
	grade?: number;
	kind?: ActivityKind;
	archived: ArchivedView;
}

/** The ids the API accepts (zod's uuid): anything else would be refused, so it is ignored here. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

const oneOf = <T extends string>(list: readonly T[], value: string | null): T | undefined =>
	list.find((item) => item === value);

/** What the address asks for; anything malformed is ignored, as if the filter were not set. */
export function filtersFromQuery(query: URLSearchParams): LibraryFilters {
	const search = query.get('search')?.trim().slice(0, 100) || undefined;
	const grade = Number(query.get('grade') ?? NaN);
	const skillId = query.get('skill') ?? '';
	return {
		search,
		subject: oneOf(SUBJECTS, query.get('subject')),
		skillId: UUID.test(skillId) ? skillId : undefined,
		grade:
			query.get('grade') && Number.isInteger(grade) && grade >= LOWEST_GRADE && grade <= HIGHEST_GRADE
				? grade
				: undefined,
		kind: oneOf(ACTIVITY_KINDS, query.get('kind')),
		archived: oneOf(ARCHIVED_VIEWS, query.get('show')) ?? 'active'
	};
}

/** The address's query for these filters, leaving out whatever is at its default. */
export function queryFromFilters(filters: LibraryFilters): string {
	const query = new URLSearchParams();
	if (filters.search) query.set('search', filters.search);
	if (filters.subject) query.set('subject', filters.subject);
	if (filters.skillId) query.set('skill', filters.skillId);
	if (filters.grade !== undefined) query.set('grade', String(filters.grade));
	if (filters.kind) query.set('kind', filters.kind);
	if (filters.archived !== 'active') query.set('show', filters.archived);
	const text = query.toString();
	return text ? `?${text}` : '';
}

/** True when any filter narrows the list. */
export const isFiltered = (filters: LibraryFilters): boolean => queryFromFilters(filters) !== '';
