// The plain list for schools without OneRoster: one student a line, `name,grade[,cohort]`.
import { readCsv, type RosterError } from './csv';
import { nameTooLong, type IncomingPerson } from './incoming';

/** "4", "04", "K" or "KG" → 4, 4, 0, 0; anything else is null. */
export function plainGrade(value: string): number | null {
	const text = value.trim().toUpperCase();
	if (text === 'K' || text === 'KG') return 0;
	if (!/^\d{1,2}$/.test(text)) return null;
	const grade = Number(text);
	return grade <= 12 ? grade : null;
}

/** "Ana Ruiz" → Ana / Ruiz; "Ruiz, Ana María" → Ana María / Ruiz; the last word is the family name. */
export function splitName(name: string): { givenName: string; familyName: string } | null {
	const comma = name.indexOf(',');
	if (comma >= 0) {
		const familyName = name.slice(0, comma).trim();
		const givenName = name.slice(comma + 1).trim();
		return givenName && familyName ? { givenName, familyName } : null;
	}
	const words = name.trim().split(/\s+/);
	if (words.length < 2) return null;
	return { givenName: words.slice(0, -1).join(' '), familyName: words[words.length - 1] };
}

export function parseStudentsCsv(
	file: string,
	text: string
): { people: IncomingPerson[]; errors: RosterError[] } {
	const errors: RosterError[] = [];
	const people: IncomingPerson[] = [];
	const lower = text.replace(/^\uFEFF?([^\n]*)/, (_, header: string) => header.toLowerCase());
	const table = readCsv(file, lower, ['name', 'grade'], errors);
	if (!table) return { people, errors };
	const seen = new Map<string, number>();
	for (const row of table.rows) {
		const fail = (column: string, message: string) => errors.push({ file, line: row.line, column, message });
		const raw = row.get('name');
		const name = splitName(raw);
		if (!name)
			fail('name', raw ? `name '${raw}' needs a given and a family name, like "Ana Ruiz"` : 'name is empty');
		const tooLong =
			name &&
			(nameTooLong('the given name', name.givenName) ?? nameTooLong('the family name', name.familyName));
		if (tooLong) fail('name', tooLong);
		const grade = plainGrade(row.get('grade'));
		if (grade === null) fail('grade', `grade '${row.get('grade')}' is not a grade from K to 12`);
		const cohort = row.get('cohort');
		if (cohort.length > 60) fail('cohort', 'cohort is longer than 60 characters');
		if (!name || grade === null || tooLong) continue;
		const key = `${name.givenName} ${name.familyName}`.toLowerCase();
		const earlier = seen.get(key);
		if (earlier !== undefined)
			fail('name', `${name.givenName} ${name.familyName} is also on line ${earlier}`);
		seen.set(key, row.line);
		people.push({
			kind: 'student',
			sourcedId: null,
			...name,
			email: null,
			grade,
			cohort: cohort || null,
			active: true,
			member: true,
			from: { file, line: row.line }
		});
	}
	return { people, errors };
}
