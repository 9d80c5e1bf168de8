// A shape for every status, so the board reads without colour: in greyscale, on a washed-out
// projector, for any colour vision. Drawn on a 16 × 16 grid. Browser-safe and pure.
import type { AssignmentStatus } from '../domain';
import { STATUSES } from './words';

export interface MarkPath {
	d: string;
	/** Stroke width; without it the path is filled. */
	stroke?: number;
	/** Fill rule even-odd: inner subpaths cut holes. */
	holes?: boolean;
}

const RING = 'M8 2.6a5.4 5.4 0 1 1 0 10.8a5.4 5.4 0 1 1 0-10.8z';

/** Every mark: a status's, and the skills view's work under the bar. */
export type MarkName = AssignmentStatus | 'below_bar';

/**
 * not started: an empty ring · in progress: a half-filled ring · stuck: a diamond with "!" ·
 * submitted: a check · mastered: a star · below the bar (skills view): an arrow down under a bar.
 */
export const MARKS: Record<MarkName, MarkPath[]> = {
	not_started: [{ d: RING, stroke: 1.8 }],
	in_progress: [{ d: RING, stroke: 1.8 }, { d: 'M8 2.6a5.4 5.4 0 0 0 0 10.8z' }],
	stuck: [{ d: 'M8 0.6 15.4 8 8 15.4 0.6 8z M7 3.9h2v5.4H7z M7 10.4h2v2H7z', holes: true }],
	submitted: [{ d: 'M2.8 8.4l3.4 3.4 7-7.4', stroke: 2.4 }],
	mastered: [{ d: 'M8 0.9l2.2 4.6 5 .6-3.7 3.5 1 5L8 12.2l-4.5 2.4 1-5L.8 6.1l5-.6z' }],
	below_bar: [{ d: 'M2.6 2.6h10.8 M8 5.4v8.4 M4.6 10.4 8 13.8l3.4-3.4', stroke: 2 }]
};

function pathMarkup(path: MarkPath, ink: string): string {
	const paint = path.stroke
		? `fill="none" stroke="${ink}" stroke-width="${path.stroke}" stroke-linecap="round" stroke-linejoin="round"`
		: `fill="${ink}"${path.holes ? ' fill-rule="evenodd"' : ''}`;
	return `<path d="${path.d}" ${paint}/>`;
}

/** The mark as a standalone SVG document, drawn in `ink` on transparent. */
export function markSvg(status: MarkName, ink = '#000'): string {
	const paths = MARKS[status].map((path) => pathMarkup(path, ink)).join('');
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">${paths}</svg>`;
}

/**
 * CSS custom properties holding each mark as a data URL in the ink that reads on its status's
 * fill: the grid's cells draw their mark as a background, with no element of their own.
 */
export function markProperties(inks: Record<AssignmentStatus, string>): string {
	return STATUSES.map(
		(status) =>
			`--mark-${status}: url("data:image/svg+xml,${encodeURIComponent(markSvg(status, inks[status]))}")`
	).join('; ');
}

/**
 * The skills view's below-the-bar mark sits on a fill of the share ramp, light or dark: both
 * inks, as --mark-below_bar-on-light and --mark-below_bar-on-dark.
 */
export function belowBarProperties(ink: string, white: string): string {
	const url = (color: string) =>
		`url("data:image/svg+xml,${encodeURIComponent(markSvg('below_bar', color))}")`;
	return `--mark-below_bar-on-light: ${url(ink)}; --mark-below_bar-on-dark: ${url(white)}`;
}
