import { describe, expect, it } from 'vitest';
import { assignedSentence, previewSentence } from '../../src/lib/playlists/bulk';
import {
	dropIndex,
	isSamePlaylist,
	movedAnnouncement,
	moveItem,
	positionChanges
} from '../../src/lib/playlists/order';

describe('moveItem', () => {
	it.each([
		['down one', ['a', 'b', 'c'], 0, 1, ['b', 'a', 'c']],
		['up one', ['a', 'b', 'c'], 2, 1, ['a', 'c', 'b']],
		['to the top', ['a', 'b', 'c', 'd'], 3, 0, ['d', 'a', 'b', 'c']],
		['to the end', ['a', 'b', 'c', 'd'], 0, 3, ['b', 'c', 'd', 'a']],
		['nowhere', ['a', 'b'], 1, 1, ['a', 'b']],
		['past the end: clamped', ['a', 'b', 'c'], 0, 9, ['b', 'c', 'a']],
		['above the top: clamped', ['a', 'b', 'c'], 2, -1, ['c', 'a', 'b']],
		['from outside the list: unchanged', ['a', 'b'], 5, 0, ['a', 'b']]
	])('%s', (_name, list, from, to, expected) => {
		expect(moveItem(list, from, to)).toEqual(expected);
	});

	it('leaves the original list alone', () => {
		const list = ['a', 'b'];
		moveItem(list, 0, 1);
		expect(list).toEqual(['a', 'b']);
	});
});

describe('dropIndex', () => {
	// Dragging 'b' (index 1) in ['a', 'b', 'c', 'd'].
	it.each([
		['onto the top half of the first item', 0, false, 0, ['b', 'a', 'c', 'd']],
		['onto the bottom half of the first item', 0, true, 1, ['a', 'b', 'c', 'd']],
		['onto itself', 1, false, 1, ['a', 'b', 'c', 'd']],
		['onto the top half of the next item', 2, false, 1, ['a', 'b', 'c', 'd']],
		['onto the bottom half of the next item', 2, true, 2, ['a', 'c', 'b', 'd']],
		['onto the bottom half of the last item', 3, true, 3, ['a', 'c', 'd', 'b']]
	])('%s', (_name, over, after, index, order) => {
		expect(dropIndex(1, over, after)).toBe(index);
		expect(moveItem(['a', 'b', 'c', 'd'], 1, index)).toEqual(order);
	});
});

describe('isSamePlaylist', () => {
	it.each([
		['the same order', ['a', 'b', 'c'], ['a', 'b', 'c'], true],
		['a permutation', ['a', 'b', 'c'], ['c', 'a', 'b'], true],
		['both empty', [], [], true],
		['one missing', ['a', 'b', 'c'], ['a', 'b'], false],
		['one extra', ['a', 'b'], ['a', 'b', 'c'], false],
		['one swapped for another', ['a', 'b', 'c'], ['a', 'b', 'x'], false],
		['a duplicate hiding a missing one', ['a', 'b', 'c'], ['a', 'a', 'b'], false]
	])('%s → %s', (_name, current, proposed, same) => {
		expect(isSamePlaylist(current, proposed)).toBe(same);
	});
});

describe('positionChanges', () => {
	const positions = (entries: [string, number][]) => new Map(entries);

	it.each([
		[
			'nothing moved',
			['a', 'b', 'c'],
			[
				['a', 1],
				['b', 2],
				['c', 3]
			],
			[]
		],
		[
			'two swapped',
			['a', 'c', 'b'],
			[
				['a', 1],
				['b', 2],
				['c', 3]
			],
			[
				{ id: 'c', position: 2 },
				{ id: 'b', position: 3 }
			]
		],
		[
			'a gap closed after a removal',
			['a', 'c', 'd'],
			[
				['a', 1],
				['c', 3],
				['d', 4]
			],
			[
				{ id: 'c', position: 2 },
				{ id: 'd', position: 3 }
			]
		],
		['positions starting at 0 renumbered from 1', ['a'], [['a', 0]], [{ id: 'a', position: 1 }]]
	] as [string, string[], [string, number][], { id: string; position: number }[]][])(
		'%s',
		(_name, order, current, expected) => {
			expect(positionChanges(order, positions(current))).toEqual(expected);
		}
	);
});

describe('what the pages say', () => {
	it.each([
		['Fractions practice 3', 1, 9, 'Fractions practice 3 moved to position 2 of 9'],
		['Quiz: food webs', 0, 1, 'Quiz: food webs moved to position 1 of 1']
	])('%s to index %i of %i', (title, index, count, words) => {
		expect(movedAnnouncement(title, index, count)).toBe(words);
	});

	it.each([
		[12, 3, '12 students will get Quiz: adding fractions; 3 already have it'],
		[12, 0, '12 students will get Quiz: adding fractions'],
		[1, 1, '1 student will get Quiz: adding fractions; 1 already has it'],
		[0, 15, 'Nobody new would get Quiz: adding fractions; all 15 already have it'],
		[0, 1, 'Nobody new would get Quiz: adding fractions; the 1 student already has it'],
		[0, 0, 'Nobody would get Quiz: adding fractions']
	])('preview: %i will get, %i already have', (willGet, alreadyHave, words) => {
		expect(previewSentence('Quiz: adding fractions', willGet, alreadyHave)).toBe(words);
	});

	it.each([
		[12, 3, 'Assigned Quiz: adding fractions to 12 students (3 already had it)'],
		[1, 0, 'Assigned Quiz: adding fractions to 1 student'],
		[0, 7, 'Nobody new got Quiz: adding fractions']
	])('assigned: %i got, %i already had', (got, alreadyHad, words) => {
		expect(assignedSentence('Quiz: adding fractions', got, alreadyHad)).toBe(words);
	});
});
