// How the student's page arranges a playlist: pure, so it is tested without a browser.
import { isDone } from '../progress/derive';
import type { AssignmentStatus, Priority, ProgressEventKind } from '../domain';

export interface StudentItem {
	id: string;
	position: number;
	priority: Priority;
	status: AssignmentStatus;
}

const PRIORITY_RANK: Record<Priority, number> = { must: 0, should: 1, aspire: 2 };

/**
 * What the page shows while actions wait in the outbox: the status they will lead to. The
 * server's own derivation replaces it once they are saved.
 */
export function statusWithPending(
	status: AssignmentStatus,
	pending: readonly ProgressEventKind[]
): AssignmentStatus {
	let shown = status;
	for (const kind of pending) {
		if (kind === 'submit') shown = shown === 'mastered' ? 'mastered' : 'submitted';
		else if (kind === 'stuck' && !isDone(shown)) shown = 'stuck';
		else if ((kind === 'start' || kind === 'progress') && !isDone(shown)) shown = 'in_progress';
		// What it was before the "Done" only the server knows: back to work until it answers.
		else if (kind === 'undo_submit' && isDone(shown)) shown = 'in_progress';
	}
	return shown;
}

/** Must-dos first, then should, then aim-high, each in the team's order; done work last. */
export function arrangeForStudent<T extends StudentItem>(
	items: readonly T[]
): { todo: T[]; done: T[]; next: T | null } {
	const todo = items
		.filter((item) => !isDone(item.status))
		.sort((a, b) => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || a.position - b.position);
	const done = items.filter((item) => isDone(item.status)).sort((a, b) => a.position - b.position);
	// What to do next: whatever is already under way, else the first thing to start.
	const next =
		todo.find((item) => item.status === 'in_progress' || item.status === 'stuck') ?? todo[0] ?? null;
	return { todo, done, next };
}

/**
 * The item the student is on: of those under way (in progress or stuck), the one they touched
 * last; none when nothing is under way. A raised hand is about it.
 */
export function workingOn<T extends StudentItem & { lastEventAt: string | null }>(
	items: readonly T[]
): T | null {
	let on: T | null = null;
	for (const item of items) {
		if (item.status !== 'in_progress' && item.status !== 'stuck') continue;
		if (!on || (item.lastEventAt ?? '') > (on.lastEventAt ?? '')) on = item;
	}
	return on;
}
