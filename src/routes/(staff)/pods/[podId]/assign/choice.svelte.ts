import type { FlagRule, Priority } from '$lib/domain';
import type { RouterInputs } from '$lib/trpc';

/** Who gets the activities: every student in some grades, some cohorts, a group, …. */
type BulkTarget = RouterInputs['playlists']['bulkAssign']['target'];
export type Who = BulkTarget['by'];

export interface Preselect {
	activityIds: string[];
	finishedId: string | null;
	grades: number[];
	cohorts: string[];
	groupId: string | null;
	flagRule: FlagRule | 'any' | null;
	studentIds: string[];
}

/** The first kind of "who" a link chose, most specific first. */
function whoFrom(preselect: Preselect): Who {
	if (preselect.finishedId) return 'finished';
	if (preselect.groupId) return 'group';
	if (preselect.flagRule) return 'flag';
	if (preselect.studentIds.length) return 'students';
	if (preselect.cohorts.length) return 'cohort';
	return 'grade';
}

/** What the teacher is about to assign, and to whom: shared by the pickers and the preview. */
export class AssignChoice {
	activityIds = $state<string[]>([]);
	priority = $state<Priority>('should');
	dueOn = $state('');

	who = $state<Who>('grade');
	grades = $state<number[]>([]);
	cohorts = $state<string[]>([]);
	groupId = $state('');
	/** '' means any open flag. */
	flagRule = $state<FlagRule | ''>('');
	studentIds = $state<string[]>([]);
	finishedId = $state('');

	constructor(preselect: Preselect) {
		this.activityIds = [...preselect.activityIds];
		this.who = whoFrom(preselect);
		this.grades = [...preselect.grades];
		this.cohorts = [...preselect.cohorts];
		this.groupId = preselect.groupId ?? '';
		this.flagRule = preselect.flagRule === 'any' ? '' : (preselect.flagRule ?? '');
		this.studentIds = [...preselect.studentIds];
		this.finishedId = preselect.finishedId ?? '';
	}

	/** Who gets it, or null while the choice is not complete. */
	target = $derived.by((): BulkTarget | null => {
		switch (this.who) {
			case 'grade':
				return this.grades.length ? { by: 'grade', grades: [...this.grades].sort((a, b) => a - b) } : null;
			case 'cohort':
				return this.cohorts.length ? { by: 'cohort', cohorts: [...this.cohorts].sort() } : null;
			case 'group':
				return this.groupId ? { by: 'group', groupId: this.groupId } : null;
			case 'flag':
				return this.flagRule ? { by: 'flag', rule: this.flagRule } : { by: 'flag' };
			case 'students':
				return this.studentIds.length ? { by: 'students', studentIds: [...this.studentIds] } : null;
			case 'finished':
				return this.finishedId ? { by: 'finished', activityId: this.finishedId } : null;
		}
	});

	/** What is still to choose, said to the teacher; null when ready to preview. */
	missing = $derived.by((): string | null => {
		if (this.activityIds.length === 0) return 'Choose at least one activity.';
		if (this.target) return null;
		switch (this.who) {
			case 'grade':
				return 'Choose at least one grade.';
			case 'cohort':
				return 'Choose at least one cohort.';
			case 'group':
				return 'Choose an intervention group.';
			case 'students':
				return 'Choose at least one student.';
			case 'finished':
				return 'Choose the activity they finished.';
			default:
				return 'Choose who gets it.';
		}
	});
}
