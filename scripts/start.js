// `npm start`: build the app if the build is missing or older than the source, then serve it.
// Migrations and the demo seed run in the server's init hook (src/hooks.server.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const buildMarker = join(root, 'build', 'handler.js');
const sources = ['src', 'db', 'static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];

function newestChange(path) {
	if (!existsSync(path)) return 0;
	const stats = statSync(path);
	if (!stats.isDirectory()) return stats.mtimeMs;
	return Math.max(0, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

const built = existsSync(buildMarker) ? statSync(buildMarker).mtimeMs : 0;
if (built < Math.max(...sources.map((s) => newestChange(join(root, s))))) {
	console.log('Podboard: building the app (about a minute on a small machine)…');
	const result = spawnSync('npx', ['vite', 'build'], { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) {
		console.error('Podboard: the build failed; see the messages above.');
		process.exit(result.status ?? 1);
	}
}

process.env.PORT ??= '3000';
process.env.ORIGIN ??= `http://localhost:${process.env.PORT}`;
await import(join(root, 'build', 'index.js'));
