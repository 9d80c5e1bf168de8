import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../src/lib/server/exports/csv';
import { configuredOrigin, uuidV5, verbFor } from '../../src/lib/server/exports/xapi';
import { withoutStudent } from '../../src/lib/server/student-data/data';

describe('a CSV cell', () => {
	it.each([
		['plain', 'plain'],
		['Zoë Núñez', 'Zoë Núñez'],
		['a, b', '"a, b"'],
		['say "hi"', '"say ""hi"""'],
		['two\nlines', '"two\nlines"'],
		['=1+1', "'=1+1"],
		['+44 20', "'+44 20"],
		['-3', "'-3"],
		['@SUM(A1)', "'@SUM(A1)"],
		['\tcmd', `"'\tcmd"`],
		['=A1,"x"', `"'=A1,""x"""`],
		['', ''],
		[null, ''],
		[42, '42'],
		[-3, '-3'],
		[Number.NaN, '']
	] as const)('%j → %j', (value, cell) => {
		expect(csvCell(value)).toBe(cell);
	});

	// A spreadsheet set to `;` (or tab) as its separator reads our commas and quotes as text: each
	// piece after a `;`, a tab or a line break starts a cell of its own, and must not be a formula.
	it.each([
		['x;y', '"x;y"'],
		['a\tb', '"a\tb"'],
		['x;=1+1', `"x;'=1+1"`],
		['x;+44 20', `"x;'+44 20"`],
		['3;-4', `"3;'-4"`],
		['x; @SUM(A1)', `"x;' @SUM(A1)"`],
		['x;"=1+1"', `"x;'""=1+1"""`],
		['a\t=1+1', `"a\t'=1+1"`],
		['x;\t=1', `"x;'\t'=1"`],
		['=1;=2', `"'=1;'=2"`],
		['two\n=lines', `"two\n'=lines"`],
		['a\r=1', `"a\r'=1"`],
		['x;y=1', '"x;y=1"']
	] as const)('with another separator: %j → %j', (value, cell) => {
		expect(csvCell(value)).toBe(cell);
	});

	it('no piece of a cell read with `;`, tab or line breaks as separators starts a formula', () => {
		const text = fc.string({
			unit: fc.constantFrom(';', '\t', '\r', '\n', '=', '+', '-', '@', '"', ' ', ',', 'x', '1'),
			maxLength: 12
		});
		fc.assert(
			fc.property(text, (value) => {
				const [first, ...pieces] = csvCell(value).split(/[;\t\r\n]/);
				expect(first).not.toMatch(/^"?[=+\-@\t\r]/);
				for (const piece of pieces) expect(piece).not.toMatch(/^[ "]*[=+\-@\t\r]/);
			}),
			{ numRuns: 500 }
		);
	});

	it('a file is a byte-order mark, then CRLF lines', () => {
		expect(toCsv(['A', 'B'], [['x', 1]])).toBe('\uFEFFA,B\r\nx,1\r\n');
	});
});

describe('xAPI', () => {
	it.each([
		['not_started', 'practice', null, null, null],
		['in_progress', 'practice', null, null, 'attempted'],
		['stuck', 'assessment', 10, null, 'attempted'],
		['submitted', 'practice', null, null, 'completed'],
		['submitted', 'practice', null, 90, 'completed'],
		['submitted', 'assessment', 10, null, 'completed'],
		['submitted', 'assessment', 10, 40, 'failed'],
		['submitted', 'practice', 20, 70, 'failed'],
		['mastered', 'assessment', 10, 90, 'passed'],
		['mastered', 'project', null, null, 'completed']
	] as const)('%s %s (max %s, score %s) → %s', (status, kind, maxScore, score, verb) => {
		expect(verbFor({ status, kind, maxScore, score })).toBe(verb);
	});

	it('a name-based UUID matches RFC 9562 (the DNS example) and is the same every time', () => {
		const dns = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
		expect(uuidV5('www.example.com', dns)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
		expect(uuidV5('a|b')).toBe(uuidV5('a|b'));
		expect(uuidV5('a|b')).not.toBe(uuidV5('a|c'));
	});

	it.each([
		[{}, 'http://localhost:3000'],
		[{ PORT: '8080' }, 'http://localhost:8080'],
		[{ ORIGIN: 'https://podboard.school.org/' }, 'https://podboard.school.org']
	])('the origin from %j is %s', (env, origin) => {
		expect(configuredOrigin(env)).toBe(origin);
	});
});

describe('a logged value without the student', () => {
	const id = '11111111-1111-4111-8111-111111111111';
	const other = '22222222-2222-4222-8222-222222222222';
	it.each([
		[{ studentIds: [id, other] }, { studentIds: [other] }],
		[{ openFlags: { [id]: 2, [other]: 1 } }, { openFlags: { [other]: 1 } }],
		[
			{ studentId: id, score: 3 },
			{ studentId: null, score: 3 }
		],
		[{ assignments: [{ studentId: id }, { studentId: other }] }, { assignments: [{ studentId: other }] }],
		[{ reason: 'Ada Byron asked for help' }, { reason: 'a student asked for help' }],
		[{ reason: 'ADA  byron, then Ada Byron again' }, { reason: 'a student, then a student again' }],
		[{ reason: 'Nada Byrons and Ada Byronson stay' }, { reason: 'Nada Byrons and Ada Byronson stay' }],
		[id, null]
	])('%j → %j', (value, clean) => {
		expect(withoutStudent(value, id, 'Ada Byron')).toEqual(clean);
	});
});
