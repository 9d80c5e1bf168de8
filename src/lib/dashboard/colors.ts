// The board's colours, from d3 scales. Browser-safe and pure.
//
// Progress runs along one single-hue lightness ramp (d3's Blues: light = untouched, dark =
// mastered), so it reads for every kind of colour vision and in greyscale; stuck steps out of
// the ramp in orange, the hue pair colour-blind readers tell apart best. Colour is never alone:
// every status also has its mark (see marks.ts).
import { scaleLinear, scaleOrdinal } from 'd3-scale';
import { interpolateBlues, interpolateOranges } from 'd3-scale-chromatic';
import type { AssignmentStatus } from '../domain';
import { STATUSES } from './words';

export const INK = '#1b2430';
export const WHITE = '#ffffff';

/** Where each status sits on its ramp (0–1). A projector washes light tints out: it gets darker ones. */
const RAMP: Record<'screen' | 'projector', Record<AssignmentStatus, number>> = {
	screen: { not_started: 0.04, in_progress: 0.3, stuck: 0.55, submitted: 0.6, mastered: 0.9 },
	projector: { not_started: 0.1, in_progress: 0.4, stuck: 0.62, submitted: 0.74, mastered: 0.97 }
};

const colorAt = (status: AssignmentStatus, t: number) =>
	status === 'stuck' ? interpolateOranges(t) : interpolateBlues(t);

/** Status → background colour. */
export function statusColor(projector: boolean) {
	const ramp = RAMP[projector ? 'projector' : 'screen'];
	return scaleOrdinal<AssignmentStatus, string>()
		.domain(STATUSES)
		.range(STATUSES.map((status) => colorAt(status, ramp[status])));
}

/** Share of a skill's activities done (0–1) → background colour, on the same ramp as the statuses. */
export function shareColor(projector: boolean) {
	const ramp = RAMP[projector ? 'projector' : 'screen'];
	const position = scaleLinear([0, 1], [ramp.not_started, ramp.mastered]).clamp(true);
	return (share: number) => interpolateBlues(position(share));
}

export interface Swatch {
	fill: string;
	/** The text and mark colour that reads best on `fill`. */
	ink: string;
}

/** Every status's fill and ink, for the grid's style and the legend. */
export function statusPalette(projector: boolean): Record<AssignmentStatus, Swatch> {
	const color = statusColor(projector);
	return Object.fromEntries(
		STATUSES.map((status) => [status, { fill: color(status), ink: inkOn(color(status)) }])
	) as Record<AssignmentStatus, Swatch>;
}

/** The relative luminance (WCAG) of "rgb(r, g, b)" or "#rrggbb". */
export function luminance(color: string): number {
	const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
	const rgb = /^rgb\(\s*(\d+),\s*(\d+),\s*(\d+)\s*\)$/.exec(color);
	const channels = hex ? hex.slice(1).map((h) => parseInt(h, 16)) : rgb ? rgb.slice(1).map(Number) : null;
	if (!channels) throw new Error(`Not a colour the board knows: ${color}`);
	const [r, g, b] = channels.map((c) => {
		const v = c / 255;
		return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
	});
	return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
	const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
	return (hi + 0.05) / (lo + 0.05);
}

/** White or the page's ink, whichever contrasts more with `fill`. */
export function inkOn(fill: string): string {
	return contrast(fill, WHITE) > contrast(fill, INK) ? WHITE : INK;
}
