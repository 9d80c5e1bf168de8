import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import { DEMO, seedDemoPod } from '../../db/seed/demo';
import { USUAL_WEEK } from '../../src/lib/pods/school-week';
import { hashSecret } from '../../src/lib/server/auth/passwords';
import {
	createSession,
	resolveSession,
	SESSION_COOKIE,
	type ResolvedSession
} from '../../src/lib/server/auth/sessions';
import { migrateToLatest, type Database } from '../../src/lib/server/db';
import { isoNow, newId } from '../../src/lib/server/ids';
import type { SessionCookie } from '../../src/lib/server/trpc/context';
import { handleTrpcRequest } from '../../src/lib/server/trpc/http';
import type { Policy } from '../../src/lib/server/trpc/init';
import { appRouter, createCaller } from '../../src/lib/server/trpc/router';
import { copyOfSeededDatabase } from './database';

export { databaseDigest } from './database';

/** A Wednesday afternoon in New York, mid school day. */
export const SEED_NOW = new Date('2026-11-18T18:00:00Z');

export type Role = 'anonymous' | 'student' | 'otherPodTeacher' | 'support' | 'teacher' | 'lead' | 'admin';
export const ROLES: Role[] = [
	'anonymous',
	'student',
	'otherPodTeacher',
	'support',
	'teacher',
	'lead',
	'admin'
];

export interface TestPod {
	db: Kysely<Database>;
	/** Where `db` points: ':memory:' on SQLite, the test's own database on PostgreSQL. */
	databaseUrl: string;
	podId: string;
	otherPodId: string;
	/** User ids, by role (anonymous has none). */
	users: Record<Exclude<Role, 'anonymous'>, string>;
	/** A second student of Pod North, whose data the first must never see. */
	classmateId: string;
}

/** Migrate, then seed the demo pod and a second pod next door: what every test pod starts from. */
export async function seedTestPods(db: Kysely<Database>): Promise<void> {
	await migrateToLatest(db);
	await seedDemoPod(db, { now: SEED_NOW });

	const otherPodId = newId();
	const otherTeacherId = newId();
	// Next door, but another school: what one school's admin does stays in that school.
	const otherSchoolId = newId();
	await db
		.insertInto('schools')
		.values({ id: otherSchoolId, name: 'Southside School', source_id: null, created_at: isoNow() })
		.execute();
	await db
		.insertInto('pods')
		.values({
			id: otherPodId,
			school_id: otherSchoolId,
			name: 'Pod South',
			grade_low: 7,
			grade_high: 8,
			join_code: 'SOUTH7',
			timezone: 'America/New_York',
			school_week: JSON.stringify(USUAL_WEEK),
			students_per_adult: null,
			flag_thresholds: '{}',
			created_at: isoNow()
		})
		.execute();
	await db
		.insertInto('users')
		.values({
			id: otherTeacherId,
			kind: 'staff',
			given_name: 'Olu',
			family_name: 'Banks',
			email: 'teacher@south.school',
			password_hash: await hashSecret(DEMO.staffPassword),
			created_at: isoNow()
		})
		.execute();
	await db
		.insertInto('pod_staff')
		.values({ pod_id: otherPodId, user_id: otherTeacherId, role: 'lead' })
		.execute();
}

/**
 * A database of its own with the demo pod and a second pod next door: SQLite in memory, or a
 * PostgreSQL database when the suite runs on PostgreSQL (tests/support/database.ts).
 */
export async function createTestPod(): Promise<TestPod> {
	const { db, url: databaseUrl } = await copyOfSeededDatabase();
	const pod = (code: string) =>
		db.selectFrom('pods').select('id').where('join_code', '=', code).executeTakeFirstOrThrow();
	const podId = (await pod(DEMO.joinCode)).id;
	const otherPodId = (await pod('SOUTH7')).id;

	const people = await demoPodPeople(db, podId);
	const otherPodTeacher = (
		await db
			.selectFrom('users')
			.select('id')
			.where('email', '=', 'teacher@south.school')
			.executeTakeFirstOrThrow()
	).id;
	return { db, databaseUrl, podId, otherPodId, ...people, users: { ...people.users, otherPodTeacher } };
}

