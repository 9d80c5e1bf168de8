// Live streams belong to the session that opened them: signing out (or a session expiring)
// ends them at once, rather than leaving a signed-out browser listening.

const streams = new Map<string, Set<AbortController>>();

/**
 * A signal that aborts when the request's own signal does or when the session ends. Call
 * `release` when the stream finishes.
 */
export function sessionStreamSignal(tokenHash: string, requestSignal: AbortSignal | undefined) {
	const controller = new AbortController();
	let owned = streams.get(tokenHash);
	if (!owned) streams.set(tokenHash, (owned = new Set()));
	owned.add(controller);
	const onRequestAbort = () => controller.abort();
	if (requestSignal?.aborted) controller.abort();
	requestSignal?.addEventListener('abort', onRequestAbort);
	return {
		signal: controller.signal,
		release() {
			requestSignal?.removeEventListener('abort', onRequestAbort);
			owned.delete(controller);
			if (owned.size === 0 && streams.get(tokenHash) === owned) streams.delete(tokenHash);
		}
	};
}

export function endSessionStreams(tokenHash: string): void {
	for (const controller of streams.get(tokenHash) ?? []) controller.abort();
	streams.delete(tokenHash);
}

/** Open streams, for tests and the bench: nothing may be left behind. */
export function openSessionStreams(): number {
	let total = 0;
	for (const owned of streams.values()) total += owned.size;
	return total;
}
