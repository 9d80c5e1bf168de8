// OneRoster 1.1 CSV (the "bulk"/"delta" CSV binding) → typed records, or errors that name the
// file, the line and the column. Pure: no database, no file system.
import { readCsv, type CsvRow, type CsvTable, type RosterError } from './csv';

export const REQUIRED_FILES = [
	'manifest.csv',
	'orgs.csv',
	'users.csv',
	'classes.csv',
	'enrollments.csv'
] as const;
export const OPTIONAL_FILES = ['academicSessions.csv', 'courses.csv'] as const;
export type RosterFileName = (typeof REQUIRED_FILES)[number] | (typeof OPTIONAL_FILES)[number];

export const USER_ROLES = [
	'administrator',
	'aide',
	'guardian',
	'parent',
	'proctor',
	'relative',
	'student',
	'teacher'
] as const;
export const ENROLLMENT_ROLES = ['administrator', 'proctor', 'student', 'teacher'] as const;
export const ORG_TYPES = ['department', 'school', 'district', 'local', 'state', 'national'] as const;
export const CLASS_TYPES = ['homeroom', 'scheduled'] as const;
export const SESSION_TYPES = ['gradingPeriod', 'semester', 'schoolYear', 'term'] as const;
/** CEDS grade levels, as OneRoster 1.1 uses them. */
export const GRADE_CODES = [
	'IT',
	'PR',
	'PK',
	'TK',
	'KG',
	'01',
	'02',
	'03',
	'04',
	'05',
	'06',
	'07',
	'08',
	'09',
	'10',
	'11',
	'12',
	'13',
	'PS',
	'UG',
	'Other'
] as const;

/** A grade Podboard keeps (0 for kindergarten … 12), or null for one outside K–12. */
export function gradeNumber(code: string): number | null {
	if (code === 'KG') return 0;
	return /^(0[1-9]|1[0-2])$/.test(code) ? Number(code) : null;
}

export type RowStatus = 'active' | 'tobedeleted';
export type FileMode = 'bulk' | 'delta' | 'absent';

interface Base {
	sourcedId: string;
	status: RowStatus;
	line: number;
}
export interface Org extends Base {
	name: string;
	type: (typeof ORG_TYPES)[number];
	parentSourcedId: string | null;
}
export interface RosterUser extends Base {
	role: (typeof USER_ROLES)[number];
	enabled: boolean;
	orgSourcedIds: string[];
	givenName: string;
	familyName: string;
	email: string | null;
	grades: string[];
}
export interface RosterClass extends Base {
	title: string;
	classCode: string | null;
	classType: (typeof CLASS_TYPES)[number];
	schoolSourcedId: string;
	courseSourcedId: string;
	termSourcedIds: string[];
	grades: string[];
}
export interface Enrollment extends Base {
	classSourcedId: string;
	schoolSourcedId: string;
	userSourcedId: string;
	role: (typeof ENROLLMENT_ROLES)[number];
}
export interface AcademicSession extends Base {
	title: string;
	type: (typeof SESSION_TYPES)[number];
	/** 'YYYY-MM-DD', both days included; '' when the row leaves it out (an error is reported). */
	startDate: string;
	endDate: string;
	/** The session it is part of (a term's school year), when the export says. */
	parentSourcedId: string | null;
	/** The school year it belongs to, as its ending year: '2027' for 2026–27; '' when not given. */
	schoolYear: string;
}
export interface Course extends Base {
	title: string;
	/** One org in OneRoster 1.1 and 1.2 alike: the column is orgSourcedId, singular. */
	orgSourcedId: string;
}

export interface OneRoster {
	/** file.users, file.enrollments … from the manifest: a delta only changes what it lists. */
	modes: Record<RosterFileName, FileMode>;
	orgs: Org[];
	users: RosterUser[];
	classes: RosterClass[];
	enrollments: Enrollment[];
	academicSessions: AcademicSession[];
	courses: Course[];
}

