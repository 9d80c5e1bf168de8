import qrcode from 'qrcode-generator';
import type { QrDrawing } from '../../cards/qr';

// The drawing's shape is browser-safe (src/lib/cards/qr.ts): the cards page prints it.
export type { QrDrawing };

const QUIET_ZONE = 4;

/**
 * Drawn on the server so the page ships no QR encoder. Error correction M: a card gets bent and
 * scribbled on, and a link of ~80 characters still fits a small code.
 */
export function drawQr(text: string): QrDrawing {
	const qr = qrcode(0, 'M');
	qr.addData(text, 'Byte');
	qr.make();
	const count = qr.getModuleCount();
	const parts: string[] = [];
	for (let row = 0; row < count; row++) {
		for (let col = 0; col < count; col++) {
			if (!qr.isDark(row, col)) continue;
			// Runs of dark modules in a row become one rectangle: a path a fifth the length.
			let run = 1;
			while (col + run < count && qr.isDark(row, col + run)) run++;
			parts.push(`M${col + QUIET_ZONE} ${row + QUIET_ZONE}h${run}v1h-${run}z`);
			col += run - 1;
		}
	}
	return { size: count + 2 * QUIET_ZONE, path: parts.join('') };
}
