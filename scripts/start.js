// `npm start`: build the app if the build is missing or older than the source, then serve it.
// Migrations and the demo seed run in the server's init hook (src/hooks.server.ts).
import { ensureBuild } from './ensure-build.js';

ensureBuild();
process.env.PORT ??= '3000';
process.env.ORIGIN ??= `http://localhost:${process.env.PORT}`;
await import('../build/index.js');