const list = (value: string): string[] =>
	value
		.split(',')
		.map((part) => part.trim())
		.filter(Boolean);

/** Checks one row's fields, collecting every problem on the line rather than stopping at the first. */
class RowReader {
	constructor(
		private file: string,
		private row: CsvRow,
		private errors: RosterError[]
	) {}

	fail(column: string | null, message: string) {
		this.errors.push({ file: this.file, line: this.row.line, column, message });
	}

	text(column: string, { required = false } = {}): string {
		const value = this.row.get(column);
		if (required && !value) this.fail(column, `${column} is empty; it is required`);
		return value;
	}

	oneOf<T extends string>(column: string, allowed: readonly T[], what: string): T {
		const value = this.row.get(column);
		if (!(allowed as readonly string[]).includes(value)) {
			this.fail(column, value ? `${column} '${value}' is not ${what}` : `${column} is empty; it is required`);
		}
		return value as T;
	}

	status(mode: FileMode): RowStatus {
		const value = this.row.get('status');
		if (value === '' && mode !== 'delta') return 'active';
		if (value === 'active' || value === 'tobedeleted') return value;
		this.fail(
			'status',
			value
				? `status '${value}' is not 'active' or 'tobedeleted'`
				: 'status is empty; a delta file needs active or tobedeleted on every line'
		);
		return 'active';
	}

	dateTime(column: string) {
		const value = this.row.get(column);
		if (value && Number.isNaN(Date.parse(value)))
			this.fail(column, `${column} '${value}' is not a date and time`);
	}

	date(column: string) {
		const value = this.row.get(column);
		if (value && !/^\d{4}-\d{2}-\d{2}$/.test(value))
			this.fail(column, `${column} '${value}' is not a date like 2026-08-24`);
	}

	bool(column: string, fallback: boolean): boolean {
		const value = this.row.get(column).toLowerCase();
		if (value === '') return fallback;
		if (value === 'true' || value === 'false') return value === 'true';
		this.fail(column, `${column} '${this.row.get(column)}' is not true or false`);
		return fallback;
	}

	grades(column: string): string[] {
		const grades = list(this.row.get(column));
		for (const grade of grades) {
			if (!(GRADE_CODES as readonly string[]).includes(grade))
				this.fail(column, `${column} '${grade}' is not a grade code (KG, 01 … 12, PK, …)`);
		}
		return grades;
	}
}

const COLUMNS: Record<RosterFileName, string[]> = {
	'manifest.csv': ['propertyName', 'value'],
	'orgs.csv': ['sourcedId', 'status', 'dateLastModified', 'name', 'type', 'identifier', 'parentSourcedId'],
	'users.csv': [
		'sourcedId',
		'status',
		'dateLastModified',
		'enabledUser',
		'orgSourcedIds',
		'role',
		'username',
		'givenName',
		'familyName'
	],
	'classes.csv': [
		'sourcedId',
		'status',
		'dateLastModified',
		'title',
		'courseSourcedId',
		'classType',
		'schoolSourcedId',
		'termSourcedIds'
	],
	'enrollments.csv': [
		'sourcedId',
		'status',
		'dateLastModified',
		'classSourcedId',
		'schoolSourcedId',
		'userSourcedId',
		'role'
	],
	'academicSessions.csv': [
		'sourcedId',
		'status',
		'dateLastModified',
		'title',
		'type',
		'startDate',
		'endDate',
		'schoolYear'
	],
	'courses.csv': ['sourcedId', 'status', 'dateLastModified', 'title', 'orgSourcedId']
};

