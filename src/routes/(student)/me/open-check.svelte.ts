import type { RouterOutputs } from '$lib/trpc';

/**
 * Which playlist item's check is open, and its result once scored. Kept here, not in the card:
 * a scored item moves from the list to do to the list done, and its card is made anew there.
 */
export const openCheck = $state<{
	assignmentId: string | null;
	result: RouterOutputs['checks']['submit'] | null;
}>({
	assignmentId: null,
	result: null
});

export function showCheck(assignmentId: string) {
	openCheck.assignmentId = assignmentId;
	openCheck.result = null;
}

export function closeCheck() {
	openCheck.assignmentId = null;
	openCheck.result = null;
}
