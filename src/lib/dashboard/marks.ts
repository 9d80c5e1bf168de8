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

/**
 * not started: an empty ring · in progress: a half-filled ring · stuck: a diamond with "!" ·
 * submitted: a check · mastered: a star.
 */
export const MARKS: Record<AssignmentStatus, MarkPath[]> = {
	not_started: [{ d: RING, stroke: 1.8 }],
	in_progress: [{ d: RING, stroke: 1.8 }, { d: 'M8 2.6a5.4 5.4 0 0 0 0 10.8z' }],
	stuck: [{ d: 'M8 0.6 15.4 8 8 15.4 0.6 8z M7 3.9h2v5.4H7z M7 10.4h2v2H7z', holes: true }],
	submitted: [{ d: 'M2.8 8.4l3.4 3.4 7-7.4', stroke: 2.4 }],
	mastered: [{ d: 'M8 0.9l2.2 4.6 5 .6-3.7 3.5 1 5L8 12.2l-4.5 2.4 1-5L.8 6.1l5-.6z' }]
};

function pathMarkup(path: MarkPath, ink: string): string {
	const paint = path.stroke
		? `fill="none" stroke="${ink}" stroke-width="${path.stroke}" stroke-linecap="round" stroke-linejoin="round"`
		: `fill="${ink}"${path.holes ? ' fill-rule="evenodd"' : ''}`;
	return `<path d="${path.d}" ${paint}/>`;
}

/** The mark as a standalone SVG document, drawn in `ink` on transparent. */
export function markSvg(status: AssignmentStatus, ink = '#000'): string {
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
