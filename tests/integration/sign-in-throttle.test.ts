import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO } from '../../db/seed/demo';
import { PICTURES, type Picture } from '../../src/lib/auth/pictures';
import { joinRoster, signInStaff, signInStudent } from '../../src/lib/server/auth/sign-in';
import {
	ACCOUNT_FAILURE_LIMIT,
	NETWORK_ACCOUNT_FAILURE_LIMIT,
	NETWORK_FAILURE_LIMIT,
	POD_CODE_LIMIT
} from '../../src/lib/server/auth/throttle';
import { freshStudent } from '../support/students';
import { callerAs, createTestPod, startApiServer, type TestPod } from '../support/pod';
import { asTheApiAnswers, outcomeOf, tally } from '../support/outcomes';

// Sign-in throttling as an attacker tries it: in bursts, in parallel over HTTP, in one tRPC
// batch; and as a class lives with it: one network hammering must not lock out everyone else.

/** A sign-in as the API answers it: 'ok', or the code the domain's refusal maps to. */
const outcome = (call: Promise<unknown>) => outcomeOf(asTheApiAnswers(call));

/** Every order of three different pictures: all 504 a guesser could try. */
const everyPictureOrder: Picture[][] = PICTURES.flatMap((a) =>
	PICTURES.flatMap((b) => PICTURES.flatMap((c) => (a !== b && b !== c && a !== c ? [[a, b, c]] : [])))
);
const isDemoOrder = (pictures: readonly Picture[]) => pictures.join(' ') === DEMO.pictures.join(' ');

// Passwords hashed at the real cost in this file (the suite's are cheap): the throttle must hold
// while each check takes as long as it does on a school's server.
vi.stubEnv('PODBOARD_TEST_CHEAP_HASHES', '0');

let pod: TestPod;
beforeAll(async () => {
	pod = await createTestPod();
});
afterAll(() => pod.db.destroy());

const pictures = (studentId: string, address: string, tapped: readonly Picture[]) =>
	asTheApiAnswers(signInStudent(pod.db, { joinCode: 'DEMO42', studentId, pictures: [...tapped], address }));

const attemptsAt = async (account: string, network: string) =>
	(
		await pod.db
			.selectFrom('sign_in_attempts')
			.select('succeeded')
			.where('account_key', '=', account)
			.where('network', '=', network)
			.execute()
	).map((a) => a.succeeded);

