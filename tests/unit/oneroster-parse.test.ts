import { describe, expect, it } from 'vitest';
import { describeRosterError, readCsv, type RosterError } from '../../src/lib/server/roster/oneroster/csv';
import { incomingFromOneRoster, NAME_LENGTH } from '../../src/lib/server/roster/oneroster/incoming';
import { gradeNumber, parseOneRoster } from '../../src/lib/server/roster/oneroster/parse';
import { parseStudentsCsv, plainGrade, splitName } from '../../src/lib/server/roster/oneroster/students-csv';
import { readUpload } from '../../src/lib/server/roster/oneroster/upload';
import { fixtureTexts } from '../support/oneroster';

const school = fixtureTexts('school');

/** The school fixture with one file's lines changed by `edit`. */
function withFile(name: string, edit: (lines: string[]) => string[]): Map<string, string> {
	const files = new Map(school);
	files.set(name, edit(school.get(name)!.split('\n')).join('\n'));
	return files;
}
/** Replace one data line (1 is the header) of a file. */
const replaceLine = (name: string, line: number, from: string, to: string) =>
	withFile(name, (lines) => lines.map((text, i) => (i === line - 1 ? text.replace(from, to) : text)));

const messages = (files: Map<string, string>) => parseOneRoster(files).errors.map(describeRosterError);

