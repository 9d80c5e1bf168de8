// The JavaScript a page makes the browser load at first, read from what the server serves.
import { gzipSync } from 'node:zlib';

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
export async function shippedJs(origin: string, path: string, cookie: string) {
	const html = await (await fetch(`${origin}${path}`, { headers: { cookie } })).text();
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
