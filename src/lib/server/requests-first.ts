// Background work (the flag sweep) runs on the same thread as the requests people are waiting
// for. It goes in small steps, and takes a step only when no request is being answered.

let answering = 0;

/** Count a request from the moment it arrives until its answer is ready. */
export async function whileAnswering<T>(answer: () => Promise<T>): Promise<T> {
	answering++;
	try {
		return await answer();
	} finally {
		answering--;
	}
}

const turn = () => new Promise((resume) => setImmediate(resume));
const pause = (ms: number) => new Promise((resume) => setTimeout(resume, ms));

/**
 * Wait until no request is being answered before the next step of background work, but never
 * longer than `patienceMs`: a server that is never idle still gets its sweep done.
 */
export async function whenNoRequestWaits(patienceMs = 200): Promise<void> {
	await turn(); // requests that have already arrived go first
	const until = Date.now() + patienceMs;
	while (answering > 0 && Date.now() < until) await pause(1);
}