describe('parseOneRoster', () => {
	it('reads the school fixture: a school, two classes, 60 users, their enrollments', () => {
		const { roster, errors } = parseOneRoster(school);
		expect(errors).toEqual([]);
		expect(roster.orgs.map((o) => o.type)).toEqual(['district', 'school']);
		expect(roster.classes.map((c) => c.title)).toEqual(['Room 4A', 'Room 5B']);
		expect(roster.users).toHaveLength(60);
		expect(roster.users.filter((u) => u.role === 'student')).toHaveLength(56);
		expect(roster.enrollments).toHaveLength(60);
		expect(roster.users[0]).toMatchObject({
			sourcedId: 't-001',
			line: 2,
			email: 'hwhitaker@maplewood.school'
		});
		expect(roster.modes['users.csv']).toBe('bulk');
	});

	it.each<[string, Map<string, string>, string]>([
		[
			'a role that is not a OneRoster role',
			replaceLine('users.csv', 14, ',student,', ',studnt,'),
			"users.csv line 14: role 'studnt' is not a OneRoster role"
		],
		[
			'an empty given name',
			replaceLine('users.csv', 6, ',Adele,', ',,'),
			'users.csv line 6: givenName is empty; it is required'
		],
		[
			'a grade code that does not exist',
			replaceLine('users.csv', 7, ',04,', ',4th,'),
			"users.csv line 7: grades '4th' is not a grade code (KG, 01 … 12, PK, …)"
		],
		[
			'an org nobody lists',
			replaceLine('users.csv', 8, ',org-school,', ',org-nowhere,'),
			"users.csv line 8: orgSourcedIds 'org-nowhere' is not in orgs.csv"
		],
		[
			'a duplicate sourcedId',
			replaceLine('users.csv', 9, 's-004,', 's-003,'),
			"users.csv line 9: sourcedId 's-003' is also on line 8"
		],
		[
			'a status that is neither active nor tobedeleted',
			replaceLine('users.csv', 10, 's-005,,', 's-005,gone,'),
			"users.csv line 10: status 'gone' is not 'active' or 'tobedeleted'"
		],
		[
			'enabledUser that is not a boolean',
			replaceLine('users.csv', 11, ',true,', ',yes,'),
			"users.csv line 11: enabledUser 'yes' is not true or false"
		],
		[
			'an email that is not one',
			replaceLine('users.csv', 2, 'hwhitaker@maplewood.school', 'hwhitaker'),
			"users.csv line 2: email 'hwhitaker' is not an email address"
		],
		[
			'an enrollment in a class nobody lists',
			replaceLine('enrollments.csv', 3, ',class-4a,', ',class-9z,'),
			"enrollments.csv line 3: classSourcedId 'class-9z' is not in classes.csv"
		],
		[
			'an enrollment of someone nobody lists',
			replaceLine('enrollments.csv', 4, ',s-003,', ',s-999,'),
			"enrollments.csv line 4: userSourcedId 's-999' is not in users.csv"
		],
		[
			'a student enrolled to teach',
			replaceLine('enrollments.csv', 5, ',student,', ',teacher,'),
			"enrollments.csv line 5: role 'teacher' does not fit Delphine Delacroix, who is a student in users.csv"
		],
		[
			'a class type that does not exist',
			replaceLine('classes.csv', 2, ',homeroom,Room 12,', ',lecture,Room 12,'),
			"classes.csv line 2: classType 'lecture' is not homeroom or scheduled"
		],
		[
			'a class of a term nobody lists',
			replaceLine('classes.csv', 3, ',term-2027,', ',term-1999,'),
			"classes.csv line 3: termSourcedIds 'term-1999' is not in academicSessions.csv"
		],
		[
			'an org type that does not exist',
			replaceLine('orgs.csv', 3, ',school,', ',academy,'),
			"orgs.csv line 3: type 'academy' is not a OneRoster org type"
		],
		[
			'another OneRoster version',
			replaceLine('manifest.csv', 3, 'oneroster.version,1.1', 'oneroster.version,1.2'),
			"manifest.csv line 3: oneroster.version '1.2' is not 1.1, the version Podboard reads"
		],
		[
			'a missing column',
			withFile('users.csv', (lines) => [lines[0].replace('givenName', 'firstName'), ...lines.slice(1)]),
			"users.csv line 1: the header has no 'givenName' column"
		],
		[
			'an unclosed quote',
			replaceLine('users.csv', 20, ',true,', ',"true,'),
			'users.csv line 20: this is not readable CSV (Quote Not Closed: the parsing is finished with an opening quote)'
		],
		[
			'a course of an org nobody lists',
			replaceLine('courses.csv', 2, ',org-school,', ',org-nowhere,'),
			"courses.csv line 2: orgSourcedId 'org-nowhere' is not in orgs.csv"
		],
		[
			'a courses.csv without the orgSourcedId column of the binding',
			withFile('courses.csv', (lines) => [lines[0].replace('orgSourcedId', 'org'), ...lines.slice(1)]),
			"courses.csv line 1: the header has no 'orgSourcedId' column"
		],
		[
			'a dateLastModified that is not a date',
			replaceLine('orgs.csv', 2, 'org-district,,', 'org-district,,yesterday'),
			"orgs.csv line 2: dateLastModified 'yesterday' is not a date and time"
		]
	])('refuses %s, naming the file, line and column', (_, files, expected) => {
		expect(messages(files)).toContain(expected);
	});

	it.each(['manifest.csv', 'orgs.csv', 'users.csv', 'classes.csv', 'enrollments.csv'])('needs %s', (name) => {
		const files = new Map(school);
		files.delete(name);
		expect(messages(files)[0]).toMatch(new RegExp(`^${name}: the file is missing`));
	});

	it("reads a school information system's 1.1 export as written: quoted, CRLF, a BOM, every file of the binding", () => {
		const { roster, errors } = parseOneRoster(fixtureTexts('sis-export'));
		expect(errors).toEqual([]);
		expect(roster.courses.map((c) => [c.title, c.orgSourcedId])).toEqual([
			['Grade 4 Homeroom', '9f1c2e4a-5b6d-4e7f-8a9b-0c1d2e3f4a51'],
			['Grade 5 Homeroom', '9f1c2e4a-5b6d-4e7f-8a9b-0c1d2e3f4a51']
		]);
		expect(roster.academicSessions.map((s) => s.type)).toEqual(['schoolYear', 'semester', 'semester']);
		expect(roster.classes[0].termSourcedIds).toHaveLength(2);
		expect(roster.users.map((u) => u.role)).toEqual([
			'teacher',
			'teacher',
			'administrator',
			...Array(8).fill('student'),
			'guardian'
		]);
		expect(roster.users[0]).toMatchObject({ sourcedId: 'stf-10452', givenName: 'Lucía', line: 2 });
	});

	it('reads academicSessions.csv and courses.csv only when present', () => {
		const files = new Map(school);
		files.delete('academicSessions.csv');
		files.delete('courses.csv');
		const { roster, errors } = parseOneRoster(files);
		expect(errors).toEqual([]);
		expect(roster.courses).toEqual([]);
	});

	it('counts lines the way an editor does: CRLF, blank lines and quoted line breaks', () => {
		const errors: RosterError[] = [];
		const table = readCsv('x.csv', 'a,b\r\n1,2\r\n\r\n"multi\r\nline",3\r\n4,5\r\n', ['a', 'b'], errors);
		expect(errors).toEqual([]);
		expect(table!.rows.map((row) => [row.line, row.get('a')])).toEqual([
			[2, '1'],
			[4, 'multi\nline'],
			[6, '4']
		]);
	});
});

