// The server Playwright tests run against: a fresh build on a fresh database, every time.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

rmSync('test-results/e2e-db', { recursive: true, force: true });
const build = spawnSync('npx', ['vite', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
await import('../build/index.js');
