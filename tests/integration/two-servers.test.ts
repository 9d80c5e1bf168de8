// A district's setup: two app servers (the production build, as two processes on their own
// ports) over one PostgreSQL database, as behind a load balancer with no sticky sessions. They
// start together on an empty database; a student works on one while the lead's board follows
// on the other; three teachers on the two claim the same group; signing out on one ends the
// board's stream on the other, and so does erasing a student. Runs in the "integration-postgres"
// project only.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO } from '../../db/seed/demo';
import { hashToken, SESSION_COOKIE } from '../../src/lib/server/auth/sessions';
import { createDb } from '../../src/lib/server/db';
import { latestSeq } from '../../src/lib/server/live/log';
import { freshDatabaseUrl } from '../support/database';
import { signInDemoStudent, startKillableServer, type KillableServer } from '../support/killable-server';
import { followBoard, followStream } from '../support/sse-board';

let databaseUrl: string;
let serverA: KillableServer;
let serverB: KillableServer;
let podId: string;

const sleep = (ms: number) => new Promise((resume) => setTimeout(resume, ms));

async function signIn(server: KillableServer, email: string) {
	const response = await server.mutate('auth.staffLogin', { email, password: DEMO.staffPassword });
	expect(response.status).toBe(200);
	const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
	return cookie.split(';')[0];
}

async function newestSeq() {
	const db = createDb(databaseUrl);
	try {
		return await latestSeq(db, podId);
	} finally {
		await db.destroy();
	}
}

beforeAll(async () => {
	({ url: databaseUrl } = await freshDatabaseUrl());
	// Both at once on the empty database: each migrates and seeds only if nobody has.
	[serverA, serverB] = await Promise.all([
		startKillableServer(databaseUrl, true),
		startKillableServer(databaseUrl, true)
	]);
	const lead = await signIn(serverA, 'lead@demo.school');
	[{ id: podId }] = await serverA.query<{ id: string }[]>('pods.mine', undefined, lead);
}, 300_000);

afterAll(async () => {
	await Promise.all(
		[serverA, serverB].map((server) => server && Promise.race([server.kill('SIGTERM'), sleep(5000)]))
	);
	await Promise.all([serverA?.kill('SIGKILL'), serverB?.kill('SIGKILL')]);
});

