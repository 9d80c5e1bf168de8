import { describe, expect, it } from 'vitest';
import { fieldWithBadText } from '../../src/lib/server/trpc/procedures';

describe('finding a character that is not text in an input', () => {
	it('names the field that holds a NUL, however deep', () => {
		expect(fieldWithBadText({ podId: 'a', reason: 'stuck\0' })?.field).toBe('reason');
		expect(fieldWithBadText({ events: [{ note: 'ok' }, { note: 'ok' }, { note: '\0' }] })?.field).toBe(
			'events.2.note'
		);
		expect(fieldWithBadText('\0')?.field).toBe('the input');
		expect(fieldWithBadText({ ['bad\0key']: 1 })?.field).toBe('"bad\\u0000key"');
	});

	it.each([
		['a NUL', 'before\u0000after', /NUL character/],
		['an escape (terminal colours)', '\u001b[31mred', /control character \(U\+001B\)/],
		['a vertical tab', 'a\u000Bb', /control character \(U\+000B\)/],
		['DEL', 'x\u007F', /control character \(U\+007F\)/],
		['a C1 control', 'x\u0085', /control character \(U\+0085\)/],
		['a right-to-left override', 'Ana\u202Efdp.exe', /text-direction control \(U\+202E\)/],
		['a left-to-right isolate', '\u2066Ana', /text-direction control \(U\+2066\)/],
		['a lone high surrogate', 'Ana\uD83D', /half of an emoji or symbol \(U\+D83D\)/],
		['a lone low surrogate', '\uDE00Ana', /half of an emoji or symbol \(U\+DE00\)/]
	])('refuses %s, saying what it found', (_what, text, found) => {
		expect(fieldWithBadText({ name: text })).toEqual({ field: 'name', found: expect.stringMatching(found) });
	});

	it.each([
		['SQL that stays text', "'; drop table users; --"],
		['emoji, whole', '😀🧑🏽‍🏫👩‍👩‍👧‍👦'],
		['tabs and line breaks in a note', 'line one\r\n\tline two\n'],
		['letters of every script', 'İı ǅ ﬁ Łódź 東京 مرحبا שלום'],
		['right-to-left marks a Hebrew or Arabic name may carry', '\u200Fשלום\u200E'],
		['a backslash and a zero', '\\0 is only a backslash and a zero']
	])('passes %s', (_what, text) => {
		expect(fieldWithBadText({ text, n: 0, empty: null, list: [1, true, [text]] })).toBeNull();
	});

	it('passes values that are not text', () => {
		expect(fieldWithBadText(undefined)).toBeNull();
		expect(fieldWithBadText([1, true, null, { n: 2 }])).toBeNull();
	});

	it('walks ten thousand levels of nesting without running out of stack', () => {
		let deep: unknown = '\0';
		for (let i = 0; i < 10_000; i++) deep = [deep];
		expect(fieldWithBadText(deep)?.field).toMatch(/^0(\.0){9999}$/);
	});
});