/** The demo pod's people a test acts as: its first two students (by id) and its staff. */
export async function demoPodPeople(db: Kysely<Database>, podId: string) {
	const byEmail = async (email: string) =>
		(await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
	const students = await db
		.selectFrom('pod_students')
		.select('user_id')
		.where('pod_id', '=', podId)
		.orderBy('user_id')
		.limit(2)
		.execute();
	return {
		classmateId: students[1].user_id,
		users: {
			student: students[0].user_id,
			support: await byEmail('support@demo.school'),
			teacher: await byEmail('teacher1@demo.school'),
			lead: await byEmail('lead@demo.school'),
			admin: await byEmail('admin@demo.school')
		}
	};
}

/** A fresh signed-in session for a role, as the session cookie would resolve it. */
export async function sessionAs(pod: TestPod, role: Role): Promise<ResolvedSession | null> {
	if (role === 'anonymous') return null;
	const { token } = await createSession(pod.db, {
		userId: pod.users[role],
		podId: role === 'student' ? pod.podId : null,
		idleMinutes: 60,
		expiresAt: new Date(Date.now() + 3_600_000)
	});
	return resolveSession(pod.db, token);
}

const noCookie: SessionCookie = { set: () => {}, clear: () => {} };

/** The API as a role calls it, without HTTP. */
export async function callerAs(pod: TestPod, role: Role) {
	return createCaller({
		db: pod.db,
		session: await sessionAs(pod, role),
		address: '10.0.0.1',
		sessionCookie: noCookie
	});
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

/**
 * A real HTTP server around the same tRPC handler the SvelteKit route uses, with the same
 * cookie-to-session step as hooks.server.ts: for tests where cookies, headers and CSRF matter.
 * With `forwardedFor`, the caller's address is read from X-Forwarded-For, as behind a proxy
 * with ADDRESS_HEADER set: a test can then come from many networks.
 */
export async function startApiServer(db: Kysely<Database>, { forwardedFor = false } = {}) {
	const server = createServer(async (req, res) => {
		const url = `http://${req.headers.host}${req.url}`;
		const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req);
		const headers = new Headers();
		for (const [name, value] of Object.entries(req.headers)) {
			if (typeof value === 'string') headers.set(name, value);
		}
		const token = (req.headers.cookie ?? '')
			.split(';')
			.map((part) => part.trim().split('='))
			.find(([name]) => name === SESSION_COOKIE)?.[1];
		const request = new Request(url, { method: req.method, headers, body: body && new Uint8Array(body) });
		const response = await handleTrpcRequest(request, {
			db,
			session: await resolveSession(db, token),
			address:
				(forwardedFor && typeof req.headers['x-forwarded-for'] === 'string'
					? req.headers['x-forwarded-for']
					: req.socket.remoteAddress) ?? 'unknown'
		});
		const outgoing: Record<string, string | string[]> = Object.fromEntries(response.headers);
		if (response.headers.getSetCookie().length) outgoing['set-cookie'] = response.headers.getSetCookie();
		res.writeHead(response.status, outgoing);
		res.end(Buffer.from(await response.arrayBuffer()));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return { origin, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface ProcedureEntry {
	path: string;
	policy: Policy | undefined;
	kind: 'query' | 'mutation' | 'subscription';
	takesInput: boolean;
	/** Calls the procedure at this path on a caller. */
	call: (caller: Awaited<ReturnType<typeof callerAs>>, input: unknown) => Promise<unknown>;
}

/** Every procedure in the app router, by its dotted path. */
export function listProcedures(): ProcedureEntry[] {
	// tRPC keeps a flat path → procedure map at runtime; its type describes the nested routers.
	const flat = appRouter._def.procedures as unknown as Record<
		string,
		{ _def: { meta?: { policy?: Policy }; type: ProcedureEntry['kind']; inputs: unknown[] } }
	>;
	return Object.entries(flat).map(([path, procedure]) => ({
		path,
		policy: procedure._def.meta?.policy,
		kind: procedure._def.type,
		takesInput: procedure._def.inputs.length > 0,
		call: (caller, input) =>
			(
				path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (
					input: unknown
				) => Promise<unknown>
			)(input)
	}));
}