describe('a burst of guesses', () => {
	it('gets as many checks as the limit, not one per guess: every picture order at once', async () => {
		expect(everyPictureOrder.length).toBe(504);
		const { id } = await freshStudent(pod);
		const wrong = everyPictureOrder.filter((order) => !isDemoOrder(order));
		const outcomes = await Promise.all(wrong.map((order) => outcome(pictures(id, '198.51.100.1', order))));
		expect(tally(outcomes)).toEqual({
			UNAUTHORIZED: NETWORK_ACCOUNT_FAILURE_LIMIT,
			TOO_MANY_REQUESTS: wrong.length - NETWORK_ACCOUNT_FAILURE_LIMIT
		});
		expect(await attemptsAt(`student:${id}`, '198.51.100.1')).toEqual(
			Array(NETWORK_ACCOUNT_FAILURE_LIMIT).fill(0)
		);
		// Even the right pictures now wait there; from the classroom's network they work.
		expect(await outcome(pictures(id, '198.51.100.1', DEMO.pictures))).toBe('TOO_MANY_REQUESTS');
		expect((await pictures(id, '192.0.2.10', DEMO.pictures)).userId).toBe(id);
	});

	it('gives 40 staff passwords at once five checks, and the right one after them none', async () => {
		const attempt = (password: string, address: string) =>
			signInStaff(pod.db, { email: 'teacher2@demo.school', password, address });
		const guesses = Array.from({ length: 40 }, (_, i) => `guess-${i}`);
		const outcomes = await Promise.all(guesses.map((password) => outcome(attempt(password, '198.51.100.2'))));
		expect(tally(outcomes)).toEqual({
			UNAUTHORIZED: NETWORK_ACCOUNT_FAILURE_LIMIT,
			TOO_MANY_REQUESTS: guesses.length - NETWORK_ACCOUNT_FAILURE_LIMIT
		});
		expect(await outcome(attempt(DEMO.staffPassword, '198.51.100.2'))).toBe('TOO_MANY_REQUESTS');
		const teacher2 = await pod.db
			.selectFrom('users')
			.select('id')
			.where('email', '=', 'teacher2@demo.school')
			.executeTakeFirstOrThrow();
		expect((await attempt(DEMO.staffPassword, '192.0.2.2')).userId).toBe(teacher2.id);
	});

	it('counts the tries a waiting try waited for, though they were made after its clock was read', async () => {
		const { id } = await freshStudent(pod);
		const read = new Date();
		// Five tries that took their turn while this one waited: stamped just after its clock.
		await pod.db
			.insertInto('sign_in_attempts')
			.values(
				Array.from({ length: NETWORK_ACCOUNT_FAILURE_LIMIT }, (_, i) => ({
					id: crypto.randomUUID(),
					account_key: `student:${id}`,
					address: '198.51.100.3',
					network: '198.51.100.3',
					succeeded: 0,
					at: new Date(read.getTime() + 10 + i).toISOString()
				}))
			)
			.execute();
		const late = signInStudent(
			pod.db,
			{ joinCode: 'DEMO42', studentId: id, pictures: [...DEMO.pictures], address: '198.51.100.3' },
			read
		);
		await expect(late).rejects.toThrow(
			/^Too many wrong tries for your name on this network\. Ask a teacher to unlock you, or wait \d+ minutes\.$/
		);
	});

	it('counts wrong pod codes before answering them: a burst learns no more than the limit', async () => {
		const codes = Array.from({ length: 150 }, (_, i) => `ZZ${String(i).padStart(4, '0')}`);
		const outcomes = await Promise.all(codes.map((code) => outcome(joinRoster(pod.db, code, '10.0.0.1'))));
		expect(tally(outcomes)).toEqual({
			NOT_FOUND: POD_CODE_LIMIT,
			TOO_MANY_REQUESTS: codes.length - POD_CODE_LIMIT
		});
		// The right code waits too from that network (or guessing it would still pay); not elsewhere.
		expect(await outcome(joinRoster(pod.db, 'DEMO42', '10.0.0.1'))).toBe('TOO_MANY_REQUESTS');
		expect((await joinRoster(pod.db, 'DEMO42', '10.0.0.2')).students.length).toBeGreaterThanOrEqual(72);
		// The lead, in the room on that network, lifts the pause with the pod's unlock.
		await (await callerAs(pod, 'lead')).signInLocks.unlock({ podId: pod.podId });
		expect((await joinRoster(pod.db, 'DEMO42', '10.0.0.1')).pod.name).toBe('Pod North');
	});
});

