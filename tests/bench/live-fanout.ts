// From a student's event to every open board: N dashboards subscribed over SSE on loopback,
// one student recording progress; how long until each board hears of it.
import { randomUUID } from 'node:crypto';
import { percentile, type BenchServer } from './server';

interface Subscription {
	/** Arrival times (ms, performance.now) of progress messages, in order. */
	arrivals: number[];
	close(): void;
}

async function subscribe(server: BenchServer, podId: string, cookie: string): Promise<Subscription> {
	const controller = new AbortController();
	const input = encodeURIComponent(JSON.stringify({ podId }));
	const response = await fetch(`${server.origin}/api/trpc/dashboard.live?input=${input}`, {
		headers: { cookie, accept: 'text/event-stream' },
		signal: controller.signal
	});
	if (!response.ok || !response.body) throw new Error(`dashboard.live: ${response.status}`);
	const arrivals: number[] = [];
	const reader = response.body.getReader();
	const decoder = new TextDecoder();
	let buffer = '';
	void (async () => {
		try {
			for (;;) {
				const { value, done } = await reader.read();
				if (done) return;
				buffer += decoder.decode(value, { stream: true });
				let end: number;
				while ((end = buffer.indexOf('\n\n')) >= 0) {
					const message = buffer.slice(0, end);
					buffer = buffer.slice(end + 2);
					if (message.includes('"kind":"progress"')) arrivals.push(performance.now());
				}
			}
		} catch {
			// Closed by the bench.
		}
	})();
	return { arrivals, close: () => controller.abort() };
}

export async function measureFanout(
	server: BenchServer,
	options: {
		podId: string;
		/** One signed-in device per board: a session holds only a few live streams at a time. */
		staffCookies: string[];
		studentCookie: string;
		assignmentId: string;
		events: number;
	}
) {
	const boards = await Promise.all(
		options.staffCookies.map((cookie) => subscribe(server, options.podId, cookie))
	);
	await new Promise((resolve) => setTimeout(resolve, 500));
	const sentAt: number[] = [];
	for (let i = 0; i < options.events; i++) {
		sentAt.push(performance.now());
		await server.post(
			'progress.record',
			{
				events: [
					{
						eventId: randomUUID(),
						assignmentId: options.assignmentId,
						kind: 'progress',
						occurredAt: new Date().toISOString()
					}
				]
			},
			options.studentCookie
		);
		await new Promise((resolve) => setTimeout(resolve, 40));
	}
	await new Promise((resolve) => setTimeout(resolve, 1000));
	const latencies: number[] = [];
	let missed = 0;
	for (const board of boards) {
		for (let i = 0; i < options.events; i++) {
			if (board.arrivals[i] === undefined) missed++;
			else latencies.push(board.arrivals[i] - sentAt[i]);
		}
		board.close();
	}
	return {
		deliveries: latencies.length,
		missed,
		p50: percentile(latencies, 50),
		p99: percentile(latencies, 99),
		max: Math.max(...latencies)
	};
}
