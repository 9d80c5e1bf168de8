// Build the app when the build is missing or older than anything it is built from.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const sources = ['src', 'db', 'static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];

/** @param {string} path @returns {number} the newest modification time below path */
function newestChange(path) {
	if (!existsSync(path)) return 0;
	const stats = statSync(path);
	if (!stats.isDirectory()) return stats.mtimeMs;
	return Math.max(0, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

export function ensureBuild() {
	const marker = join(root, 'build', 'handler.js');
	const built = existsSync(marker) ? statSync(marker).mtimeMs : 0;
	if (built >= Math.max(...sources.map((s) => newestChange(join(root, s))))) return;
	console.log('Podboard: building the app (about a minute on a small machine)…');
	// Always the production build: under Vitest, NODE_ENV is "test", and a build made there
	// shipped Svelte's development code (a quarter more JavaScript) to the browser tests and the bench.
	const result = spawnSync('npx', ['vite', 'build'], {
		cwd: root,
		stdio: 'inherit',
		env: { ...process.env, NODE_ENV: 'production' }
	});
	if (result.status !== 0) {
		console.error('Podboard: the build failed; see the messages above.');
		process.exit(result.status ?? 1);
	}
}
