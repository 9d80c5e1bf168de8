// The production build (build/index.js) as a child process on a free loopback port, with the
// handle a fault test needs: kill it with any signal and wait until it is gone. Real HTTP only.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { freePort } from '../bench/server';

export interface KillableServer {
	/** Where to send requests: plain HTTP on loopback. */
	origin: string;
	child: ChildProcess;
	/** All the server has printed, on stdout and stderr. */
	output(): string;
	/** A tRPC mutation; the raw response, so a caller sees exactly which answers were 200. */
	mutate(procedure: string, input: unknown, cookie?: string): Promise<Response>;
	query<T>(procedure: string, input: unknown, cookie?: string): Promise<T>;
	/** Send the signal and resolve once the process has exited. */
	kill(signal: NodeJS.Signals): Promise<void>;
}

export async function startKillableServer(
	databaseUrl: string,
	demo: boolean,
	/** `publicOrigin`: the address people would use (ORIGIN), as if a TLS proxy stood in front. */
	options: { publicOrigin?: (port: number) => string } = {}
): Promise<KillableServer> {
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	const publicOrigin = options.publicOrigin?.(port) ?? origin;
	const child = spawn(process.execPath, ['build/index.js'], {
		env: {
			...process.env,
			PORT: String(port),
			ORIGIN: publicOrigin,
			DATABASE_URL: databaseUrl,
			PODBOARD_DEMO: demo ? '1' : '0'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	let output = '';
	child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	let stderr = '';
	child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	await new Promise<void>((resolve, reject) => {
		child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('Listening on') && resolve());
		child.once('exit', (code, signal) =>
			reject(new Error(`the server exited (${code ?? signal}) before listening: ${stderr}`))
		);
	});

	const mutate = (procedure: string, input: unknown, cookie = '') =>
		fetch(`${origin}/api/trpc/${procedure}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: publicOrigin, cookie },
			body: JSON.stringify(input)
		});
	return {
		origin,
		child,
		output: () => output,
		mutate,
		async query<T>(procedure: string, input: unknown, cookie = '') {
			const response = await fetch(
				`${origin}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`,
				{ headers: { cookie } }
			);
			if (!response.ok) throw new Error(`${procedure}: ${response.status} ${await response.text()}`);
			return ((await response.json()) as { result: { data: T } }).result.data;
		},
		async kill(signal) {
			if (child.exitCode === null && child.signalCode === null) child.kill(signal);
			await exited;
		}
	};
}

/** A demo student signed in over HTTP (pod code DEMO42, cat sun tree), with their assignment ids. */
export async function signInDemoStudent(server: KillableServer, nth = 0) {
	const roster = await server.query<{ students: { id: string }[] }>('auth.joinRoster', {
		joinCode: 'DEMO42'
	});
	const response = await server.mutate('auth.studentJoin', {
		joinCode: 'DEMO42',
		studentId: roster.students[nth].id,
		pictures: ['cat', 'sun', 'tree']
	});
	if (!response.ok) throw new Error(`auth.studentJoin: ${response.status} ${await response.text()}`);
	const cookie = response.headers.getSetCookie()[0].split(';')[0];
	const playlist = await server.query<{ items: { id: string }[] }>('playlists.mine', undefined, cookie);
	return { cookie, assignmentIds: playlist.items.map((i) => i.id) };
}

/**
 * Keep sending progress.record batches of fresh event ids, one after another, until stopped or
 * until the server stops answering. Every event of a batch answered 200 goes into `acknowledged`.
 */
export function streamProgress(
	server: KillableServer,
	student: { cookie: string; assignmentIds: string[] },
	acknowledged: Set<string>,
	batchSize = 10
) {
	let stopped = false;
	let batches = 0;
	const done = (async () => {
		while (!stopped) {
			const events = Array.from({ length: batchSize }, (_, i) => ({
				eventId: randomUUID(),
				assignmentId: student.assignmentIds[(batches + i) % student.assignmentIds.length],
				kind: 'progress' as const,
				occurredAt: new Date().toISOString()
			}));
			let response: Response;
			try {
				response = await server.mutate('progress.record', { events }, student.cookie);
				// The answer is only an acknowledgement once it has been read in full.
				await response.arrayBuffer();
			} catch {
				return; // the server is gone
			}
			if (response.status !== 200) throw new Error(`progress.record answered ${response.status}`);
			for (const event of events) acknowledged.add(event.eventId);
			batches++;
		}
	})();
	return {
		stop: async () => {
			stopped = true;
			await done;
		},
		done,
		batches: () => batches
	};
}
