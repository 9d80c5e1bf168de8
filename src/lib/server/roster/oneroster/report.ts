import { describeRosterError } from './csv';
import { countChanges, type PlannedChange, type RosterPlan } from './plan';

const ACTION_WORDS = { add: 'to add', update: 'to update', deactivate: 'to deactivate' } as const;

function describeChange(change: PlannedChange): string {
	const id = change.sourcedId ? ` [${change.sourcedId}]` : '';
	const where =
		change.kind === 'student' && change.grade !== null
			? `, grade ${change.grade}${change.cohort ? `, ${change.cohort}` : ''}`
			: '';
	const email = change.kind === 'staff' && change.email ? ` <${change.email}>` : '';
	return `  ${change.name}${email}${id}${where}: ${change.changes.join('; ')}`;
}

/** The preview as plain text, for the command line: the same facts the page shows. */
export function formatPlan(plan: RosterPlan): string {
	const lines: string[] = [];
	const format = plan.format === 'oneroster' ? 'OneRoster 1.1' : 'plain list of students';
	lines.push(`Import (${format}) into ${plan.pod.name} (pod code ${plan.pod.joinCode})`);
	if (plan.classes.length) {
		lines.push('', 'Classes:');
		for (const cls of plan.classes) {
			const grades = cls.grades ? `, grades ${cls.grades}` : '';
			const fate = cls.included ? `→ ${plan.pod.name}` : '→ skipped';
			lines.push(
				`  ${cls.title} [${cls.sourcedId}]${grades}: ${cls.students} students, ${cls.teachers} teachers ${fate}`
			);
		}
	}
	const counts = countChanges(plan.changes);
	for (const kind of ['student', 'staff'] as const) {
		for (const action of ['add', 'update', 'deactivate'] as const) {
			const changes = plan.changes.filter((c) => c.kind === kind && c.action === action);
			if (!changes.length) continue;
			lines.push(
				'',
				`${kind === 'student' ? 'Students' : 'Staff'} ${ACTION_WORDS[action]} (${changes.length}):`
			);
			for (const change of changes) lines.push(describeChange(change));
		}
	}
	if (plan.kept.length) {
		lines.push('', `Left as they are (${plan.kept.length}):`);
		for (const person of plan.kept) {
			const email = person.email ? ` <${person.email}>` : '';
			const id = person.sourcedId ? ` [${person.sourcedId}]` : '';
			lines.push(`  ${person.name}${email}${id}: ${person.why}`);
		}
	}
	const total =
		counts.students.add +
		counts.students.update +
		counts.students.deactivate +
		counts.staff.add +
		counts.staff.update +
		counts.staff.deactivate;
	lines.push(
		'',
		`${total === 0 ? 'Nothing to change' : `${total} change${total === 1 ? '' : 's'}`}; unchanged: ${plan.unchanged.students} students, ${plan.unchanged.staff} staff` +
			(plan.outside ? `; ${plan.outside} people in the files are not in the included classes` : '') +
			'.'
	);
	if (plan.errors.length) {
		lines.push(
			'',
			`${plan.errors.length} problem${plan.errors.length === 1 ? '' : 's'} — nothing can be imported until they are fixed:`
		);
		for (const error of plan.errors) lines.push(`  ${describeRosterError(error)}`);
	}
	return lines.join('\n');
}
