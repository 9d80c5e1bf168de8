// Hostile input at every procedure, over real HTTP: values of the wrong type; fields stuffed
// with huge, SQL-looking, script, NUL and emoji strings, absurd numbers, deep nesting,
// 10,000-item arrays and prototype-pollution keys; bodies that are not JSON at all. Each answer
// is a 4xx tRPC error a person can read (never a 500), and the database is unchanged afterwards.
// Then, against the production build: a request body over the size limit is refused.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEMO } from '../../db/seed/demo';
import { ensureBuild } from '../../scripts/ensure-build.js';
import { SESSION_COOKIE } from '../../src/lib/server/auth/sessions';
import { createDb } from '../../src/lib/server/db';
import { isoNow } from '../../src/lib/server/ids';
import { appRouter } from '../../src/lib/server/trpc/router';
import { freshDatabaseUrl } from '../support/database';
import { HUGE_TEXT, hostileString } from '../support/hostile-values';
import { startKillableServer, type KillableServer } from '../support/killable-server';
import {
	createTestPod,
	databaseDigest,
	listProcedures,
	startApiServer,
	type ProcedureEntry,
	type TestPod
} from '../support/pod';

const SEED = 42;
/** Node refuses a request line over its 16 KB header limit (431) before any code of ours runs. */
const NODE_HEADER_LIMIT = 16 * 1024;

// ---- What the router says about each procedure -------------------------------------------

type ProcedureKind = 'query' | 'mutation' | 'subscription';
interface InputParser {
	'~standard': { validate(value: unknown): { issues?: unknown } | Promise<{ issues?: unknown }> };
}
// tRPC keeps a flat path → procedure map at runtime; listProcedures() gives paths and policies,
// this adds what a request needs: the method (GET or POST) and the input schemas.
const definitions = appRouter._def.procedures as unknown as Record<
	string,
	{ _def: { type: ProcedureKind; inputs: InputParser[]; meta?: { signIn?: boolean } } }
>;

/**
 * Whether the procedure's own schemas take this input, as the server would decode it. A schema
 * that throws instead of refusing would answer with the exception's words ("Invalid time
 * value"), not a message a person can act on: that fails here.
 */
async function schemaAccepts(path: string, input: unknown): Promise<boolean> {
	for (const parser of definitions[path]._def.inputs) {
		let result: { issues?: unknown };
		try {
			result = await parser['~standard'].validate(input);
		} catch (error) {
			throw new Error(`${path}: its input schema threw (${String(error)}) instead of refusing the input`);
		}
		if (result.issues) return false;
	}
	return true;
}

interface JsonSchema {
	type?: string | string[];
	properties?: Record<string, JsonSchema>;
	additionalProperties?: JsonSchema | boolean;
	items?: JsonSchema;
	anyOf?: JsonSchema[];
	oneOf?: JsonSchema[];
	maxLength?: number;
	maxItems?: number;
	enum?: unknown[];
	const?: unknown;
	format?: string;
	pattern?: string;
}

/** A procedure's input schemas as JSON Schema: zod's own account of every field and its limits. */
const jsonSchemasOf = (path: string) =>
	definitions[path]._def.inputs.map(
		(parser) =>
			z.toJSONSchema(parser as unknown as z.ZodType, { io: 'input', unrepresentable: 'any' }) as JsonSchema
	);

/** The fields a procedure's inputs name, so hostile values reach each field's own check. */
function inputShape(path: string): JsonSchema {
	const properties: Record<string, JsonSchema> = {};
	const collect = (schema: JsonSchema) => {
		Object.assign(properties, schema.properties);
		[...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].forEach(collect);
	};
	jsonSchemasOf(path).forEach(collect);
	return { type: 'object', properties };
}

/**
 * Every field that would take a value of any size. The requests below send a mutation only what
 * its schema refuses, so a field that takes a 100,000-character string is caught here instead.
 */
