// The order of a playlist: pure, so the page and the server agree on what a move means.

/** The list with the item at `from` taken out and put back at `to` (both 0-based, clamped). */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
	if (from < 0 || from >= list.length) return [...list];
	const target = Math.min(Math.max(to, 0), list.length - 1);
	const moved = [...list];
	const [item] = moved.splice(from, 1);
	moved.splice(target, 0, item);
	return moved;
}

/** True when `proposed` holds exactly the ids of `current`, each once, in any order. */
export function isSamePlaylist(current: readonly string[], proposed: readonly string[]): boolean {
	if (current.length !== proposed.length) return false;
	const remaining = new Set(current);
	for (const id of proposed) {
		if (!remaining.delete(id)) return false;
	}
	return remaining.size === 0;
}

/**
 * Positions 1..n for the ids in their new order, keeping only the rows whose position
 * actually changes: a move near the end of a long playlist writes a few rows, not all.
 */
export function positionChanges(
	orderedIds: readonly string[],
	currentPositions: ReadonlyMap<string, number>
): { id: string; position: number }[] {
	return orderedIds
		.map((id, index) => ({ id, position: index + 1 }))
		.filter(({ id, position }) => currentPositions.get(id) !== position);
}

/** What a screen reader hears after a move: "Fractions practice 3 moved to position 2 of 9". */
export function movedAnnouncement(title: string, index: number, count: number): string {
	return `${title} moved to position ${index + 1} of ${count}`;
}

/**
 * Where a dragged item lands: dropped on the item at `over`, in its upper half (`after` false)
 * or lower half (`after` true). The answer is the index to give moveItem.
 */
export function dropIndex(from: number, over: number, after: boolean): number {
	const gap = after ? over + 1 : over;
	return from < gap ? gap - 1 : gap;
}
