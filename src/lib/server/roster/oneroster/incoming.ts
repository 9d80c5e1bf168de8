// From a parsed roster (OneRoster or the plain list) to the people it says should be in one pod.
//
// How classes map to pods: an import goes into ONE pod — the pod whose roster page it is
// uploaded on (the CLI names it with `--pod <join code>`). Every class in classes.csv is
// included unless the uploader skips it. Students enrolled in an included class become the
// pod's students, with their grade from users.grades (else the class's single grade) and the
// class's title as their cohort; teachers enrolled in one join the pod's team as team teachers
// (never as lead: a lead is chosen by people). A pod is one room, so a school with two pods
// runs the import once per pod, skipping the other pod's classes.
import type { RosterError } from './csv';
import { gradeNumber, type OneRoster, type RosterClass } from './parse';

/** One person as the files describe them, before anything is compared with the database. */
export interface IncomingPerson {
	kind: 'student' | 'staff';
	/** The OneRoster sourcedId; null for the plain list, which matches on the name in the pod. */
	sourcedId: string | null;
	/** Null when the files do not say (a delta enrollment of someone already imported). */
	givenName: string | null;
	familyName: string | null;
	email: string | null;
	grade: number | null;
	cohort: string | null;
	/** False for status=tobedeleted: deactivate, never delete. */
	active: boolean;
	/** Enrolled in an included class: belongs in this pod. */
	member: boolean;
	from: { file: string; line: number };
}

export interface ClassChoice {
	sourcedId: string;
	title: string;
	grades: string;
	students: number;
	teachers: number;
	included: boolean;
}

export interface Incoming {
	format: 'oneroster' | 'students-csv';
	people: IncomingPerson[];
	classes: ClassChoice[];
	/** A bulk users.csv lists everyone: an imported student of the pod missing from it has left. */
	deactivateMissing: boolean;
	presentSourcedIds: Set<string>;
	/** Guardians, aides and administrators who teach no included class: not part of a pod. */
	notInPods: number;
	errors: RosterError[];
}

const COHORT_LENGTH = 60;
/** The longest given or family name, as when a name is corrected by hand (student-data, roster routers). */
export const NAME_LENGTH = 80;

/** A name longer than Podboard keeps is refused, never cut: a cut name is someone else's name. */
export function nameTooLong(column: string, name: string): string | null {
	return name.length > NAME_LENGTH
		? `${column} is ${name.length} characters long; Podboard keeps names of up to ${NAME_LENGTH}`
		: null;
}

function classGrade(cls: RosterClass | undefined): number | null {
	const grades = (cls?.grades ?? []).map(gradeNumber).filter((g): g is number => g !== null);
	return grades.length === 1 ? grades[0] : null;
}

export function incomingFromOneRoster(roster: OneRoster, skippedClassIds: readonly string[] = []): Incoming {
	const errors: RosterError[] = [];
	const skipped = new Set(skippedClassIds);
	const classes = new Map(roster.classes.map((cls) => [cls.sourcedId, cls]));
	const counts = new Map<string, { students: number; teachers: number }>();
	/** A person's included classes, in the order of enrollments.csv. */
	const memberOf = new Map<string, RosterClass[]>();
	const enrolledOnly = new Map<string, { line: number; role: string; classId: string }>();
	for (const enrollment of roster.enrollments) {
		if (enrollment.status === 'tobedeleted') continue;
		if (enrollment.role !== 'student' && enrollment.role !== 'teacher') continue;
		const count = counts.get(enrollment.classSourcedId) ?? { students: 0, teachers: 0 };
		count[enrollment.role === 'student' ? 'students' : 'teachers'] += 1;
		counts.set(enrollment.classSourcedId, count);
		if (skipped.has(enrollment.classSourcedId)) continue;
		const cls = classes.get(enrollment.classSourcedId);
		const list = memberOf.get(enrollment.userSourcedId) ?? [];
		if (cls) list.push(cls);
		memberOf.set(enrollment.userSourcedId, list);
		enrolledOnly.set(enrollment.userSourcedId, {
			line: enrollment.line,
			role: enrollment.role,
			classId: enrollment.classSourcedId
		});
	}

	const people: IncomingPerson[] = [];
	const listed = new Set<string>();
	let notInPods = 0;
	for (const user of roster.users) {
		listed.add(user.sourcedId);
		const kind = user.role === 'student' ? 'student' : user.role === 'teacher' ? 'staff' : null;
		const inClasses = memberOf.get(user.sourcedId);
		// Guardians, aides and administrators are not part of a pod's room unless enrolled to teach.
		const staffByEnrollment =
			kind === null && inClasses !== undefined && enrolledOnly.get(user.sourcedId)?.role === 'teacher';
		if (kind === null && !staffByEnrollment) {
			notInPods += 1;
			continue;
		}
		for (const [column, name] of [
			['givenName', user.givenName],
			['familyName', user.familyName]
		] as const) {
			const tooLong = nameTooLong(column, name);
			if (tooLong) errors.push({ file: 'users.csv', line: user.line, column, message: tooLong });
		}
		let grade: number | null = null;
		if (kind === 'student') {
			grade = user.grades.map(gradeNumber).find((g) => g !== null) ?? classGrade(inClasses?.[0]);
			if (grade === null && inClasses && user.status === 'active') {
				errors.push({
					file: 'users.csv',
					line: user.line,
					column: 'grades',
					message: user.grades.length
						? `grades '${user.grades.join(',')}' has no grade from KG to 12 for ${user.givenName} ${user.familyName}`
						: `grades is empty for ${user.givenName} ${user.familyName}, and their class has no single grade`
				});
			}
		}
		people.push({
			kind: kind ?? 'staff',
			sourcedId: user.sourcedId,
			givenName: user.givenName,
			familyName: user.familyName,
			email: kind === 'student' ? null : (user.email?.toLowerCase() ?? null),
			grade,
			cohort: kind === 'student' && inClasses?.length ? inClasses[0].title.slice(0, COHORT_LENGTH) : null,
			// enabledUser=false is the information system saying this account may not sign in.
			active: user.status === 'active' && user.enabled,
			member: inClasses !== undefined,
			from: { file: 'users.csv', line: user.line }
		});
	}
	// A delta may enroll someone imported earlier without listing them in users.csv again.
	for (const [sourcedId, enrollment] of enrolledOnly) {
		if (listed.has(sourcedId)) continue;
		const inClasses = memberOf.get(sourcedId);
		people.push({
			kind: enrollment.role === 'student' ? 'student' : 'staff',
			sourcedId,
			givenName: null,
			familyName: null,
			email: null,
			grade: classGrade(inClasses?.[0]),
			cohort:
				enrollment.role === 'student' && inClasses?.length
					? inClasses[0].title.slice(0, COHORT_LENGTH)
					: null,
			active: true,
			member: true,
			from: { file: 'enrollments.csv', line: enrollment.line }
		});
	}

	return {
		format: 'oneroster',
		people,
		classes: roster.classes
			.filter((cls) => cls.status === 'active')
			.map((cls) => ({
				sourcedId: cls.sourcedId,
				title: cls.title,
				grades: cls.grades.join(', '),
				...(counts.get(cls.sourcedId) ?? { students: 0, teachers: 0 }),
				included: !skipped.has(cls.sourcedId)
			})),
		deactivateMissing: roster.modes['users.csv'] === 'bulk',
		presentSourcedIds: listed,
		notInPods,
		errors
	};
}
