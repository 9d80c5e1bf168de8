// Vitest's global setup: the tests that start the production server (backup, crash safety)
// run in parallel workers; building here, once, keeps two builds from writing build/ at once.
import { ensureBuild } from '../../scripts/ensure-build.js';

export default function setup() {
	ensureBuild();
}
