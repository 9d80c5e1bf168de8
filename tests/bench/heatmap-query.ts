// dashboard.heatmap through the whole HTTP stack, rotating over a few pods.
import { percentile, type BenchServer } from './server';

export async function measureHeatmap(
	server: BenchServer,
	cookie: string,
	podIds: string[],
	requests: number
) {
	const times: number[] = [];
	for (let i = 0; i < requests + 20; i++) {
		const podId = podIds[i % podIds.length];
		const start = performance.now();
		await server.query('dashboard.heatmap', { podId }, cookie);
		if (i >= 20) times.push(performance.now() - start); // the first 20 warm up caches
	}
	return { p50: percentile(times, 50), p95: percentile(times, 95), requests };
}
