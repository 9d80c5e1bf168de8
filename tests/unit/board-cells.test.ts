import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packRows, unpackRows, type PackedCell } from '../../src/lib/dashboard/cells';

// The heatmap sends each student's cells as one line of text; the board must read back
// exactly the cells the server packed.
const status = fc.constantFrom('not_started', 'in_progress', 'stuck', 'submitted', 'mastered' as const);
const priority = fc.constantFrom('must', 'should', 'aspire' as const);
const students = 5;
const source = fc.constantFrom('checked', 'teacher', 'content', 'self' as const);
// A score comes with where it comes from; no score, no source.
const scored = fc.option(fc.tuple(fc.integer({ min: 0, max: 100 }), source), { nil: null });
const cellArb = fc
	.tuple(
		fc.integer({ min: 0, max: students - 1 }),
		fc.integer({ min: 0, max: 300 }),
		status,
		scored,
		priority
	)
	.map(([student, column, state, score, rank]): PackedCell => [
		student,
		column,
		state,
		score?.[0] ?? null,
		rank,
		score?.[1] ?? null
	]);

describe('the heatmap cell text', () => {
	it('reads back every cell packed, grouped by student', () => {
		fc.assert(
			fc.property(fc.array(cellArb, { maxLength: 60 }), (cells) => {
				const read = unpackRows(packRows(cells, students));
				const byStudent = [...cells].sort((a, b) => a[0] - b[0]);
				expect(read).toEqual(byStudent);
			})
		);
	});

	it('packs a cell as its column, a status letter, a priority capital, its score and its source', () => {
		expect(
			packRows(
				[
					[0, 12, 'mastered', 85, 'must', 'teacher'],
					[0, 13, 'in_progress', null, 'should', null],
					[2, 0, 'submitted', 70, 'aspire', 'self'],
					[2, 1, 'stuck', 0, 'aspire', 'checked']
				],
				3
			)
		).toEqual(['12mM85t,13pS', '', '0uA70s,1sA0c']);
	});
});
