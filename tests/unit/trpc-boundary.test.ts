import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// Domain code refuses with the plain classes of src/lib/server/errors.ts; only the tRPC layer
// (src/lib/server/trpc/) knows TRPCError and maps refusals to its codes, in one place.

const SERVER = join(import.meta.dirname, '../../src/lib/server');
const TRPC_LAYER = join(SERVER, 'trpc') + sep;

function sourceFiles(folder: string): string[] {
	return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
		const path = join(folder, entry.name);
		if (entry.isDirectory()) return sourceFiles(path);
		return /\.(ts|js)$/.test(entry.name) ? [path] : [];
	});
}

/** Files outside the tRPC layer that import TRPCError (or name it at all, say through a re-export). */
function filesUsingTRPCError(files: readonly string[]): string[] {
	return files
		.filter((file) => !file.startsWith(TRPC_LAYER))
		.filter((file) => /\bTRPCError\b/.test(readFileSync(file, 'utf8')))
		.map((file) => relative(SERVER, file));
}

describe('where TRPCError may be used', () => {
	it('walks the server code it means to', () => {
		const files = sourceFiles(SERVER).map((file) => relative(SERVER, file));
		expect(files).toContain(join('groups', 'groups.ts'));
		expect(files).toContain(join('trpc', 'procedures.ts'));
		expect(files.length).toBeGreaterThan(50);
	});

	it('is only the tRPC layer: domain code and routers throw the domain’s refusals', () => {
		expect(filesUsingTRPCError(sourceFiles(SERVER))).toEqual([]);
	});
});