describe('locks that cannot be turned against a class', () => {
	it('lets the class sign in from school while another network makes five wrong tries at each name', async () => {
		const roster = (await joinRoster(pod.db, 'DEMO42', '192.0.2.20')).students.slice(0, 10);
		const wrong: Picture[] = ['moon', 'boat', 'fish'];
		const attacks = roster.flatMap((student) =>
			Array.from({ length: NETWORK_ACCOUNT_FAILURE_LIMIT + 2 }, () =>
				pictures(student.id, '203.0.113.66', wrong)
			)
		);
		expect(tally(await Promise.all(attacks.map(outcome)))).toEqual({
			UNAUTHORIZED: roster.length * NETWORK_ACCOUNT_FAILURE_LIMIT,
			TOO_MANY_REQUESTS: roster.length * 2
		});
		for (const student of roster) {
			expect((await pictures(student.id, '192.0.2.20', DEMO.pictures)).userId).toBe(student.id);
		}
	}, 120_000);

	it('pauses a network that fails across many names, and only that network', async () => {
		// What a machine spraying guesses across every name leaves in the log.
		const at = new Date(Date.now() - 60_000).toISOString();
		await pod.db
			.insertInto('sign_in_attempts')
			.values(
				Array.from({ length: NETWORK_FAILURE_LIMIT }, (_, i) => ({
					id: crypto.randomUUID(),
					account_key: `student:sprayed-${i}`,
					address: '203.0.113.77',
					network: '203.0.113.77',
					succeeded: 0,
					at
				}))
			)
			.execute();
		await expect(pictures(pod.classmateId, '203.0.113.77', DEMO.pictures)).rejects.toMatchObject({
			code: 'TOO_MANY_REQUESTS',
			message: expect.stringMatching(
				/from this network\. Ask a teacher to unlock sign-in, or wait 14 minutes\./
			)
		});
		expect((await pictures(pod.classmateId, '192.0.2.21', DEMO.pictures)).userId).toBe(pod.classmateId);
	});

	it('locks a name everywhere only after more tries than one network can make, until a teacher unlocks it', async () => {
		const { id } = await freshStudent(pod);
		const wrong = everyPictureOrder.filter((order) => !isDemoOrder(order));
		const networks = ['198.18.0.1', '198.18.0.2', '198.18.0.3', '198.18.0.4', '198.18.0.5', '198.18.0.6'];
		expect(networks.length * NETWORK_ACCOUNT_FAILURE_LIMIT).toBe(ACCOUNT_FAILURE_LIMIT);
		const outcomes = await Promise.all(
			networks.flatMap((network, n) =>
				Array.from({ length: 8 }, (_, i) => outcome(pictures(id, network, wrong[n * 8 + i])))
			)
		);
		expect(tally(outcomes).UNAUTHORIZED).toBe(ACCOUNT_FAILURE_LIMIT);
		const elsewhere = pictures(id, '192.0.2.30', DEMO.pictures);
		await expect(elsewhere).rejects.toMatchObject({
			code: 'TOO_MANY_REQUESTS',
			message: expect.stringMatching(
				/from several places\. Ask a teacher to unlock you, or wait (59|60) minutes\.$/
			)
		});

		const locks = await (await callerAs(pod, 'teacher')).signInLocks.list({ podId: pod.podId });
		expect(locks.find((lock) => lock.studentId === id)).toMatchObject({
			everywhere: true,
			failures: ACCOUNT_FAILURE_LIMIT
		});
		// The teacher beside the child unlocks them: the lead need not be found first.
		expect(
			await (await callerAs(pod, 'teacher')).signInLocks.unlock({ podId: pod.podId, studentId: id })
		).toEqual({
			clearedTries: ACCOUNT_FAILURE_LIMIT
		});
		expect((await pictures(id, '192.0.2.30', DEMO.pictures)).userId).toBe(id);
		expect(
			(await (await callerAs(pod, 'lead')).signInLocks.list({ podId: pod.podId })).map((l) => l.studentId)
		).not.toContain(id);
		// The log keeps every try, marked with who cleared it.
		const cleared = await pod.db
			.selectFrom('sign_in_attempts')
			.select(['cleared_by'])
			.where('account_key', '=', `student:${id}`)
			.where('succeeded', '=', 0)
			.execute();
		expect(cleared).toEqual(Array(ACCOUNT_FAILURE_LIMIT).fill({ cleared_by: pod.users.teacher }));
		const audited = await pod.db
			.selectFrom('audit_log')
			.select(['actor_id', 'entity_id'])
			.where('action', '=', 'unlock')
			.where('entity_id', '=', id)
			.execute();
		expect(audited).toEqual([{ actor_id: pod.users.teacher, entity_id: id }]);
	});

	it("tells the pod's boards when a name is locked, and the lead unlocks the whole pod at once", async () => {
		const students = [(await freshStudent(pod)).id, (await freshStudent(pod)).id];
		const wrong: Picture[] = ['house', 'boat', 'flower'];
		for (const id of students) {
			for (let i = 0; i < NETWORK_ACCOUNT_FAILURE_LIMIT; i++)
				await outcome(pictures(id, '192.0.2.40', wrong));
		}
		const heard = await pod.db
			.selectFrom('pod_events')
			.select('payload')
			.where('pod_id', '=', pod.podId)
			.where('kind', '=', 'signIn.locked')
			.execute();
		expect(heard.map((e) => JSON.parse(e.payload).lockedStudentId)).toEqual(expect.arrayContaining(students));

		const lead = await callerAs(pod, 'lead');
		expect((await lead.signInLocks.list({ podId: pod.podId })).map((l) => l.studentId)).toEqual(
			expect.arrayContaining(students)
		);
		await lead.signInLocks.unlock({ podId: pod.podId });
		expect(await lead.signInLocks.list({ podId: pod.podId })).toEqual([]);
		for (const id of students) expect((await pictures(id, '192.0.2.40', DEMO.pictures)).userId).toBe(id);
		const audited = await pod.db
			.selectFrom('audit_log')
			.select(['actor_id', 'detail'])
			.where('pod_id', '=', pod.podId)
			.where('action', '=', 'unlock')
			.orderBy('at', 'desc')
			.executeTakeFirstOrThrow();
		expect(audited.actor_id).toBe(pod.users.lead);
		expect(JSON.parse(audited.detail)).toMatchObject({ students: 'all' });
	});

	it('refuses to unlock a student of another pod, and changes nothing', async () => {
		await expect(
			(await callerAs(pod, 'lead')).signInLocks.unlock({
				podId: pod.podId,
				studentId: pod.users.otherPodTeacher
			})
		).rejects.toMatchObject({ code: 'NOT_FOUND' });
	});
});

