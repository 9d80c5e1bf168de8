import { describe, expect, it } from 'vitest';
import { fieldWithNul } from '../../src/lib/server/trpc/procedures';

describe('finding a NUL character in an input', () => {
	it('names the field that holds one, however deep', () => {
		expect(fieldWithNul({ podId: 'a', reason: 'stuck\0' })).toBe('reason');
		expect(fieldWithNul({ events: [{ note: 'ok' }, { note: 'ok' }, { note: '\0' }] })).toBe('events.2.note');
		expect(fieldWithNul('\0')).toBe('the input');
		expect(fieldWithNul({ ['bad\0key']: 1 })).toBe('"bad\\u0000key"');
	});

	it('passes text without one, and values that are not text', () => {
		expect(fieldWithNul({ reason: "'; drop table users; --", emoji: '😀', n: 0, empty: null })).toBeNull();
		expect(fieldWithNul(undefined)).toBeNull();
		expect(fieldWithNul([1, true, ['\\0 is only a backslash and a zero']])).toBeNull();
	});

	it('walks ten thousand levels of nesting without running out of stack', () => {
		let deep: unknown = '\0';
		for (let i = 0; i < 10_000; i++) deep = [deep];
		expect(fieldWithNul(deep)).toMatch(/^0(\.0){9999}$/);
	});
});
