import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packRows, unpackRows, type PackedCell } from '../../src/lib/dashboard/cells';

// The heatmap sends each student's cells as one line of text; the board must read back
// exactly the cells the server packed.
const status = fc.constantFrom('not_started', 'in_progress', 'stuck', 'submitted', 'mastered' as const);
const priority = fc.constantFrom('must', 'should', 'aspire' as const);
const students = 5;
const cellArb = fc.tuple(
	fc.integer({ min: 0, max: students - 1 }),
	fc.integer({ min: 0, max: 300 }),
	status,
	fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
	priority
) as fc.Arbitrary<PackedCell>;

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

	it('packs a cell as its column, a status letter, a priority capital and its score', () => {
		expect(
			packRows(
				[
					[0, 12, 'mastered', 85, 'must'],
					[0, 13, 'in_progress', null, 'should'],
					[2, 0, 'stuck', 0, 'aspire']
				],
				3
			)
		).toEqual(['12mM85,13pS', '', '0sA0']);
	});
});
