import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../db/migrations/index';
import { DEMO, seedDemoPod } from '../../db/seed/demo';
import { createSession, resolveSession } from '../../src/lib/server/auth/sessions';
import { podHeatmap } from '../../src/lib/server/dashboard/heatmap';
import { createDb, migrateToLatest, type Database } from '../../src/lib/server/db';
import { dialectOf } from '../../src/lib/server/db/sql';
import { InProcessPodEventBus, type PodEvent } from '../../src/lib/server/live/bus';
import {
	latestSeq,
	podEventsSince,
	writeWithEvents,
	type RecordPodEvent
} from '../../src/lib/server/live/log';
import { recordProgress } from '../../src/lib/server/progress/record';
import { createCaller } from '../../src/lib/server/trpc/router';
import { freshDatabaseUrl } from '../support/database';
import { CLAIM_ORDERS, freshGroup, freshHandUp } from '../support/interventions';
import { demoPodPeople, SEED_NOW, type TestPod } from '../support/pod';

// The same app on PostgreSQL: the migrations, the demo seed, the board, progress, the pod
// event log and claims, with two database pools standing in for two app servers.

// Runs in the "integration-postgres" project only (vite.config.ts), which needs TEST_DATABASE_URL.
const DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

/** Records a kind no feature writes, with any payload: these tests are about the log and the bus. */
function recordTest(record: RecordPodEvent, podId: string, payload: Record<string, unknown>) {
	const recordAny = record as unknown as (podId: string, kind: string, payload: unknown) => Promise<PodEvent>;
	return recordAny(podId, 'test', payload);
}