/** Rows of one file through `read`, with sourcedIds that must be there and be unique. */
function records<T extends Base>(
	table: CsvTable | null,
	mode: FileMode,
	errors: RosterError[],
	read: (reader: RowReader, base: Base) => T
): T[] {
	if (!table) return [];
	const seen = new Map<string, number>();
	const out: T[] = [];
	for (const row of table.rows) {
		const reader = new RowReader(table.file, row, errors);
		const sourcedId = reader.text('sourcedId', { required: true });
		const earlier = seen.get(sourcedId);
		if (sourcedId && earlier !== undefined)
			reader.fail('sourcedId', `sourcedId '${sourcedId}' is also on line ${earlier}`);
		seen.set(sourcedId, row.line);
		reader.dateTime('dateLastModified');
		out.push(read(reader, { sourcedId, status: reader.status(mode), line: row.line }));
	}
	return out;
}

function readManifest(table: CsvTable | null, errors: RosterError[]): Record<RosterFileName, FileMode> {
	const modes = Object.fromEntries(
		[...REQUIRED_FILES, ...OPTIONAL_FILES].map((file) => [file, 'bulk'])
	) as Record<RosterFileName, FileMode>;
	modes['manifest.csv'] = 'bulk';
	if (!table) return modes;
	let version: string | null = null;
	for (const row of table.rows) {
		const property = row.get('propertyName');
		const value = row.get('value');
		if (property === 'oneroster.version') {
			version = value;
			if (value !== '1.1') {
				errors.push({
					file: table.file,
					line: row.line,
					column: 'value',
					message: `oneroster.version '${value}' is not 1.1, the version Podboard reads`
				});
			}
		}
		const file = /^file\.(.+)$/.exec(property)?.[1];
		if (!file) continue;
		const name = `${file}.csv` as RosterFileName;
		if (!(name in modes)) continue;
		if (value !== 'bulk' && value !== 'delta' && value !== 'absent') {
			errors.push({
				file: table.file,
				line: row.line,
				column: 'value',
				message: `${property} '${value}' is not bulk, delta or absent`
			});
			continue;
		}
		modes[name] = value;
	}
	if (version === null) {
		errors.push({
			file: table.file,
			line: null,
			column: 'propertyName',
			message: 'there is no oneroster.version line; it should say 1.1'
		});
	}
	return modes;
}

/** Every sourcedId a column names must be a row of `target`, when that file lists them all (bulk). */
function checkReferences(
	file: string,
	rows: { line: number }[],
	column: string,
	ids: (row: never) => string[],
	target: { file: string; mode: FileMode; ids: Set<string> },
	errors: RosterError[],
	{ required = true } = {}
) {
	if (target.mode !== 'bulk') return;
	for (const row of rows) {
		const named = ids(row as never);
		if (required && named.length === 0) continue; // already reported as empty
		for (const id of named) {
			if (!target.ids.has(id)) {
				errors.push({ file, line: row.line, column, message: `${column} '${id}' is not in ${target.file}` });
			}
		}
	}
}

/** The rows of academicSessions.csv: school years, semesters, terms and grading periods. */
function readAcademicSessions(table: CsvTable | null, mode: FileMode, errors: RosterError[]) {
	return records(table, mode, errors, (r, base): AcademicSession => {
		r.date('startDate');
		r.date('endDate');
		const year = r.text('schoolYear');
		if (year && !/^\d{4}$/.test(year)) r.fail('schoolYear', `schoolYear '${year}' is not a year like 2027`);
		// A row being deleted may leave its dates out; the rest say when they run.
		const required = base.status === 'active';
		const startDate = r.text('startDate', { required });
		const endDate = r.text('endDate', { required });
		if (startDate && endDate && startDate > endDate)
			r.fail('endDate', `endDate ${endDate} is before startDate ${startDate}`);
		return {
			...base,
			title: r.text('title', { required: true }),
			type: r.oneOf('type', SESSION_TYPES, 'a OneRoster session type'),
			startDate: /^\d{4}-\d{2}-\d{2}$/.test(startDate) ? startDate : '',
			endDate: /^\d{4}-\d{2}-\d{2}$/.test(endDate) ? endDate : '',
			parentSourcedId: r.text('parentSourcedId') || null,
			schoolYear: year
		};
	});
}