describe('a delta', () => {
	it('needs a status on every line and may name people listed earlier', () => {
		const delta = fixtureTexts('delta-tobedeleted');
		const { roster, errors } = parseOneRoster(delta);
		expect(errors).toEqual([]);
		expect(roster.users.map((u) => [u.sourcedId, u.status])).toEqual([['s-007', 'tobedeleted']]);
		const noStatus = new Map(delta);
		noStatus.set('users.csv', delta.get('users.csv')!.replace('tobedeleted', ''));
		expect(parseOneRoster(noStatus).errors.map(describeRosterError)).toEqual([
			'users.csv line 2: status is empty; a delta file needs active or tobedeleted on every line'
		]);
	});
});

describe('incomingFromOneRoster', () => {
	it('puts the students and teachers of the included classes in the pod, with grades and cohorts', () => {
		const incoming = incomingFromOneRoster(parseOneRoster(school).roster);
		const members = incoming.people.filter((p) => p.member);
		expect(members.filter((p) => p.kind === 'student')).toHaveLength(56);
		expect(members.filter((p) => p.kind === 'staff').map((p) => p.email)).toEqual([
			'hwhitaker@maplewood.school',
			'bokafor@maplewood.school',
			'cmbeki@maplewood.school'
		]);
		expect(incoming.people.find((p) => p.sourcedId === 's-030')).toMatchObject({
			grade: 5,
			cohort: 'Room 5B'
		});
		expect(incoming.classes).toEqual([
			{ sourcedId: 'class-4a', title: 'Room 4A', grades: '04', students: 28, teachers: 2, included: true },
			{ sourcedId: 'class-5b', title: 'Room 5B', grades: '05', students: 28, teachers: 2, included: true }
		]);
		expect(incoming.deactivateMissing).toBe(true);
	});

	it('leaves a skipped class out: its students are not members', () => {
		const incoming = incomingFromOneRoster(parseOneRoster(school).roster, ['class-5b']);
		expect(incoming.people.filter((p) => p.member && p.kind === 'student')).toHaveLength(28);
		expect(incoming.people.find((p) => p.sourcedId === 't-002')?.member).toBe(false);
		expect(incoming.people.find((p) => p.sourcedId === 't-003')?.member).toBe(true);
		expect(incoming.classes.map((c) => c.included)).toEqual([true, false]);
	});

	it("takes the class's grade when users.grades has none, and says so when neither has one", () => {
		const noGrade = replaceLine('users.csv', 6, ',04,', ',,');
		expect(
			incomingFromOneRoster(parseOneRoster(noGrade).roster).people.find((p) => p.sourcedId === 's-001')?.grade
		).toBe(4);
		const noClassGrade = new Map(noGrade);
		noClassGrade.set('classes.csv', noGrade.get('classes.csv')!.replace(',Room 4A,04,', ',Room 4A,,'));
		expect(
			incomingFromOneRoster(parseOneRoster(noClassGrade).roster).errors.map(describeRosterError)
		).toEqual(['users.csv line 6: grades is empty for Adele Arkwright, and their class has no single grade']);
	});
});