it('runs against a PostgreSQL server', () => {
	// Anything else would run these tests on the wrong engine.
	expect(DATABASE_URL).toMatch(/^postgres(ql)?:\/\//);
});

/** The database URL with every connection working in `schema`. */
function inSchema(databaseUrl: string, schema: string): string {
	const url = new URL(databaseUrl);
	const options = [url.searchParams.get('options'), `-c search_path=${schema}`].filter(Boolean);
	url.searchParams.set('options', options.join(' '));
	return url.toString();
}

/** The board as a reader sees it, without the ids each seed generates anew. */
async function boardShape(db: Kysely<Database>, podId: string) {
	const board = await podHeatmap(db, podId);
	const codeOf = new Map(board.skills.map((s) => [s.id, s.code]));
	return {
		students: board.students.map((s) => ({
			name: s.name,
			grade: s.grade,
			cohort: s.cohort,
			groups: s.groupIds.length,
			openFlags: s.openFlags,
			lastActive: s.lastActive
		})),
		activities: board.activities.map((a) => ({
			title: a.title,
			subject: a.subject,
			kind: a.kind,
			archived: a.archived,
			skills: a.skillIds.map((id) => codeOf.get(id)).sort()
		})),
		skills: board.skills.map(({ code, name, subject }) => ({ code, name, subject })),
		groups: board.groups.map((g) => g.title),
		// The database joins a student's cells in no set order; each names its column.
		rows: board.rows.map((row) => row.split(',').filter(Boolean).sort()),
		asOfSeq: board.asOfSeq
	};
}

const SEEDED_TABLES = [
	'users',
	'pod_students',
	'activities',
	'assignments',
	'progress_events',
	'flags',
	'help_requests',
	'duties',
	'pod_events'
] as const;

async function rowCounts(db: Kysely<Database>) {
	const counts: Record<string, number> = {};
	for (const table of SEEDED_TABLES) {
		const row = await db
			.selectFrom(table)
			.select((eb) => eb.fn.countAll().as('n'))
			.executeTakeFirstOrThrow();
		counts[table] = Number(row.n);
	}
	return counts;
}

describe.skipIf(!DATABASE_URL)('on PostgreSQL', () => {
	const schema = `podboard_test_${randomBytes(6).toString('hex')}`;
	let admin: Kysely<Database>;
	/** Two pools on one database: what two app servers behind a load balancer share. */
	let serverA: Kysely<Database>;
	let serverB: Kysely<Database>;
	/** A third, for a board that only reads. */
	let serverC: Kysely<Database>;
	let sqlite: Kysely<Database>;
	let applied: string[];
	let reapplied: string[];
	let pod: TestPod;
	let sqlitePodId: string;

	beforeAll(async () => {
		admin = createDb(DATABASE_URL);
		await sql`create schema ${sql.id(schema)}`.execute(admin);
		serverA = createDb(inSchema(DATABASE_URL!, schema));
		serverB = createDb(inSchema(DATABASE_URL!, schema));
		serverC = createDb(inSchema(DATABASE_URL!, schema));
		applied = await migrateToLatest(serverA);
		reapplied = await migrateToLatest(serverB);
		const { podId } = await seedDemoPod(serverA, { now: SEED_NOW });

		sqlite = createDb(':memory:');
		await migrateToLatest(sqlite);
		sqlitePodId = (await seedDemoPod(sqlite, { now: SEED_NOW })).podId;

		const people = await demoPodPeople(serverA, podId);
		pod = {
			db: serverA,
			databaseUrl: inSchema(DATABASE_URL!, schema),
			podId,
			// No second pod on this schema: nothing here reads one.
			otherPodId: '',
			...people,
			users: { ...people.users, otherPodTeacher: '' }
		};
	}, 120_000);

	afterAll(async () => {
		await Promise.all([serverA?.destroy(), serverB?.destroy(), serverC?.destroy(), sqlite?.destroy()]);
		if (admin) {
			await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(admin);
			await admin.destroy();
		}
	});

	it('runs on the PostgreSQL dialect, in its own schema', async () => {
		expect(dialectOf(serverA)).toBe('postgres');
		expect(dialectOf(sqlite)).toBe('sqlite');
		const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(serverB);
		expect(rows[0].schema).toBe(schema);
	});

	it('applies every migration to an empty schema, and nothing the second time', async () => {
		expect(applied).toEqual(Object.keys(migrations));
		expect(reapplied).toEqual([]);
		const tables = await serverA.introspection.getTables();
		expect(tables.filter((t) => t.schema !== schema)).toEqual([]);
		expect(tables.map((t) => t.name)).toEqual(
			expect.arrayContaining(['pods', 'pod_events', 'sign_in_cards'])
		);
	});

	it('seeds the demo pod with the same rows as on SQLite', async () => {
		const counts = await rowCounts(serverA);
		// Pod North's 72 and Pod Ridge's 12.
		expect(counts.pod_students).toBe(84);
		expect(counts.assignments).toBeGreaterThan(0);
		expect(counts).toEqual(await rowCounts(sqlite));
	});

	it('answers the board for the seeded pod as SQLite does', async () => {
		const onPostgres = await boardShape(serverA, pod.podId);
		const onSqlite = await boardShape(sqlite, sqlitePodId);
		expect(onPostgres.students).toHaveLength(72);
		expect(onPostgres.rows.flat().length).toBeGreaterThan(500);
		expect(onPostgres).toEqual(onSqlite);
	});

	it('stores a progress batch, and a replayed batch once, whichever server it reaches', async () => {
		const assignment = await serverA
			.selectFrom('assignments')
			.select(['id', 'student_id'])
			.where('pod_id', '=', pod.podId)
			.where('status', '=', 'not_started')
			.orderBy('id')
			.executeTakeFirstOrThrow();
		const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
		const batch = [
			{
				eventId: randomUUID(),
				assignmentId: assignment.id,
				kind: 'start' as const,
				occurredAt: minutesAgo(3)
			},
			{
				eventId: randomUUID(),
				assignmentId: assignment.id,
				kind: 'progress' as const,
				occurredAt: minutesAgo(1)
			}
		];
		const recorder = { kind: 'student' as const, studentId: assignment.student_id, podId: pod.podId };
		const bus = new InProcessPodEventBus();
		const heard: PodEvent[] = [];
		const stop = bus.subscribe(pod.podId, (event) => heard.push(event));
		const send = (db: Kysely<Database>) =>
			writeWithEvents(db, (trx, record) => recordProgress(trx, recorder, batch, record), bus);

		const first = await send(serverA);
		const seqAfterFirst = await latestSeq(serverA, pod.podId);
		const replay = await send(serverB);
		stop();

		expect(first.acknowledged).toEqual(batch.map((e) => e.eventId));
		expect(replay).toEqual(first);
		expect(first.assignments).toMatchObject([{ assignmentId: assignment.id, status: 'in_progress' }]);
		const stored = await serverB
			.selectFrom('progress_events')
			.select(['id', 'kind'])
			.where('assignment_id', '=', assignment.id)
			.orderBy('occurred_at')
			.execute();
		expect(stored).toEqual(batch.map((e) => ({ id: e.eventId, kind: e.kind })));
		const row = await serverB
			.selectFrom('assignments')
			.select(['status', 'attempts'])
			.where('id', '=', assignment.id)
			.executeTakeFirstOrThrow();
		expect(row.status).toBe('in_progress');
		// The boards heard the first batch, and nothing of the replay.
		expect(heard.map((e) => e.kind)).toContain('progress');
		expect(heard.at(-1)?.seq).toBe(seqAfterFirst);
		expect(await latestSeq(serverA, pod.podId)).toBe(seqAfterFirst);
	});

	it('numbers 20 writers at once over two servers after the last event, and a board never sees a gap', async () => {
		const before = await latestSeq(serverA, pod.podId);
		const bus = new InProcessPodEventBus();
		const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
		// A board on a third server reads the log all the while: what it sees must always run
		// on from `before` without a hole, or a stream resuming from its last seq would skip one.
		let writing = true;
		const seen: number[][] = [];
		const board = (async () => {
			while (writing) seen.push((await podEventsSince(serverC, pod.podId, before)).map((e) => e.seq));
		})();
		const events = await Promise.all(
			Array.from({ length: 20 }, (_, writer) =>
				writeWithEvents(
					writer % 2 === 0 ? serverA : serverB,
					async (trx, record) => {
						// Each does some work first, and more after, so the transactions overlap.
						await trx.selectFrom('pods').select('id').where('id', '=', pod.podId).execute();
						await pause(Math.random() * 20);
						const event = await recordTest(record, pod.podId, { studentIds: [], writer });
						await pause(Math.random() * 5);
						return event;
					},
					bus
				)
			)
		);
		writing = false;
		await board;

		const expected = Array.from({ length: 20 }, (_, i) => before + i + 1);
		expect(events.map((e) => e.seq).sort((x, y) => x - y)).toEqual(expected);
		const log = await podEventsSince(serverC, pod.podId, before);
		expect(log.map((e) => e.seq)).toEqual(expected);
		expect(log.map((e) => Number(e.payload.writer)).sort((x, y) => x - y)).toEqual(
			Array.from({ length: 20 }, (_, i) => i)
		);
		expect(seen.filter((seqs) => seqs.join() !== expected.slice(0, seqs.length).join())).toEqual([]);
	});

	describe('three teachers on two servers claiming at once', () => {
		const TRIALS = 30;
		const TEACHER_EMAILS = ['lead@demo.school', 'teacher1@demo.school', 'teacher2@demo.school'];
		let teachers: { id: string; name: string; api: ReturnType<typeof createCaller> }[];

		beforeAll(async () => {
			teachers = await Promise.all(
				TEACHER_EMAILS.map(async (email, i) => {
					// The lead and teacher2 on server A, teacher1 on server B.
					const db = i === 1 ? serverB : serverA;
					const user = await db
						.selectFrom('users')
						.select('id')
						.where('email', '=', email)
						.executeTakeFirstOrThrow();
					const { token } = await createSession(db, {
						userId: user.id,
						podId: null,
						idleMinutes: 60,
						expiresAt: new Date(Date.now() + 3_600_000)
					});
					const session = await resolveSession(db, token);
					const member = DEMO.staff.find((s) => s.email === email)!;
					return {
						id: user.id,
						name: `${member.givenName} ${member.familyName}`,
						api: createCaller({
							db,
							session,
							address: '10.0.0.1',
							sessionCookie: { set: () => {}, clear: () => {} }
						})
					};
				})
			);
		});

		/** All three claim at once: the winners (one, we expect), and the others' refusals. */
		async function race(trial: number, claim: (api: ReturnType<typeof createCaller>) => Promise<unknown>) {
			const claims: Promise<unknown>[] = [];
			for (const t of CLAIM_ORDERS[trial % CLAIM_ORDERS.length]) claims[t] = claim(teachers[t].api);
			const settled = await Promise.allSettled(claims);
			const winners = teachers.filter((_, i) => settled[i].status === 'fulfilled');
			const refusals = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
			return { winners, refusals };
		}

		function expectRefusedBy(refusals: unknown[], message: string) {
			expect(refusals).toHaveLength(2);
			for (const refusal of refusals) {
				expect(refusal).toBeInstanceOf(TRPCError);
				expect((refusal as TRPCError).code).toBe('CONFLICT');
				expect((refusal as TRPCError).message).toBe(message);
			}
		}

		it('sends exactly one teacher to each hand up', async () => {
			const everyWinner = new Set<string>();
			for (let trial = 1; trial <= TRIALS; trial++) {
				const { requestId, version } = await freshHandUp(pod);
				const { winners, refusals } = await race(trial, (api) =>
					api.help.claim({ podId: pod.podId, requestId, version })
				);
				expect(winners, `trial ${trial}`).toHaveLength(1);
				expectRefusedBy(refusals, `${winners[0].name} has it.`);
				const hand = await serverB
					.selectFrom('help_requests')
					.select(['claimed_by', 'version'])
					.where('id', '=', requestId)
					.executeTakeFirstOrThrow();
				expect(hand).toEqual({ claimed_by: winners[0].id, version: version + 1 });
				everyWinner.add(winners[0].id);
				// Helped: the student can raise a hand again in a later trial.
				await serverA
					.updateTable('help_requests')
					.set({ open_key: null, resolved_at: new Date().toISOString(), resolved_by: winners[0].id })
					.where('id', '=', requestId)
					.execute();
			}
			// Not a rule, but a sign the three really raced: who wins varies.
			expect(everyWinner.size).toBeGreaterThan(1);
		});

		it('gives each group to exactly one teacher', async () => {
			const everyWinner = new Set<string>();
			for (let trial = 1; trial <= TRIALS; trial++) {
				const { groupId, version } = await freshGroup(pod);
				const { winners, refusals } = await race(trial, (api) =>
					api.groups.claim({ podId: pod.podId, groupId, version })
				);
				expect(winners, `trial ${trial}`).toHaveLength(1);
				const group = await serverB
					.selectFrom('intervention_groups')
					.select(['title', 'owner_id', 'status', 'version'])
					.where('id', '=', groupId)
					.executeTakeFirstOrThrow();
				expectRefusedBy(refusals, `${winners[0].name} has ${group.title}.`);
				expect(group).toMatchObject({ owner_id: winners[0].id, status: 'claimed', version: version + 1 });
				everyWinner.add(winners[0].id);
			}
			expect(everyWinner.size).toBeGreaterThan(1);
		});
	});
});

describe.skipIf(!DATABASE_URL)('the command-line tools on PostgreSQL', () => {
	const run = (script: string, databaseUrl: string) =>
		new Promise<{ code: number; output: string }>((resolve) => {
			execFile(
				'node_modules/.bin/tsx',
				[script],
				{ env: { ...process.env, DATABASE_URL: databaseUrl }, timeout: 60_000 },
				(error, stdout, stderr) =>
					resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr })
			);
		});

	it('migrate a database and name it in what they print, never with its password', async () => {
		const { url } = await freshDatabaseUrl();
		// The test server trusts every local connection, so any password gets in.
		const withPassword = new URL(url);
		withPassword.password = 'hunter2-secret';
		const first = await run('scripts/migrate.ts', withPassword.toString());
		expect(first.code).toBe(0);
		expect(first.output).toMatch(/^Applied .+ to postgres:\/\/postgres:\*\*\*@127\.0\.0\.1/m);
		const again = await run('scripts/migrate.ts', withPassword.toString());
		expect(again.output).toMatch(/is already up to date/);
		expect(first.output + again.output).not.toContain('hunter2-secret');
	});
});
