import qrcode from 'qrcode-generator';
import { describe, expect, it } from 'vitest';
import { drawQr } from '../../src/lib/server/cards/qr';

// The card's QR code is drawn as runs of dark modules; read back, the runs must be exactly the
// modules the encoder made dark, inside a 4-module quiet zone.

function darkModulesOf(path: string): Set<string> {
	const dark = new Set<string>();
	for (const [, x, y, run] of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\3z/g)) {
		for (let i = 0; i < Number(run); i++) dark.add(`${Number(x) + i},${y}`);
	}
	return dark;
}

describe('a card’s QR code', () => {
	it.each([
		['a card link', `http://localhost:3000/join/card/${'A'.repeat(43)}`],
		[
			'a long school address',
			`https://podboard.riverside-elementary.school.org/join/card/${'z_-9'.repeat(11).slice(0, 43)}`
		],
		['a short text', 'x']
	])('draws %s module for module', (_what, text) => {
		const reference = qrcode(0, 'M');
		reference.addData(text, 'Byte');
		reference.make();
		const count = reference.getModuleCount();
		const drawing = drawQr(text);
		expect(drawing.size).toBe(count + 8);
		expect(drawing.path).toMatch(/^(M\d+ \d+h\d+v1h-\d+z)+$/);
		const expected = new Set<string>();
		for (let row = 0; row < count; row++)
			for (let col = 0; col < count; col++)
				if (reference.isDark(row, col)) expected.add(`${col + 4},${row + 4}`);
		expect(darkModulesOf(drawing.path)).toEqual(expected);
	});
});