function unboundedFields(schema: JsonSchema, at: string): string[] {
	const found = [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].flatMap((branch) =>
		unboundedFields(branch, at)
	);
	if (Object.keys(schema).every((key) => key === '$schema')) found.push(`${at} takes anything`);
	// An enum, a constant, a format (uuid, date, email) or a pattern says what a string may be.
	const described = schema.enum ?? schema.const ?? schema.format ?? schema.pattern;
	if (schema.type === 'string' && schema.maxLength === undefined && described === undefined) {
		found.push(`${at} is a string with no maximum length`);
	}
	if (schema.type === 'array' && schema.maxItems === undefined) {
		found.push(`${at} is a list with no maximum length`);
	}
	for (const [key, field] of Object.entries(schema.properties ?? {})) {
		found.push(...unboundedFields(field, `${at}.${key}`));
	}
	if (schema.items) found.push(...unboundedFields(schema.items, `${at}[]`));
	if (typeof schema.additionalProperties === 'object') {
		found.push(...unboundedFields(schema.additionalProperties, `${at}.*`));
	}
	return found;
}

// ---- Hostile values ----------------------------------------------------------------------

/** A big value that fast-check reports by its description, not by printing all of it. */
function described<T extends object>(description: string, value: T): T {
	return Object.defineProperty(value, fc.toStringMethod, { value: () => description });
}
const nestedArrays = (depth: number) => {
	let value: unknown = 'bottom';
	for (let i = 0; i < depth; i++) value = [value];
	return described(`${depth} nested arrays`, value as unknown[]);
};
const nestedObjects = (depth: number) => {
	let value: unknown = { podId: 'bottom' };
	for (let i = 0; i < depth; i++) value = { podId: 'deeper', a: value };
	return described(`${depth} nested objects`, value as object);
};
const tenThousand = (description: string, item: (i: number) => unknown) =>
	described(
		`10,000 × ${description}`,
		Array.from({ length: 10_000 }, (_, i) => item(i))
	);

const hostileNumber = fc.oneof(
	fc.constantFrom(
		-1,
		-0,
		0.5,
		-2_147_483_649,
		2 ** 31,
		2 ** 53 + 2,
		Number.MAX_SAFE_INTEGER,
		Number.MAX_VALUE,
		-Number.MAX_VALUE,
		Number.MIN_VALUE,
		Number.NaN,
		Number.POSITIVE_INFINITY
	),
	fc.double(),
	fc.integer()
);

