import { describe, expect, it } from 'vitest';
import {
	contrast,
	INK,
	inkOn,
	luminance,
	shareColor,
	statusColor,
	statusPalette,
	WHITE
} from '../../src/lib/dashboard/colors';
import { belowBarProperties, MARKS, markProperties, markSvg } from '../../src/lib/dashboard/marks';
import { STATUSES } from '../../src/lib/dashboard/words';

describe('status colours', () => {
	it.each([false, true])('are all different (projector: %s)', (projector) => {
		const color = statusColor(projector);
		expect(new Set(STATUSES.map((s) => color(s))).size).toBe(STATUSES.length);
	});

	it.each([false, true])(
		'get darker from not started to mastered, so they read in greyscale (projector: %s)',
		(projector) => {
			const color = statusColor(projector);
			const progress = (['not_started', 'in_progress', 'submitted', 'mastered'] as const).map((s) =>
				luminance(color(s))
			);
			expect([...progress].sort((a, b) => b - a)).toEqual(progress);
			// Steps a washed-out projector still shows: each at least 1.4 : 1 from the next.
			for (let i = 1; i < progress.length; i++) {
				expect((progress[i - 1] + 0.05) / (progress[i] + 0.05)).toBeGreaterThan(1.4);
			}
		}
	);

	it.each([false, true])('write every mark in ink that reads on its fill (projector: %s)', (projector) => {
		for (const { fill, ink } of Object.values(statusPalette(projector))) {
			expect(contrast(fill, ink)).toBeGreaterThanOrEqual(4.5);
		}
	});

	it('darkens the light end for a projector', () => {
		expect(luminance(statusColor(true)('not_started'))).toBeLessThan(
			luminance(statusColor(false)('not_started'))
		);
	});

	it.each([
		[0, 'not_started'],
		[1, 'mastered']
	] as const)('share %s of a skill done matches %s', (share, status) => {
		expect(shareColor(false)(share)).toBe(statusColor(false)(status));
	});

	it('makes a fuller share darker', () => {
		const color = shareColor(false);
		expect(luminance(color(0.25))).toBeGreaterThan(luminance(color(0.75)));
	});
});

describe('ink and contrast', () => {
	it.each([
		['#ffffff', INK],
		['#000000', WHITE],
		['rgb(239, 246, 252)', INK],
		['rgb(10, 74, 144)', WHITE]
	])('on %s the ink is %s', (fill, ink) => {
		expect(inkOn(fill)).toBe(ink);
	});

	it.each([
		['#ffffff', '#000000', 21],
		['#777777', '#777777', 1]
	])('%s on %s contrasts %s : 1', (a, b, ratio) => {
		expect(contrast(a, b)).toBeCloseTo(ratio, 1);
	});

	it('refuses what is not a colour', () => {
		expect(() => luminance('blue')).toThrow(/blue/);
	});
});

describe('status marks', () => {
	it.each(STATUSES)('%s has a mark of its own', (status) => {
		expect(MARKS[status].length).toBeGreaterThan(0);
		expect(markSvg(status)).toMatch(
			/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 16 16">.*<\/svg>$/
		);
	});

	it('draws every status differently', () => {
		expect(new Set(STATUSES.map((s) => markSvg(s))).size).toBe(STATUSES.length);
	});

	it('draws work under the bar unlike any status, in both inks', () => {
		const marks = [...STATUSES, 'below_bar' as const].map((s) => markSvg(s));
		expect(new Set(marks).size).toBe(STATUSES.length + 1);
		const properties = belowBarProperties('#1b2430', '#ffffff');
		expect(properties).toContain(`--mark-below_bar-on-light: url("data:image/svg+xml,`);
		expect(properties).toContain(encodeURIComponent('stroke="#ffffff"'));
	});

	it('draws a mark in the ink it is given', () => {
		expect(markSvg('mastered', '#ffffff')).toContain('fill="#ffffff"');
		expect(markSvg('submitted', '#1b2430')).toContain('stroke="#1b2430"');
	});

	it('hands CSS one data URL per status, each in its ink', () => {
		const inks = Object.fromEntries(
			Object.entries(statusPalette(false)).map(([status, swatch]) => [status, swatch.ink])
		) as Parameters<typeof markProperties>[0];
		const properties = markProperties(inks);
		expect(properties).toContain(encodeURIComponent('fill="#ffffff"'));
		for (const status of STATUSES) expect(properties).toContain(`--mark-${status}: url("data:image/svg+xml,`);
		// Inside each url("…") nothing CSS would stumble on: no quotes, no angle brackets.
		for (const [, url] of properties.matchAll(/url\("([^)]*)"\)/g)) expect(url).not.toMatch(/[<>"]/);
		expect([...properties.matchAll(/url\(/g)]).toHaveLength(STATUSES.length);
	});
});