describe('two app servers over one PostgreSQL database', () => {
	it('seed the demo pod once when they start together on an empty database', async () => {
		const db = createDb(databaseUrl);
		try {
			// Once: Pod North, and Pod Ridge beside it, each one time.
			const pods = await db.selectFrom('pods').select('join_code').orderBy('join_code').execute();
			expect(pods).toEqual([{ join_code: DEMO.joinCode }, { join_code: 'RIDGE5' }]);
			const students = await db
				.selectFrom('pod_students')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow();
			// Pod North's 72 and Pod Ridge's 12, once.
			expect(Number(students.n)).toBe(84);
		} finally {
			await db.destroy();
		}
	});

	it("carry a student's work through one to the lead's board on the other, live", async () => {
		const lead = await signIn(serverB, 'lead@demo.school');
		const board = await followBoard(serverB.origin, podId, lead, await newestSeq());
		const student = await signInDemoStudent(serverA, 3);
		const sentAt: number[] = [];
		for (let i = 0; i < 10; i++) {
			sentAt.push(performance.now());
			const response = await serverA.mutate(
				'progress.record',
				{
					events: [
						{
							eventId: randomUUID(),
							assignmentId: student.assignmentIds[i % student.assignmentIds.length],
							kind: i === 0 ? 'start' : 'progress',
							occurredAt: new Date().toISOString()
						}
					]
				},
				student.cookie
			);
			expect(response.status).toBe(200);
			await response.arrayBuffer();
		}
		const until = performance.now() + 10_000;
		const progress = () => board.received.filter((message) => message.kind === 'progress');
		while (progress().length < 10 && performance.now() < until) await sleep(20);
		board.drop();

		expect(board.errors).toEqual([]);
		expect(progress()).toHaveLength(10);
		// In order, none missed, none twice: the board's sequence runs on without a gap.
		const seqs = board.received.map((message) => message.seq);
		expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0] + i));
		const latencies = progress().map((message, i) => message.arrivedAt - sentAt[i]);
		console.log(
			`server A → board on server B: ${latencies.map((ms) => ms.toFixed(0)).join(' / ')} ms from sending each batch`
		);
	});

	it('give a group three teachers claim at once, over both servers, to exactly one', async () => {
		// The lead and teacher2 on server A, teacher1 on server B.
		const teachers = await Promise.all(
			[
				[serverA, 'lead@demo.school'],
				[serverB, 'teacher1@demo.school'],
				[serverA, 'teacher2@demo.school']
			].map(async ([server, email]) => ({
				server: server as KillableServer,
				email: email as string,
				cookie: await signIn(server as KillableServer, email as string)
			}))
		);
		const roster = await serverA.query<{ students: { id: string }[] }>('auth.joinRoster', {
			joinCode: DEMO.joinCode
		});
		const winners = new Set<string>();
		for (let trial = 0; trial < 20; trial++) {
			const created = await serverB.mutate(
				'groups.create',
				{ podId, title: `Race ${trial}`, studentIds: [roster.students[trial].id] },
				teachers[1].cookie
			);
			expect(created.status).toBe(200);
			const group = ((await created.json()) as { result: { data: { id: string; version: number } } }).result
				.data;
			const answers = await Promise.all(
				teachers.map(async (teacher) => {
					const response = await teacher.server.mutate(
						'groups.claim',
						{ podId, groupId: group.id, version: group.version },
						teacher.cookie
					);
					return {
						teacher,
						status: response.status,
						body: (await response.json()) as { error?: { message: string } }
					};
				})
			);
			expect(answers.map((a) => a.status).sort(), `trial ${trial}`).toEqual([200, 409, 409]);
			const winner = answers.find((a) => a.status === 200)!.teacher;
			const member = DEMO.staff.find((s) => s.email === winner.email)!;
			for (const loser of answers.filter((a) => a.status === 409))
				expect(loser.body.error?.message).toBe(`${member.givenName} ${member.familyName} has Race ${trial}.`);
			winners.add(winner.email);
		}
		// Not a rule, but a sign they really raced: who wins varies.
		expect(winners.size).toBeGreaterThan(1);
	});

	it("end the lead's board on one server when the lead signs out on the other", async () => {
		const lead = await signIn(serverA, 'lead@demo.school');
		const board = await followBoard(serverB.origin, podId, lead, await newestSeq());
		await sleep(100);
		expect(board.ended).toBe(false);
		const out = await serverA.mutate('auth.logout', {}, lead);
		expect(out.status).toBe(200);
		const until = performance.now() + 5000;
		while (!board.ended && performance.now() < until) await sleep(20);
		expect(board.ended).toBe(true);
		// And the cookie opens nothing on either server now.
		const again = await fetch(`${serverB.origin}/api/trpc/pods.mine`, { headers: { cookie: lead } });
		expect(again.status).toBe(401);
	});

	it("end a student's page on one server when the lead erases the student on the other", async () => {
		// A student no earlier test signed in or raced over.
		const student = await signInDemoStudent(serverB, 60);
		const page = await followStream(serverB.origin, 'playlists.live', {}, student.cookie, await newestSeq());
		expect(page.errors).toEqual([]);
		const db = createDb(databaseUrl);
		let erased: { id: string; name: string };
		try {
			const row = await db
				.selectFrom('sessions')
				.innerJoin('users', 'users.id', 'sessions.user_id')
				.select(['users.id', 'users.given_name', 'users.family_name'])
				.where('sessions.token_hash', '=', hashToken(student.cookie.split('=')[1]))
				.executeTakeFirstOrThrow();
			erased = { id: row.id, name: `${row.given_name} ${row.family_name}` };
		} finally {
			await db.destroy();
		}
		const lead = await signIn(serverA, 'lead@demo.school');
		const erase = await serverA.mutate(
			'studentData.erase',
			{ podId, studentId: erased.id, confirmName: erased.name },
			lead
		);
		expect(erase.status).toBe(200);
		await vi.waitFor(() => expect(page.ended, page.errors.join('; ')).toBe(true), { timeout: 10_000 });
	});
});