/** Big in the ways a careless schema lets through: length, count, depth. */
const hostileBulk = (pod: TestPod) =>
	fc.constantFrom(
		tenThousand(
			'well-formed ids of nothing',
			(i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`
		),
		tenThousand("a student's id", () => pod.users.student),
		tenThousand('a number', (i) => i),
		tenThousand("'<script>'", () => '<script>'),
		nestedArrays(1_000),
		nestedObjects(1_000)
	);

/** Extra keys an object may carry: anything that reached a prototype would show up everywhere. */
const POLLUTION: [string, unknown][] = [
	['__proto__', { polluted: 'yes', isAdmin: true }],
	['constructor', { prototype: { polluted: 'yes' } }],
	['prototype', { polluted: 'yes' }],
	['toString', 'not a function'],
	['hasOwnProperty', 1]
];

const anyHostile = (pod: TestPod) =>
	fc.oneof(
		hostileString,
		hostileNumber,
		hostileBulk(pod),
		fc.constantFrom(null, true, false, {}, []),
		fc.anything({ maxDepth: 3 })
	);

/** A value for a field described by `schema`: its own type with hostile content, or another type. */
function hostileFor(schema: JsonSchema, pod: TestPod, depth: number): fc.Arbitrary<unknown> {
	const branches = schema.anyOf ?? schema.oneOf;
	if (branches?.length) return fc.oneof(...branches.map((branch) => hostileFor(branch, pod, depth)));
	const types = [schema.type ?? []].flat();
	const choices: fc.WeightedArbitrary<unknown>[] = [{ weight: 2, arbitrary: anyHostile(pod) }];
	if (types.includes('string')) choices.push({ weight: 4, arbitrary: hostileString });
	if (types.includes('number') || types.includes('integer')) {
		choices.push({ weight: 4, arbitrary: hostileNumber });
	}
	if (schema.properties && depth < 3) {
		choices.push({ weight: 4, arbitrary: hostileObject(schema, pod, depth + 1) });
	}
	if (schema.items && depth < 3) {
		choices.push({
			weight: 3,
			arbitrary: fc.array(hostileFor(schema.items, pod, depth + 1), { maxLength: 3 })
		});
	}
	return fc.oneof(...choices);
}

/**
 * An object with the schema's fields, each hostile or missing, plus pollution keys. Mostly the
 * pod's real id, so the request passes the pod check and meets the procedure's own schema.
 */
function hostileObject(schema: JsonSchema, pod: TestPod, depth = 0): fc.Arbitrary<Record<string, unknown>> {
	const fields = Object.fromEntries(
		Object.entries(schema.properties ?? {}).map(([key, field]) => [
			key,
			key === 'podId'
				? fc.oneof({ weight: 3, arbitrary: fc.constant(pod.podId) }, { weight: 1, arbitrary: hostileString })
				: hostileFor(field, pod, depth)
		])
	);
	return (
		fc
			.tuple(fc.record(fields, { requiredKeys: [] }), fc.subarray(POLLUTION))
			// fromEntries makes __proto__ an own key, as JSON.parse does, rather than a prototype.
			.map(([record, pollution]) => Object.fromEntries([...Object.entries(record), ...pollution]))
	);
}

/** Not a plain object: an object could pass for an input once its bad fields were dropped. */
const wrongTopLevel = fc
	.anything()
	.filter((value) => value === null || typeof value !== 'object' || Array.isArray(value));

/** Bodies (and ?input= values) that are not JSON, or JSON no input could be. */
const malformedJson = (shape: fc.Arbitrary<Record<string, unknown>>) =>
	fc.oneof(
		fc.constantFrom(
			'',
			'{',
			'}',
			'{"podId":',
			'{podId: 1}',
			"{'podId': 1}",
			'{"podId": "a",}',
			'[1, 2',
			'undefined',
			'NaN',
			'-Infinity',
			'0x10',
			'"unterminated',
			'null null',
			'{"a":1}{"b":2}',
			'\u0000',
			'\uFEFF{"podId"}',
			'{"podId": 1e999}',
			'["\\uD800"]',
			'{"__proto__": {"polluted": "yes"}}',
			'{"constructor": {"prototype": {"polluted": "yes"}}}',
			'['.repeat(100_000),
			'['.repeat(50_000) + ']'.repeat(50_000),
			'{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000),
			`{"podId": "${'x'.repeat(HUGE_TEXT)}`
		),
		fc.string({ unit: 'binary', maxLength: 200 }),
		// A real-looking input cut off mid-way, as a dropped connection or a bad proxy would.
		shape
			.map((input) => JSON.stringify(input))
			.chain((text) => fc.nat({ max: Math.max(0, text.length - 2) }).map((cut) => text.slice(0, cut)))
	);

/** What the server decodes from a body; `undefined` input when it is empty, a failure when not JSON. */
function decoded(text: string): { input: unknown } | null {
	if (text === '') return { input: undefined };
	try {
		// Request.json() drops a byte-order mark; JSON.parse does not.
		return { input: JSON.parse(text.replace(/^\uFEFF/, '')) };
	} catch {
		return null;
	}
}

// ---- Asking and checking -----------------------------------------------------------------

interface TrpcError {
	message: unknown;
	data?: { code?: unknown; httpStatus?: unknown; stack?: unknown };
}

/** A refusal a person can act on: a 4xx code, a sentence, nothing of the server's insides. */
function expectReadableRefusal(status: number, error: TrpcError | undefined, context: string) {
	expect(status, context).toBeGreaterThanOrEqual(400);
	expect(status, context).toBeLessThan(500);
	expect(error?.data?.code, context).toMatch(/^[A-Z_]+$/);
	expect(error?.data?.httpStatus, context).toBe(status);
	expect(error?.data?.stack, context).toBeUndefined();
	const message = error?.message;
	expect(typeof message, context).toBe('string');
	expect((message as string).length, context).toBeGreaterThan(5);
	expect((message as string).length, `${context}: a message, not an essay`).toBeLessThan(1_000);
	expect(message, `${context}: a sentence, not a JSON dump`).not.toMatch(/^\s*[[{]|"code":/);
	expect(JSON.stringify(error), `${context}: no stack trace`).not.toMatch(
		/\bat \S+ \(|node_modules|\.ts:\d+/
	);
}

const describeInput = (text: string | undefined) =>
	text === undefined ? 'no input' : `${text.length} chars: ${text.slice(0, 120)}`;

let pod: TestPod;
let api: Awaited<ReturnType<typeof startApiServer>>;
const cookies = { lead: '', admin: '', student: '' };

/**
 * Send `text` (JSON or not) as the input of `path`, the way the app's client would: a query or
 * subscription as GET ?input=, a mutation as a same-origin JSON POST. Checks the answer.
 */
async function sendHostile(path: string, text: string | undefined, cookie: string) {
	const kind = definitions[path]._def.type;
	const context = `${path} ← ${describeInput(text)}`;
	const url =
		kind === 'mutation' || text === undefined
			? `${api.origin}/api/trpc/${path}`
			: `${api.origin}/api/trpc/${path}?${new URLSearchParams({ input: text })}`;
	const response = await fetch(url, {
		method: kind === 'mutation' ? 'POST' : 'GET',
		headers:
			kind === 'mutation' ? { 'content-type': 'application/json', origin: api.origin, cookie } : { cookie },
		body: kind === 'mutation' ? text : undefined,
		signal: AbortSignal.timeout(10_000)
	});
	if (response.status === 431) {
		expect(url.length, `${context}: 431 only for a URL past Node's header limit`).toBeGreaterThan(
			NODE_HEADER_LIMIT - 1_000
		);
		return;
	}
	// A query may take what its schema takes: its answer is data, and it writes nothing.
	if (kind === 'query' && response.status === 200) {
		expect((await response.json()).result, context).toBeDefined();
		return;
	}
	if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
		// A subscription answers 200 and streams; its refusal is a serialized-error event.
		const stream = await response.text();
		const data = /^event: serialized-error\ndata: (.*)$/m.exec(stream)?.[1];
		expect(data, `${context}: a serialized-error event in ${stream.slice(0, 200)}`).toBeDefined();
		const error = JSON.parse(data!) as TrpcError;
		expectReadableRefusal(Number(error.data?.httpStatus), error, context);
		return;
	}
	const body = (await response.json()) as { error?: TrpcError };
	expectReadableRefusal(response.status, body.error, context);
}

/**
 * Every input goes past the procedure's own schema first, which must not throw. A mutation (or a
 * subscription, which would stream for as long as it is open) is then sent only inputs its schema
 * refuses: a `<script>` reason is a fine reason, and may be stored.
 */
async function skipUnlessRefused(path: string, text: string | undefined) {
	const input = text === undefined ? { input: undefined } : decoded(text);
	const accepted = input !== null && (await schemaAccepts(path, input.input));
	// A well-formed sign-in step (a wrong pod code, say) is a real try, counted by design.
	if (definitions[path]._def.type !== 'query' || definitions[path]._def.meta?.signIn) fc.pre(!accepted);
}

async function signIn(path: string, input: unknown) {
	const response = await fetch(`${api.origin}/api/trpc/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: api.origin },
		body: JSON.stringify(input)
	});
	expect(response.status, path).toBe(200);
	const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
	return cookie!.split(';')[0];
}

const procedures = listProcedures().filter((p) => p.takesInput);
const prototypeNames = Object.getOwnPropertyNames(Object.prototype);

beforeAll(async () => {
	pod = await createTestPod();
	api = await startApiServer(pod.db);
	cookies.lead = await signIn('auth.staffLogin', { email: 'lead@demo.school', password: DEMO.staffPassword });
	cookies.admin = await signIn('auth.staffLogin', {
		email: 'admin@demo.school',
		password: DEMO.staffPassword
	});
	cookies.student = await signIn('auth.studentJoin', {
		joinCode: DEMO.joinCode,
		studentId: pod.users.student,
		pictures: [...DEMO.pictures]
	});
});
afterAll(async () => {
	await api?.close();
	await pod?.db.destroy();
});

describe('every input has a size', () => {
	it('covers every procedure that takes input', () => {
		expect(procedures.length).toBeGreaterThan(50);
	});

	it.each(procedures.map(({ path }) => [path]))('%s bounds every field it takes', (path) => {
		expect(jsonSchemasOf(path).flatMap((schema) => unboundedFields(schema, 'input'))).toEqual([]);
	});
});

/** The staff pass signs in as the pod's lead; as the admin where only an admin may call. */
const staffCookie = ({ policy }: ProcedureEntry) => (policy === 'admin' ? cookies.admin : cookies.lead);

describe.each([
	['staff', staffCookie],
	['a student', () => cookies.student]
])('hostile input over HTTP, signed in as %s', (_who, cookieFor) => {
	it.each(procedures.map((procedure) => [procedure.path, procedure] as const))(
		'%s answers 4xx with a readable message and changes nothing',
		async (path, procedure) => {
			const cookie = cookieFor(procedure);
			const shape = hostileObject(inputShape(path), pod);
			// A session's last-seen time is written at most once a minute: write it now, so that
			// write never lands between the two digests.
			await pod.db.updateTable('sessions').set({ last_seen_at: isoNow() }).execute();
			const before = await databaseDigest(pod.db);

			const send = async (text: string | undefined) => {
				await skipUnlessRefused(path, text);
				await sendHostile(path, text, cookie);
			};
			await fc.assert(
				fc.asyncProperty(wrongTopLevel, (input) => send(JSON.stringify(input))),
				{ seed: SEED, numRuns: 8 }
			);
			await fc.assert(
				fc.asyncProperty(shape, (input) => send(JSON.stringify(input))),
				{ seed: SEED, numRuns: 30 }
			);
			await fc.assert(fc.asyncProperty(malformedJson(shape), send), { seed: SEED, numRuns: 12 });

			expect(await databaseDigest(pod.db), `${path} changed the database`).toBe(before);
			expect(Object.getOwnPropertyNames(Object.prototype), 'Object.prototype was polluted').toEqual(
				prototypeNames
			);
		},
		30_000
	);
});

// ---- The body size limit, against the production build ------------------------------------

describe('request bodies have a size limit (the production build)', () => {
	let databaseUrl = '';
	let removeDatabase = () => {};
	let server: KillableServer | undefined;
	let cookie = '';

	beforeAll(async () => {
		ensureBuild();
		({ url: databaseUrl, remove: removeDatabase } = await freshDatabaseUrl());
		// The flag sweep writes on its own clock; off, so any change to the file is the request's.
		const sweep = process.env.FLAG_SWEEP_SECONDS;
		process.env.FLAG_SWEEP_SECONDS = '0';
		try {
			server = await startKillableServer(databaseUrl, true);
		} finally {
			if (sweep === undefined) delete process.env.FLAG_SWEEP_SECONDS;
			else process.env.FLAG_SWEEP_SECONDS = sweep;
		}
		const login = await server.mutate('auth.staffLogin', {
			email: 'lead@demo.school',
			password: DEMO.staffPassword
		});
		expect(login.status).toBe(200);
		cookie = login.headers.getSetCookie()[0].split(';')[0];
	}, 300_000);
	afterAll(async () => {
		await server?.kill('SIGTERM');
		removeDatabase();
	});

	/** The server's database as a second connection sees it (on SQLite, WAL lets it read). */
	async function fileDigest() {
		const db = createDb(databaseUrl);
		try {
			return await databaseDigest(db);
		} finally {
			await db.destroy();
		}
	}

	const streamed = (text: string) =>
		new ReadableStream<Uint8Array>({
			start(controller) {
				controller.enqueue(new TextEncoder().encode(text));
				controller.close();
			}
		});

	it.each([
		['with a content-length', 0, (text: string): BodyInit => text],
		['streamed without a content-length', 1, streamed]
	])(
		'refuses a 2 MB flags.raise sent %s, changes nothing and keeps answering',
		async (_how, nth, body) => {
			const podId = (await server!.query<{ id: string }[]>('pods.mine', undefined, cookie))[0].id;
			const roster = await server!.query<{ students: { id: string }[] }>('auth.joinRoster', {
				joinCode: DEMO.joinCode
			});
			// A flag the lead may raise, padded past the limit with a field the schema ignores: only the
			// size limit stands between this body and the database.
			const flag = { podId, studentIds: [roster.students[nth].id], reason: 'Quiet today; check in' };
			// Node's fetch streams a request body only with duplex: 'half', which RequestInit lacks.
			const raise = (init: { body: BodyInit; duplex?: 'half' }) =>
				fetch(`${server!.origin}/api/trpc/flags.raise`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', origin: server!.origin, cookie },
					...init
				} as RequestInit);

			const before = await fileDigest();
			const padded = JSON.stringify({ ...flag, padding: 'x'.repeat(2 * 1024 * 1024) });
			const response = await raise({ body: body(padded), duplex: 'half' });
			const { error } = (await response.json()) as { error?: TrpcError };
			expectReadableRefusal(response.status, error, `a ${padded.length}-byte body`);
			expect(error?.message, 'refused for its size').toMatch(/limit|too large/i);
			expect(await fileDigest()).toBe(before);

			// Still answering, and the same flag unpadded is raised: the size was what was refused.
			const me = await server!.query<{ email: string }>('auth.me', undefined, cookie);
			expect(me.email).toBe('lead@demo.school');
			const unpadded = JSON.stringify(flag);
			expect((await raise({ body: unpadded })).status).toBe(200);
		},
		60_000
	);
});
