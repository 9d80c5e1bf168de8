// A server Playwright tests run against: the current build, on a fresh database every time. Each
// lane of the browser tests has its own (playwright.config.ts): DATABASE_URL's folder is this
// server's alone, and is emptied first.
import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ensureBuild } from './ensure-build.js';

const url = process.env.DATABASE_URL ?? '';
if (!url.startsWith('file:')) {
	throw new Error(
		`scripts/e2e-server.js: DATABASE_URL must be file:<a folder of its own>/<name>.sqlite, not "${url}"`
	);
}
rmSync(dirname(resolve(url.slice('file:'.length))), { recursive: true, force: true });
ensureBuild();
await import('../build/index.js');
