import fc from 'fast-check';

// Strings an attacker, a broken client or a cat on the keyboard sends: SQL and script that must
// stay text, NUL and lone surrogates the databases refuse, emoji, numbers and dates as words,
// and a few of 100,000 characters.

/** Characters in the longest hostile strings: far past any field's limit. */
export const HUGE_TEXT = 100_000;

/** A hostile string: most often a known troublemaker, sometimes huge, sometimes random bytes. */
export const hostileString = fc.oneof(
	{
		weight: 4,
		arbitrary: fc.constantFrom(
			"'; drop table users; --",
			"' OR '1'='1",
			'1; DELETE FROM sessions',
			'<script>alert(document.cookie)</script>',
			'<img src=x onerror=alert(1)>',
			'javascript:alert(1)',
			'\u0000',
			'before\u0000after',
			'😀🧑🏽‍🏫👩‍👩‍👧‍👦',
			'\u202Etxt.exe',
			'\uD800',
			'İı ǅ ﬁ',
			'../../../../etc/passwd',
			'${process.exit()}',
			'{{7*7}}',
			'',
			'   ',
			'\n\t\r',
			'NaN',
			'Infinity',
			'-1',
			'1e999',
			'0x1F',
			'null',
			'2026-02-30',
			'9999-99-99T99:99:99Z',
			'00000000-0000-0000-0000-000000000000',
			'ffffffff-ffff-ffff-ffff-ffffffffffff'
		)
	},
	{
		weight: 1,
		arbitrary: fc.constantFrom(
			'x'.repeat(HUGE_TEXT),
			'😀'.repeat(HUGE_TEXT / 2),
			'\u0000'.repeat(HUGE_TEXT),
			"'".repeat(HUGE_TEXT)
		)
	},
	{ weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) }
);
