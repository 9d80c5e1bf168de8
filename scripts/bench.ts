// `npm run bench`: Podboard's performance figures, printed, never asserted (machines are noisy).
// Starts the production build on a fresh demo database, on a free loopback port.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureBuild } from './ensure-build.js';

const BUDGET_KB = { student: 80, dashboard: 200 };

async function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const probe = createServer().listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => resolve(port));
		});
	});
}

async function startServer() {
	const folder = mkdtempSync(join(tmpdir(), 'podboard-bench-'));
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, ['build/index.js'], {
		env: {
			...process.env,
			PORT: String(port),
			ORIGIN: origin,
			DATABASE_URL: `file:${folder}/bench.sqlite`,
			PODBOARD_DEMO: '1'
		},
		stdio: ['ignore', 'pipe', 'inherit']
	});
	await new Promise<void>((resolve, reject) => {
		child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('Listening on') && resolve());
		child.on('exit', (code) => reject(new Error(`the server exited with ${code}`)));
	});
	return {
		origin,
		stop: () => {
			child.kill();
			rmSync(folder, { recursive: true, force: true });
		}
	};
}

async function post(origin: string, path: string, body: unknown, cookie = '') {
	const response = await fetch(`${origin}/api/trpc/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin, cookie },
		body: JSON.stringify(body)
	});
	if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
	return { cookie: response.headers.getSetCookie()[0]?.split(';')[0] ?? cookie, body: await response.json() };
}

async function get(origin: string, path: string, cookie: string) {
	const response = await fetch(`${origin}${path}`, { headers: { cookie } });
	if (!response.ok) throw new Error(`${path}: ${response.status}`);
	return response.text();
}

async function fetchJs(url: URL): Promise<string> {
	const response = await fetch(url);
	if (!response.ok) throw new Error(`${url.pathname}: ${response.status}`);
	return response.text();
}

/**
 * The JavaScript a page makes the browser load at first: SvelteKit's two entry modules, the
 * route's nodes (named in the page's start script), and everything those import statically,
 * read from what the server actually serves.
 */
async function shippedJs(origin: string, path: string, cookie: string) {
	const html = await get(origin, path, cookie);
	const pageUrl = new URL(path, origin);
	const entries = [...html.matchAll(/import\("([^"]+\.js)"\)/g)].map((m) => new URL(m[1], pageUrl));
	const nodeIds = (/node_ids: *\[([^\]]*)\]/.exec(html)?.[1] ?? '').split(',').map((id) => id.trim());
	const sources = new Map<string, string>();
	const visit = async (url: URL) => {
		if (sources.has(url.href)) return;
		const source = await fetchJs(url);
		sources.set(url.href, source);
		for (const match of source.matchAll(/(?:from|import)\s*["'`](\.{1,2}\/[^"'`]+\.js)["'`]/g))
			await visit(new URL(match[1], url));
	};
	for (const entry of entries) await visit(entry);
	// app.js loads every route's node lazily; the page needs only its own, whose files start with the id.
	for (const entry of entries) {
		for (const match of (sources.get(entry.href) ?? '').matchAll(
			/import\(["'`](\.{1,2}\/nodes\/(\d+)\.[^"'`]+\.js)["'`]\)/g
		)) {
			if (nodeIds.includes(match[2])) await visit(new URL(match[1], entry));
		}
	}
	let raw = 0;
	let gzipped = 0;
	for (const source of sources.values()) {
		raw += Buffer.byteLength(source);
		gzipped += gzipSync(source).length;
	}
	return { files: sources.size, rawKb: raw / 1024, gzipKb: gzipped / 1024 };
}

ensureBuild();
const server = await startServer();
try {
	const { origin } = server;
	const roster = await (
		await fetch(`${origin}/api/trpc/auth.joinRoster?input=${encodeURIComponent('{"joinCode":"DEMO42"}')}`)
	).json();
	const student = await post(origin, 'auth.studentJoin', {
		joinCode: 'DEMO42',
		studentId: roster.result.data.students[0].id,
		pictures: ['cat', 'sun', 'tree']
	});
	const lead = await post(origin, 'auth.staffLogin', {
		email: 'lead@demo.school',
		password: 'podboard-demo'
	});
	const pods = JSON.parse(await get(origin, '/api/trpc/pods.mine', lead.cookie));
	const podId = pods.result.data[0].id;

	const rows = [
		{ page: 'student /me', budget: BUDGET_KB.student, ...(await shippedJs(origin, '/me', student.cookie)) },
		{
			page: `dashboard /pods/[podId]`,
			budget: BUDGET_KB.dashboard,
			...(await shippedJs(origin, `/pods/${podId}`, lead.cookie))
		}
	];
	console.log('\nJavaScript a page ships at first load (gzip level 6, as a server would send it)');
	console.log('page                     files   raw KB   gzip KB   budget KB   of budget');
	for (const row of rows) {
		console.log(
			`${row.page.padEnd(24)} ${String(row.files).padStart(5)} ${row.rawKb.toFixed(1).padStart(8)} ${row.gzipKb
				.toFixed(1)
				.padStart(
					9
				)} ${String(row.budget).padStart(11)} ${`${((row.gzipKb / row.budget) * 100).toFixed(0)}%`.padStart(11)}`
		);
	}
} finally {
	server.stop();
}