describe('names are kept whole, up to the length a name has when corrected by hand', () => {
	const long = 'W'.repeat(NAME_LENGTH + 1);
	it.each([
		['givenName', replaceLine('users.csv', 6, ',Adele,', `,${long},`), 6],
		['familyName', replaceLine('users.csv', 3, ',Okafor-Lane,', `,${long},`), 3]
	])('refuses a %s longer than that in users.csv, naming the line', (column, files, line) => {
		const { errors } = incomingFromOneRoster(parseOneRoster(files).roster);
		expect(errors).toEqual([
			{
				file: 'users.csv',
				line,
				column,
				message: `${column} is ${NAME_LENGTH + 1} characters long; Podboard keeps names of up to ${NAME_LENGTH}`
			}
		]);
	});

	it('takes a name of exactly that length, and ignores a guardian nobody imports', () => {
		const exact = replaceLine('users.csv', 6, ',Adele,', `,${'W'.repeat(NAME_LENGTH)},`);
		expect(incomingFromOneRoster(parseOneRoster(exact).roster).errors).toEqual([]);
		const administrator = replaceLine('users.csv', 5, ',Percival,', `,${long},`);
		expect(incomingFromOneRoster(parseOneRoster(administrator).roster).errors).toEqual([]);
	});

	it('refuses a longer name in a plain list too', () => {
		const { people, errors } = parseStudentsCsv('students.csv', `name,grade\nAna ${long},4\n`);
		expect(people).toEqual([]);
		expect(errors.map(describeRosterError)).toEqual([
			`students.csv line 2: the family name is ${NAME_LENGTH + 1} characters long; Podboard keeps names of up to ${NAME_LENGTH}`
		]);
	});
});

describe('grades and names', () => {
	it.each([
		['KG', 0],
		['01', 1],
		['12', 12],
		['PK', null],
		['13', null],
		['Other', null]
	])('OneRoster grade %s is %s', (code, grade) => {
		expect(gradeNumber(code)).toBe(grade);
	});

	it.each([
		['4', 4],
		['04', 4],
		['k', 0],
		['KG', 0],
		['12', 12],
		['13', null],
		['fourth', null],
		['', null]
	])('plain grade %j is %s', (text, grade) => {
		expect(plainGrade(text)).toBe(grade);
	});

	it.each([
		['Ana Ruiz', { givenName: 'Ana', familyName: 'Ruiz' }],
		['Mary Ann  Smith', { givenName: 'Mary Ann', familyName: 'Smith' }],
		['Ruiz, Ana María', { givenName: 'Ana María', familyName: 'Ruiz' }],
		['Cher', null],
		[', Ana', null]
	])('name %j', (name, expected) => {
		expect(splitName(name)).toEqual(expected);
	});
});

describe('parseStudentsCsv', () => {
	it.each<[string, string, string[]]>([
		['a clean list', 'Name,Grade,Cohort\nAna Ruiz,4,Cedar\n"Okoro, Ben",K,\n', []],
		['no cohort column', 'name,grade\nAna Ruiz,4\n', []],
		[
			'a missing grade',
			'name,grade\nAna Ruiz,\n',
			["students.csv line 2: grade '' is not a grade from K to 12"]
		],
		[
			'a single name',
			'name,grade\nCher,5\n',
			['students.csv line 2: name \'Cher\' needs a given and a family name, like "Ana Ruiz"']
		],
		[
			'the same student twice',
			'name,grade\nAna Ruiz,4\nana ruiz,5\n',
			['students.csv line 3: ana ruiz is also on line 2']
		],
		['no grade column', 'name,year\nAna Ruiz,4\n', ["students.csv line 1: the header has no 'grade' column"]]
	])('%s', (_, text, expected) => {
		expect(parseStudentsCsv('students.csv', text).errors.map(describeRosterError)).toEqual(expected);
	});

	it('reads names, grades and cohorts', () => {
		const { people } = parseStudentsCsv(
			'students.csv',
			'name,grade,cohort\nAna Ruiz,4,Cedar\n"Okoro, Ben",K,\n'
		);
		expect(people.map((p) => [p.givenName, p.familyName, p.grade, p.cohort, p.from.line])).toEqual([
			['Ana', 'Ruiz', 4, 'Cedar', 2],
			['Ben', 'Okoro', 0, null, 3]
		]);
	});
});

describe('readUpload', () => {
	const file = (name: string, text = 'a,b\n') => ({ name, bytes: new TextEncoder().encode(text) });
	it.each<[string, ReturnType<typeof file>[], string | null]>([
		['the OneRoster files', [file('manifest.csv'), file('users.csv')], 'oneroster'],
		['OneRoster names in another case', [file('Manifest.CSV'), file('USERS.csv')], 'oneroster'],
		['one plain list', [file('my class.csv')], 'students-csv'],
		['two plain lists', [file('a.csv'), file('b.csv')], null],
		['a PDF', [file('roster.pdf')], null],
		['a zip that is not one', [file('roster.zip', 'not a zip')], null]
	])('%s', (_, uploads, format) => {
		expect(readUpload(uploads).source?.format ?? null).toBe(format);
	});
});
