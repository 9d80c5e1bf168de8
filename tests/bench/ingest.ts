// progress.record through the whole stack (adapter-node → SvelteKit hooks → tRPC → zod →
// SQLite → flag rules → live fan-out) beside a bare node:http server that only reads the same
// JSON body and answers; both in a process of their own, both driven by the same keep-alive
// clients in one run. The ratio is the figure: the machine's noise cancels out of it.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { BenchServer } from './server';

export interface IngestStudent {
	cookie: string;
	/** The student's playlist: a device moves on to the next activity now and then. */
	assignmentIds: string[];
}

/** Events a student sends about one activity before moving on to the next, as in a work session. */
const EVENTS_PER_ACTIVITY = 20;

export interface Throughput {
	eventsPerSecond: number;
	batches: number;
	events: number;
	errors: number;
	seconds: number;
}

export interface IngestFigures {
	clients: number;
	batchSize: number;
	seconds: number;
	podboard: Throughput;
	bare: Throughput;
	/** Podboard's events per second ÷ the bare server's. */
	ratio: number;
}

// The bare server: read the whole body, parse it, acknowledge every eventId in a small reply.
const BARE_SERVER = `
import { createServer } from 'node:http';
const server = createServer((req, res) => {
	const chunks = [];
	req.on('data', (c) => chunks.push(c));
	req.on('end', () => {
		const { events } = JSON.parse(Buffer.concat(chunks).toString());
		const body = JSON.stringify({ result: { data: { acknowledged: events.map((e) => e.eventId) } } });
		res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
		res.end(body);
	});
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log('Listening on ' + server.address().port));
`;

async function startBareServer(): Promise<{ url: string; stop(): void }> {
	const child = spawn(process.execPath, ['--input-type=module', '-e', BARE_SERVER], {
		stdio: ['ignore', 'pipe', 'inherit']
	});
	const port = await new Promise<number>((resolve, reject) => {
		child.stdout.on('data', (chunk: Buffer) => {
			const match = /Listening on (\d+)/.exec(chunk.toString());
			if (match) resolve(Number(match[1]));
		});
		child.on('exit', (code) => reject(new Error(`the bare server exited with ${code}`)));
	});
	return { url: `http://127.0.0.1:${port}/api/trpc/progress.record`, stop: () => child.kill() };
}

function batch(assignmentId: string, size: number): string {
	const occurredAt = new Date().toISOString();
	return JSON.stringify({
		events: Array.from({ length: size }, () => ({
			eventId: randomUUID(),
			assignmentId,
			kind: 'progress',
			occurredAt
		}))
	});
}

/** One POST over the shared keep-alive agent; resolves with the events the answer acknowledged. */
function post(agent: Agent, url: URL, headers: Record<string, string>, body: string): Promise<number> {
	return new Promise((resolve) => {
		const req = request(
			url,
			{
				agent,
				method: 'POST',
				headers: {
					...headers,
					'content-type': 'application/json',
					'content-length': String(Buffer.byteLength(body))
				}
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => {
					if (res.statusCode !== 200) return resolve(-1);
					try {
						const answer = JSON.parse(Buffer.concat(chunks).toString()) as {
							result: { data: { acknowledged: string[] } };
						};
						resolve(answer.result.data.acknowledged.length);
					} catch {
						resolve(-1);
					}
				});
				res.on('error', () => resolve(-1));
			}
		);
		req.on('error', () => resolve(-1));
		req.end(body);
	});
}

/** Each client sends batch after batch, one at a time, for `seconds`; count acknowledged events. */
async function drive(
	url: string,
	origin: string,
	students: IngestStudent[],
	options: { clients: number; batchSize: number; seconds: number; warmupSeconds: number }
): Promise<Throughput> {
	const agent = new Agent({ keepAlive: true, maxSockets: options.clients });
	const target = new URL(url);
	let events = 0;
	let batches = 0;
	let errors = 0;
	const run = async (seconds: number, counting: boolean) => {
		const until = performance.now() + seconds * 1000;
		await Promise.all(
			Array.from({ length: options.clients }, async (_, c) => {
				const student = students[c % students.length];
				const headers = { origin, cookie: student.cookie };
				const batchesPerActivity = Math.max(1, EVENTS_PER_ACTIVITY / options.batchSize);
				let sent = 0;
				while (performance.now() < until) {
					const acknowledged = await post(
						agent,
						target,
						headers,
						batch(
							student.assignmentIds[Math.floor(sent++ / batchesPerActivity) % student.assignmentIds.length],
							options.batchSize
						)
					);
					if (!counting) continue;
					if (acknowledged < 0) errors++;
					else {
						events += acknowledged;
						batches++;
					}
				}
			})
		);
	};
	try {
		await run(options.warmupSeconds, false);
		const started = performance.now();
		await run(options.seconds, true);
		const seconds = (performance.now() - started) / 1000;
		return { eventsPerSecond: events / seconds, batches, events, errors, seconds };
	} finally {
		agent.destroy();
	}
}

export async function measureIngest(
	server: BenchServer,
	students: IngestStudent[],
	options: { clients: number; batchSize: number; seconds: number }
): Promise<IngestFigures> {
	const settings = { ...options, warmupSeconds: 2 };
	const podboard = await drive(
		`${server.origin}/api/trpc/progress.record`,
		server.origin,
		students,
		settings
	);
	const bareServer = await startBareServer();
	try {
		const bare = await drive(bareServer.url, server.origin, students, settings);
		return { ...options, podboard, bare, ratio: podboard.eventsPerSecond / bare.eventsPerSecond };
	} finally {
		bareServer.stop();
	}
}