describe('over HTTP', () => {
	let api: Awaited<ReturnType<typeof startApiServer>>;
	beforeAll(async () => {
		api = await startApiServer(pod.db, { forwardedFor: true });
	});
	afterAll(() => api.close());

	const post = (path: string, body: unknown, from: string) =>
		fetch(`${api.origin}/api/trpc/${path}`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Origin: api.origin, 'X-Forwarded-For': from },
			body: JSON.stringify(body)
		});

	it('refuses a tRPC batch that carries a sign-in, before trying any of it', async () => {
		const before = await pod.db.selectFrom('sign_in_attempts').select('id').execute();
		const login = { email: 'lead@demo.school', password: DEMO.staffPassword };
		const batches = [
			['auth.staffLogin,auth.staffLogin', { 0: { ...login, password: 'x' }, 1: login }],
			['auth.staffLogin', { 0: login }],
			[
				'auth.me,auth.studentJoin',
				{ 1: { joinCode: 'DEMO42', studentId: pod.users.student, pictures: DEMO.pictures } }
			]
		] as const;
		for (const [paths, body] of batches) {
			const response = await post(`${paths}?batch=1`, body, '192.0.2.50');
			expect(response.status).toBe(400);
			expect(response.headers.getSetCookie()).toEqual([]);
			expect((await response.json()).error).toMatchObject({
				message: expect.stringMatching(/must be sent on its own, not in a batch/),
				data: { code: 'BAD_REQUEST' }
			});
		}
		const codes = await fetch(
			`${api.origin}/api/trpc/auth.joinRoster,auth.joinRoster?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: { joinCode: 'AAAA' }, 1: { joinCode: 'DEMO42' } }))}`
		);
		expect(codes.status).toBe(400);
		expect(await pod.db.selectFrom('sign_in_attempts').select('id').execute()).toEqual(before);
		// Batches without a sign-in go through as ever.
		const fine = await fetch(`${api.origin}/api/trpc/auth.me,auth.me?batch=1&input=%7B%7D`);
		expect(fine.status).toBe(200);
	});

	it('gives 50 parallel requests with wrong pictures five checks, and signs in alone as ever', async () => {
		const { id } = await freshStudent(pod);
		const wrong = everyPictureOrder.filter((order) => !isDemoOrder(order)).slice(0, 50);
		const responses = await Promise.all(
			wrong.map((order) =>
				post('auth.studentJoin', { joinCode: 'DEMO42', studentId: id, pictures: order }, '198.51.100.9')
			)
		);
		expect(tally(responses.map((r) => String(r.status)))).toEqual({
			'401': NETWORK_ACCOUNT_FAILURE_LIMIT,
			'429': 50 - NETWORK_ACCOUNT_FAILURE_LIMIT
		});
		const alone = await post(
			'auth.studentJoin',
			{ joinCode: 'DEMO42', studentId: id, pictures: DEMO.pictures },
			'192.0.2.51'
		);
		expect(alone.status).toBe(200);
		expect(alone.headers.getSetCookie().join()).toMatch(/podboard_session=/);
	});
});
