// The server Playwright tests run against: the current build, on a fresh database every time.
import { rmSync } from 'node:fs';
import { ensureBuild } from './ensure-build.js';

rmSync('test-results/e2e-db', { recursive: true, force: true });
ensureBuild();
await import('../build/index.js');
