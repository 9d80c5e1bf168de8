// How a playlist reads to an 8–14 year old. Browser-safe and pure.

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/** "due today", "due tomorrow", "due Thursday", "due Dec 3", "was due Monday". */
export function dueInWords(dueOn: string | null, today: string): string | null {
	if (!dueOn) return null;
	const days = dayNumber(dueOn) - dayNumber(today);
	const date = new Date(`${dueOn}T00:00:00Z`);
	const weekday = WEEKDAYS[date.getUTCDay()];
	if (days === 0) return 'due today';
	if (days === 1) return 'due tomorrow';
	if (days > 1 && days < 7) return `due ${weekday}`;
	if (days < 0 && days > -7) return `was due ${weekday}`;
	const dayAndMonth = `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}`;
	return days < 0 ? `was due ${dayAndMonth}` : `due ${dayAndMonth}`;
}

export const STATUS_WORDS = {
	not_started: 'Not started',
	in_progress: 'Working on it',
	stuck: 'Stuck',
	submitted: 'Done',
	mastered: 'Mastered'
} as const;

export const PRIORITY_WORDS = { must: 'Must do', should: 'Should do', aspire: 'Aim high' } as const;

export const KIND_WORDS = {
	lesson: 'Lesson',
	practice: 'Practice',
	project: 'Project',
	assessment: 'Quiz',
	small_group: 'Small group',
	offline: 'Off screen'
} as const;

export const SUBJECT_WORDS: Record<string, string> = { math: 'Math', reading: 'Reading', science: 'Science' };
