// The activity library's vocabulary, in a teacher's words. Browser-safe and pure: the server
// validates against these lists and the library page labels its fields with them.

import type { ActivityKind } from '../domain';

export const SUBJECTS = ['math', 'reading', 'writing', 'science', 'social_studies', 'other'] as const;
export type Subject = (typeof SUBJECTS)[number];

export const SUBJECT_NAMES: Record<Subject, string> = {
	math: 'Math',
	reading: 'Reading',
	writing: 'Writing',
	science: 'Science',
	social_studies: 'Social studies',
	other: 'Other'
};

export const ACTIVITY_KINDS = [
	'lesson',
	'practice',
	'project',
	'assessment',
	'small_group',
	'offline'
] as const satisfies readonly ActivityKind[];

/** For the team, on every staff page; the student page says "Quiz" and "Off screen" instead. */
export const KIND_NAMES: Record<ActivityKind, string> = {
	lesson: 'Lesson',
	practice: 'Practice',
	project: 'Project',
	assessment: 'Assessment',
	small_group: 'Small group',
	offline: 'Offline'
};

export const LOWEST_GRADE = 0;
export const HIGHEST_GRADE = 12;
export const GRADES = Array.from({ length: HIGHEST_GRADE - LOWEST_GRADE + 1 }, (_, i) => LOWEST_GRADE + i);

/** Grade 0 is kindergarten. */
export const gradeName = (grade: number): string => (grade === 0 ? 'K' : String(grade));

/** "K–2", "4–5", "6". */
export const gradeBand = (low: number, high: number): string =>
	low === high ? gradeName(low) : `${gradeName(low)}–${gradeName(high)}`;

export const ARCHIVED_VIEWS = ['active', 'archived', 'all'] as const;
export type ArchivedView = (typeof ARCHIVED_VIEWS)[number];

export const ARCHIVED_VIEW_NAMES: Record<ArchivedView, string> = {
	active: 'Active',
	archived: 'Archived',
	all: 'All'
};

export const subjectName = (subject: string): string =>
	SUBJECT_NAMES[subject as Subject] ?? subject.replaceAll('_', ' ');

export const MAX_TITLE_LENGTH = 120;
export const MAX_MINUTES = 240;
export const MAX_SCORE = 1000;
