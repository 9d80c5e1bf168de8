import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Browser code reads the API's types from $lib/trpc and the vocabulary from $lib/domain; the lint
// rule in eslint.config.js refuses any import into src/lib/server from it, type imports included.

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

/** The rules that refused `code` had it been the file at `path` (nothing is written). */
async function refusals(path: string, code: string): Promise<string[]> {
	const [result] = await eslint.lintText(code, { filePath: path });
	return result.messages.map((message) => message.ruleId ?? message.message);
}

const RULE = 'no-restricted-imports';

describe('browser code and the server', () => {
	it.each([
		[
			'a page helper, by $lib',
			'src/routes/(staff)/pods/[podId]/probe.ts',
			"import type { Flag } from '$lib/server/flags/flags';"
		],
		['a page helper, the whole folder', 'src/routes/probe.ts', "export { getDb } from '$lib/server';"],
		[
			'browser code in src/lib, relative',
			'src/lib/dashboard/probe.ts',
			"import type { Duty } from '../server/db/schema';"
		],
		['src/lib itself, relative', 'src/lib/probe.ts', "import { getDb } from './server/db';"],
		[
			'a route, relative into lib',
			'src/routes/probe.ts',
			"import type { Pod } from '../lib/server/db/schema';"
		]
	])('refuses %s', async (_, path, code) => {
		expect(await refusals(path, `${code}\nexport {};\n`)).toContain(RULE);
	});

	it.each([
		[
			'a load on the server',
			'src/routes/(staff)/pods/[podId]/+page.server.ts',
			"import { callerFor } from '$lib/server/trpc/caller';"
		],
		['an endpoint', 'src/routes/api/probe/+server.ts', "import { getDb } from '$lib/server/db';"],
		['the server itself', 'src/lib/server/probe.ts', "import { getDb } from './db';"],
		['the vocabulary', 'src/lib/dashboard/probe.ts', "import type { Duty } from '../domain';"]
	])('lets %s import as it needs', async (_, path, code) => {
		expect(await refusals(path, `${code}\nexport {};\n`)).not.toContain(RULE);
	});

	it('lets the typed client name the router as a type, and nothing else', async () => {
		const client = 'src/lib/trpc.ts';
		const typed = await refusals(
			client,
			"import type { AppRouter } from '$lib/server/trpc/router';\nexport type R = AppRouter;\n"
		);
		const value = await refusals(
			client,
			"import { appRouter } from '$lib/server/trpc/router';\nexport const r = appRouter;\n"
		);
		const other = await refusals(client, "import type { Db } from '$lib/server/db';\nexport type D = Db;\n");
		expect(typed).toEqual([]);
		expect(value).toContain(`@typescript-eslint/${RULE}`);
		expect(other).toContain(`@typescript-eslint/${RULE}`);
	});
});