/**
 * Only the academic sessions of an upload (a whole export, or academicSessions.csv alone, with
 * its manifest or not): what the school calendar imports its terms from.
 */
export function parseAcademicSessions(files: ReadonlyMap<string, string>): {
	sessions: AcademicSession[];
	errors: RosterError[];
} {
	const errors: RosterError[] = [];
	const text = files.get('academicSessions.csv');
	if (text === undefined) {
		errors.push({
			file: 'academicSessions.csv',
			line: null,
			column: null,
			message: 'the file is missing; the calendar reads the terms from academicSessions.csv'
		});
		return { sessions: [], errors };
	}
	const manifest = files.get('manifest.csv');
	const modes = readManifest(
		manifest === undefined ? null : readCsv('manifest.csv', manifest, COLUMNS['manifest.csv'], errors),
		errors
	);
	const table = readCsv('academicSessions.csv', text, COLUMNS['academicSessions.csv'], errors);
	const sessions = readAcademicSessions(table, modes['academicSessions.csv'], errors);
	return { sessions, errors };
}

/** OneRoster files by name (already text) → the roster, or every problem found in it. */
export function parseOneRoster(files: ReadonlyMap<string, string>): {
	roster: OneRoster;
	errors: RosterError[];
} {
	const errors: RosterError[] = [];
	for (const name of REQUIRED_FILES) {
		if (!files.has(name)) {
			errors.push({
				file: name,
				line: null,
				column: null,
				message: `the file is missing; a OneRoster 1.1 export has ${REQUIRED_FILES.join(', ')}`
			});
		}
	}
	const unreadable = new Set<string>();
	const table = (name: RosterFileName) => {
		const text = files.get(name);
		const read = text === undefined ? null : readCsv(name, text, COLUMNS[name], errors);
		if (!read) unreadable.add(name);
		return read;
	};
	const modes = readManifest(table('manifest.csv'), errors);

	const orgs = records(table('orgs.csv'), modes['orgs.csv'], errors, (r, base): Org => ({
		...base,
		name: r.text('name', { required: true }),
		type: r.oneOf('type', ORG_TYPES, 'a OneRoster org type'),
		parentSourcedId: r.text('parentSourcedId') || null
	}));
	const users = records(table('users.csv'), modes['users.csv'], errors, (r, base): RosterUser => {
		const email = r.text('email');
		if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
			r.fail('email', `email '${email}' is not an email address`);
		return {
			...base,
			role: r.oneOf('role', USER_ROLES, 'a OneRoster role'),
			enabled: r.bool('enabledUser', true),
			orgSourcedIds: list(r.text('orgSourcedIds', { required: true })),
			givenName: r.text('givenName', { required: true }),
			familyName: r.text('familyName', { required: true }),
			email: email || null,
			grades: r.grades('grades')
		};
	});
	const academicSessions = readAcademicSessions(
		table('academicSessions.csv'),
		modes['academicSessions.csv'],
		errors
	);
	const courses = records(table('courses.csv'), modes['courses.csv'], errors, (r, base): Course => ({
		...base,
		title: r.text('title', { required: true }),
		orgSourcedId: r.text('orgSourcedId', { required: true })
	}));
	const classes = records(table('classes.csv'), modes['classes.csv'], errors, (r, base): RosterClass => ({
		...base,
		title: r.text('title', { required: true }),
		classCode: r.text('classCode') || null,
		classType: r.oneOf('classType', CLASS_TYPES, 'homeroom or scheduled'),
		schoolSourcedId: r.text('schoolSourcedId', { required: true }),
		courseSourcedId: r.text('courseSourcedId', { required: true }),
		termSourcedIds: list(r.text('termSourcedIds', { required: true })),
		grades: r.grades('grades')
	}));
	const enrollments = records(
		table('enrollments.csv'),
		modes['enrollments.csv'],
		errors,
		(r, base): Enrollment => {
			r.bool('primary', false);
			r.date('beginDate');
			r.date('endDate');
			return {
				...base,
				classSourcedId: r.text('classSourcedId', { required: true }),
				schoolSourcedId: r.text('schoolSourcedId', { required: true }),
				userSourcedId: r.text('userSourcedId', { required: true }),
				role: r.oneOf('role', ENROLLMENT_ROLES, 'a OneRoster enrollment role')
			};
		}
	);

	// Cross-file references, checked only against files that list everything (bulk).
	const target = (file: RosterFileName, rows: Base[]) => ({
		file,
		// A file that could not be read has its own error; its absence is no news to others.
		mode: unreadable.has(file) ? ('absent' as const) : modes[file],
		ids: new Set(rows.map((row) => row.sourcedId))
	});
	const orgTarget = target('orgs.csv', orgs);
	checkReferences(
		'orgs.csv',
		orgs,
		'parentSourcedId',
		(o: Org) => (o.parentSourcedId ? [o.parentSourcedId] : []),
		orgTarget,
		errors,
		{ required: false }
	);
	checkReferences('users.csv', users, 'orgSourcedIds', (u: RosterUser) => u.orgSourcedIds, orgTarget, errors);
	checkReferences(
		'classes.csv',
		classes,
		'schoolSourcedId',
		(c: RosterClass) => (c.schoolSourcedId ? [c.schoolSourcedId] : []),
		orgTarget,
		errors
	);
	checkReferences(
		'classes.csv',
		classes,
		'courseSourcedId',
		(c: RosterClass) => (c.courseSourcedId ? [c.courseSourcedId] : []),
		target('courses.csv', courses),
		errors
	);
	checkReferences(
		'classes.csv',
		classes,
		'termSourcedIds',
		(c: RosterClass) => c.termSourcedIds,
		target('academicSessions.csv', academicSessions),
		errors
	);
	checkReferences(
		'courses.csv',
		courses,
		'orgSourcedId',
		(c: Course) => (c.orgSourcedId ? [c.orgSourcedId] : []),
		orgTarget,
		errors
	);
	checkReferences(
		'enrollments.csv',
		enrollments,
		'classSourcedId',
		(e: Enrollment) => (e.classSourcedId ? [e.classSourcedId] : []),
		target('classes.csv', classes),
		errors
	);
	checkReferences(
		'enrollments.csv',
		enrollments,
		'userSourcedId',
		(e: Enrollment) => (e.userSourcedId ? [e.userSourcedId] : []),
		target('users.csv', users),
		errors
	);
	checkReferences(
		'enrollments.csv',
		enrollments,
		'schoolSourcedId',
		(e: Enrollment) => (e.schoolSourcedId ? [e.schoolSourcedId] : []),
		orgTarget,
		errors
	);

	// An enrollment's role must fit the person: a student is never enrolled to teach.
	const roles = new Map(users.map((user) => [user.sourcedId, user]));
	for (const enrollment of enrollments) {
		const user = roles.get(enrollment.userSourcedId);
		if (!user || !(USER_ROLES as readonly string[]).includes(user.role)) continue;
		if ((enrollment.role === 'student') !== (user.role === 'student')) {
			errors.push({
				file: 'enrollments.csv',
				line: enrollment.line,
				column: 'role',
				message: `role '${enrollment.role}' does not fit ${user.givenName} ${user.familyName}, who is a ${user.role} in users.csv`
			});
		}
	}

	const order: string[] = [...REQUIRED_FILES, ...OPTIONAL_FILES];
	errors.sort((a, b) => order.indexOf(a.file) - order.indexOf(b.file) || (a.line ?? 0) - (b.line ?? 0));
	return { roster: { modes, orgs, users, classes, enrollments, academicSessions, courses }, errors };
}
