import { describe, expect, it } from 'vitest';
import type { AssignmentStatus } from '../../src/lib/server/db/schema';
import { cellName, shortNames } from '../../src/lib/dashboard/words';

describe("a cell's accessible name", () => {
	it.each<[{ status: AssignmentStatus; score: number | null } | null, string]>([
		[null, 'Ada Lovelace — Fractions practice: not assigned'],
		[{ status: 'not_started', score: null }, 'Ada Lovelace — Fractions practice: not started'],
		[{ status: 'in_progress', score: null }, 'Ada Lovelace — Fractions practice: in progress'],
		[{ status: 'stuck', score: null }, 'Ada Lovelace — Fractions practice: stuck'],
		[{ status: 'submitted', score: null }, 'Ada Lovelace — Fractions practice: submitted'],
		[{ status: 'submitted', score: 64 }, 'Ada Lovelace — Fractions practice: submitted, 64%'],
		[{ status: 'mastered', score: 100 }, 'Ada Lovelace — Fractions practice: mastered, 100%'],
		[{ status: 'mastered', score: 0 }, 'Ada Lovelace — Fractions practice: mastered, 0%'],
		[{ status: 'submitted', score: 66.666 }, 'Ada Lovelace — Fractions practice: submitted, 67%']
	])('%j reads "%s"', (cell, name) => {
		expect(cellName('Ada Lovelace', 'Fractions practice', cell)).toBe(name);
	});
});

describe('short names for the projector', () => {
	it.each<[string, string[], string[]]>([
		['first name and initial', ['Ada Lovelace', 'Ben Okafor'], ['Ada L.', 'Ben O.']],
		['a one-word name stays whole', ['Cher', 'Ada Lovelace'], ['Cher', 'Ada L.']],
		['a two-word family name', ['Maria de la Cruz'], ['Maria d.']],
		['clashing initials grow', ['Ada Lovelace', 'Ada Lamarr', 'Ada King'], ['Ada Lo.', 'Ada La.', 'Ada K.']],
		['until they differ', ['Sam Oliver', 'Sam Olsen'], ['Sam Oli.', 'Sam Ols.']],
		['a short family name ends without a dot', ['Li Wu', 'Li Wong'], ['Li Wu', 'Li Wo.']],
		['twins with one name read whole', ['Ana Silva', 'Ana Silva'], ['Ana Silva', 'Ana Silva']],
		['extra spaces are trimmed', ['  Ada   Lovelace '], ['Ada L.']]
	])('%s', (_, names, expected) => {
		const students = names.map((name, i) => ({ id: `s${i}`, name }));
		const short = shortNames(students);
		expect(students.map((s) => short.get(s.id))).toEqual(expected);
	});
});
