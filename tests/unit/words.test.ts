import { describe, expect, it } from 'vitest';
import { dueInWords } from '../../src/lib/playlists/words';

describe('dueInWords', () => {
	// 2026-11-23 is a Monday.
	it.each([
		[null, null],
		['2026-11-23', 'due today'],
		['2026-11-24', 'due tomorrow'],
		['2026-11-26', 'due Thursday'],
		['2026-11-29', 'due Sunday'],
		['2026-11-30', 'due Nov 30'],
		['2026-12-03', 'due Dec 3'],
		['2026-11-20', 'was due Friday'],
		['2026-11-16', 'was due Nov 16']
	])('%s → %s', (dueOn, words) => {
		expect(dueInWords(dueOn, '2026-11-23')).toBe(words);
	});
});
