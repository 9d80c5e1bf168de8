import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db/seed/demo';
import type { Picture } from '../../src/lib/auth/pictures';
import { hashToken, resolveSession, STAFF_IDLE_MINUTES } from '../../src/lib/server/auth/sessions';
import { joinRoster, signInStaff, signInStudent } from '../../src/lib/server/auth/sign-in';
import { NETWORK_ACCOUNT_FAILURE_LIMIT, WINDOW_MINUTES } from '../../src/lib/server/auth/throttle';
import { createTestPod, type TestPod } from '../support/pod';
import { answerOf, asTheApiAnswers } from '../support/outcomes';

// The sign-in functions refuse as the domain does; the API answers with the code it maps them to.
const failure = (promise: Promise<unknown>) => answerOf(asTheApiAnswers(promise));

const minutes = (start: Date, n: number) => new Date(start.getTime() + n * 60_000);

describe('signing in', () => {
	let pod: TestPod;
	beforeAll(async () => {
		pod = await createTestPod();
	});
	afterAll(() => pod.db.destroy());

	it('signs a teacher in with the right password and stores only a hash of the token', async () => {
		const signedIn = await signInStaff(pod.db, {
			email: ' Lead@Demo.School ',
			password: DEMO.staffPassword,
			address: '1.1.1.1'
		});
		expect(signedIn.token.length).toBeGreaterThanOrEqual(22); // ≥128 bits in base64url
		const stored = await pod.db
			.selectFrom('sessions')
			.select('token_hash')
			.where('user_id', '=', signedIn.userId)
			.execute();
		expect(stored.map((s) => s.token_hash)).toContain(hashToken(signedIn.token));
		expect(stored.map((s) => s.token_hash)).not.toContain(signedIn.token);
	});

	it('answers a wrong password and an unknown email the same way', async () => {
		const wrongPassword = await failure(
			signInStaff(pod.db, { email: 'teacher2@demo.school', password: 'nope', address: '1.1.1.2' })
		);
		const noAccount = await failure(
			signInStaff(pod.db, { email: 'nobody@demo.school', password: 'nope', address: '1.1.1.2' })
		);
		expect(wrongPassword).toEqual({
			code: 'UNAUTHORIZED',
			message: expect.stringMatching(/do not match an account/)
		});
		expect(noAccount).toEqual(wrongPassword);
	});

	it('logs every failed sign-in', async () => {
		const before = await pod.db
			.selectFrom('sign_in_attempts')
			.selectAll()
			.where('succeeded', '=', 0)
			.execute();
		await failure(
			signInStaff(pod.db, { email: 'someone@demo.school', password: 'guess', address: '9.9.9.9' })
		);
		const after = await pod.db
			.selectFrom('sign_in_attempts')
			.selectAll()
			.where('succeeded', '=', 0)
			.execute();
		expect(after.length).toBe(before.length + 1);
		expect(after.find((a) => a.address === '9.9.9.9')).toMatchObject({ account_key: 'someone@demo.school' });
	});

	it('locks an account from the network that guessed, says for how long, and lets it in elsewhere', async () => {
		const start = new Date('2026-11-23T14:00:00Z');
		const attempt = (password: string, address: string, at: Date) =>
			signInStaff(pod.db, { email: 'teacher1@demo.school', password, address }, at);
		for (let i = 0; i < NETWORK_ACCOUNT_FAILURE_LIMIT; i++) {
			await failure(attempt('wrong', '2.2.2.2', minutes(start, i)));
		}
		expect(await failure(attempt(DEMO.staffPassword, '2.2.2.2', minutes(start, 5)))).toEqual({
			code: 'TOO_MANY_REQUESTS',
			message: expect.stringMatching(/locked here for 10 minutes/)
		});
		// The teacher, from school, is not locked out by someone guessing from elsewhere.
		expect((await attempt(DEMO.staffPassword, '3.3.3.3', minutes(start, 5))).userId).toBe(pod.users.teacher);
		const later = await attempt(DEMO.staffPassword, '2.2.2.2', minutes(start, WINDOW_MINUTES + 1));
		expect(later.userId).toBe(pod.users.teacher);
	});

	it('never blocks a whole class signing in through one school address, even with a wrong try each', async () => {
		const roster = await joinRoster(pod.db, 'demo42', '203.0.113.7');
		expect(roster.students.length).toBe(72);
		const wrong: Picture[] = ['moon', 'boat', 'fish'];
		const start = new Date('2026-11-23T13:30:00Z');
		let signedIn = 0;
		for (const [i, student] of roster.students.entries()) {
			const at = new Date(start.getTime() + i * 2000);
			const input = { joinCode: 'DEMO42', studentId: student.id, address: '203.0.113.7' };
			await failure(signInStudent(pod.db, { ...input, pictures: wrong }, at));
			await signInStudent(pod.db, { ...input, pictures: [...DEMO.pictures] }, at);
			signedIn++;
		}
		expect(signedIn).toBe(72);
	}, 180_000);

	it('tells a student when the pictures are wrong or the code is unknown, without crashing', async () => {
		const input = { joinCode: 'DEMO42', studentId: pod.classmateId, address: '4.4.4.4' };
		expect(await failure(signInStudent(pod.db, { ...input, pictures: ['sun', 'cat', 'tree'] }))).toEqual({
			code: 'UNAUTHORIZED',
			message: 'Those pictures are not right. Try again, or ask a teacher.'
		});
		expect(await failure(joinRoster(pod.db, 'DEMO4', '4.4.4.4'))).toEqual({
			code: 'NOT_FOUND',
			message: 'Pod code DEMO4 not found — check the code on the board.'
		});
		expect(
			await failure(
				signInStudent(pod.db, { ...input, studentId: pod.users.lead, pictures: [...DEMO.pictures] })
			)
		).toMatchObject({
			code: 'NOT_FOUND'
		});
	});

	it('keeps a student signed in until half an hour after the end of the school day', async () => {
		const morning = new Date('2026-11-23T14:00:00Z'); // 09:00 in New York
		const signedIn = await signInStudent(
			pod.db,
			{ joinCode: 'DEMO42', studentId: pod.users.student, pictures: [...DEMO.pictures], address: '5.5.5.5' },
			morning
		);
		expect(signedIn.expiresAt.toISOString()).toBe('2026-11-23T20:30:00.000Z');
		// Back from lunch and through the afternoon: still signed in.
		for (const at of ['2026-11-23T16:30:00Z', '2026-11-23T18:30:00Z', '2026-11-23T20:15:00Z']) {
			expect(await resolveSession(pod.db, signedIn.token, new Date(at))).toMatchObject({ podId: pod.podId });
		}
		expect(await resolveSession(pod.db, signedIn.token, new Date('2026-11-23T20:31:00Z'))).toBeNull();
	});

	it('ends an idle staff session, and every staff session after its absolute limit', async () => {
		const start = new Date('2026-11-23T12:00:00Z');
		const idle = await signInStaff(
			pod.db,
			{ email: 'lead@demo.school', password: DEMO.staffPassword, address: '6.6.6.6' },
			start
		);
		expect(await resolveSession(pod.db, idle.token, minutes(start, STAFF_IDLE_MINUTES + 1))).toBeNull();
		expect(
			await pod.db
				.selectFrom('sessions')
				.select('token_hash')
				.where('token_hash', '=', hashToken(idle.token))
				.execute()
		).toEqual([]);

		const busy = await signInStaff(
			pod.db,
			{ email: 'lead@demo.school', password: DEMO.staffPassword, address: '6.6.6.6' },
			start
		);
		for (let m = 60; m < 12 * 60; m += 60) {
			expect(await resolveSession(pod.db, busy.token, minutes(start, m))).not.toBeNull();
		}
		expect(await resolveSession(pod.db, busy.token, minutes(start, 12 * 60))).toBeNull();
	});
});
