// The production build, started on a database of the bench's choosing, on a free loopback port.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const probe = createServer().listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => resolve(port));
		});
	});
}

export interface BenchServer {
	origin: string;
	post(
		path: string,
		body: unknown,
		cookie?: string
	): Promise<{ cookie: string; body: { result: { data: unknown } } }>;
	get(path: string, cookie: string): Promise<string>;
	query<T>(procedure: string, input: unknown, cookie: string): Promise<T>;
	stop(): void;
}

export async function startServer(
	databaseUrl: string,
	demo: boolean,
	env: Record<string, string> = {}
): Promise<BenchServer> {
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, ['build/index.js'], {
		env: {
			...process.env,
			PORT: String(port),
			ORIGIN: origin,
			DATABASE_URL: databaseUrl,
			PODBOARD_DEMO: demo ? '1' : '0',
			...env
		},
		stdio: ['ignore', 'pipe', 'inherit']
	});
	await new Promise<void>((resolve, reject) => {
		child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('Listening on') && resolve());
		child.on('exit', (code) => reject(new Error(`the server exited with ${code}`)));
	});

	async function get(path: string, cookie: string) {
		const response = await fetch(`${origin}${path}`, { headers: { cookie } });
		if (!response.ok) throw new Error(`${path}: ${response.status}`);
		return response.text();
	}
	return {
		origin,
		get,
		async post(path, body, cookie = '') {
			const response = await fetch(`${origin}/api/trpc/${path}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', origin, cookie },
				body: JSON.stringify(body)
			});
			if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
			return {
				cookie: response.headers.getSetCookie()[0]?.split(';')[0] ?? cookie,
				body: await response.json()
			};
		},
		async query<T>(procedure: string, input: unknown, cookie: string) {
			const text = await get(
				`/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`,
				cookie
			);
			return (JSON.parse(text) as { result: { data: T } }).result.data;
		},
		stop: () => child.kill()
	};
}

/** p-th percentile (0–100) of a list of numbers. */
export function percentile(values: readonly number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
