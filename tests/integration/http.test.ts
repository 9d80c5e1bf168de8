import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db/seed/demo';
import { SESSION_COOKIE } from '../../src/lib/server/auth/sessions';
import { createTestPod, databaseDigest, startApiServer, type TestPod } from '../support/pod';

// Behaviour that lives in HTTP itself: cookies, the JSON + Origin rule, status codes.

let pod: TestPod;
let api: Awaited<ReturnType<typeof startApiServer>>;
beforeAll(async () => {
	pod = await createTestPod();
	api = await startApiServer(pod.db);
});
afterAll(async () => {
	await api.close();
	await pod.db.destroy();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
	fetch(`${api.origin}/api/trpc/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: api.origin, ...headers },
		body: JSON.stringify(body)
	});
const get = (path: string, input: unknown, cookie = '') =>
	fetch(`${api.origin}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, {
		headers: { cookie }
	});

const cookieFrom = (response: Response) =>
	response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? '';

describe('staff sign-in over HTTP', () => {
	it('sets an HttpOnly, SameSite session cookie and never puts the token in the body', async () => {
		const response = await post('auth.staffLogin', {
			email: 'lead@demo.school',
			password: DEMO.staffPassword
		});
		expect(response.status).toBe(200);
		const cookie = cookieFrom(response);
		expect(cookie).toMatch(/HttpOnly/);
		expect(cookie).toMatch(/SameSite=Lax/);
		expect(cookie).toMatch(/Path=\//);
		const token = cookie.split(';')[0].split('=')[1];
		expect(await response.text()).not.toContain(token);
		expect(response.headers.get('cache-control')).toBe('no-store');
	});

	it('signs out on the server: the old cookie stops working', async () => {
		const login = await post('auth.staffLogin', {
			email: 'teacher2@demo.school',
			password: DEMO.staffPassword
		});
		const cookie = cookieFrom(login).split(';')[0];
		const me = await (await get('auth.me', undefined, cookie)).json();
		expect(me.result.data).toMatchObject({ kind: 'staff', email: 'teacher2@demo.school' });

		const logout = await post('auth.logout', undefined, { cookie });
		expect(logout.status).toBe(200);
		expect(cookieFrom(logout)).toMatch(/Expires=Thu, 01 Jan 1970/);
		const after = await (await get('auth.me', undefined, cookie)).json();
		expect(after.result.data).toBeNull();
		const overview = await get('pods.overview', { podId: pod.podId }, cookie);
		expect(overview.status).toBe(401);
	});
});

describe('sessions rotate at sign-in', () => {
	it('issues a new token at every sign-in and ends the one the browser came with', async () => {
		const first = cookieFrom(
			await post('auth.staffLogin', { email: 'lead@demo.school', password: DEMO.staffPassword })
		).split(';')[0];
		const again = await post(
			'auth.staffLogin',
			{ email: 'teacher2@demo.school', password: DEMO.staffPassword },
			{ cookie: first }
		);
		const second = cookieFrom(again).split(';')[0];
		expect(second).not.toBe('');
		expect(second).not.toBe(first);
		expect((await (await get('auth.me', undefined, first)).json()).result.data).toBeNull();
		expect((await (await get('auth.me', undefined, second)).json()).result.data).toMatchObject({
			email: 'teacher2@demo.school'
		});
	});

	it('ends the session a shared Chromebook came with when the next student joins', async () => {
		const teacher = cookieFrom(
			await post('auth.staffLogin', { email: 'teacher1@demo.school', password: DEMO.staffPassword })
		).split(';')[0];
		const joined = await post(
			'auth.studentJoin',
			{ joinCode: 'DEMO42', studentId: pod.users.student, pictures: [...DEMO.pictures] },
			{ cookie: teacher }
		);
		expect(joined.status).toBe(200);
		const student = cookieFrom(joined).split(';')[0];
		expect(student).not.toBe(teacher);
		expect((await (await get('auth.me', undefined, teacher)).json()).result.data).toBeNull();
		expect((await (await get('auth.me', undefined, student)).json()).result.data).toMatchObject({
			kind: 'student'
		});
	});

	it('keeps the session the browser came with when the sign-in fails', async () => {
		const signedIn = cookieFrom(
			await post('auth.staffLogin', { email: 'lead@demo.school', password: DEMO.staffPassword })
		).split(';')[0];
		const wrong = await post(
			'auth.staffLogin',
			{ email: 'lead@demo.school', password: 'not the password' },
			{ cookie: signedIn }
		);
		expect(wrong.status).toBe(401);
		expect((await (await get('auth.me', undefined, signedIn)).json()).result.data).toMatchObject({
			email: 'lead@demo.school'
		});
	});
});

describe('cross-site requests are refused and change nothing', () => {
	it.each([
		['a form post', { 'content-type': 'application/x-www-form-urlencoded' }, 415],
		['a text/plain post', { 'content-type': 'text/plain' }, 415],
		['a multipart post', { 'content-type': 'multipart/form-data; boundary=x' }, 415],
		['JSON from another origin', { origin: 'https://evil.example' }, 403],
		['JSON with no origin', { origin: '' }, 403]
	])('%s → %i', async (_name, headers, status) => {
		const before = await databaseDigest(pod.db);
		const response = await post(
			'auth.staffLogin',
			{ email: 'lead@demo.school', password: DEMO.staffPassword },
			headers
		);
		expect(response.status).toBe(status);
		expect(cookieFrom(response)).toBe('');
		expect((await response.json()).error.message).toMatch(/refused|application\/json/);
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('never changes state through a GET', async () => {
		const response = await get('auth.staffLogin', {
			email: 'lead@demo.school',
			password: DEMO.staffPassword
		});
		expect(response.status).toBe(405);
		expect(cookieFrom(response)).toBe('');
	});
});

describe('a student over HTTP', () => {
	async function studentCookie() {
		const response = await post('auth.studentJoin', {
			joinCode: 'DEMO42',
			studentId: pod.users.student,
			pictures: [...DEMO.pictures]
		});
		expect(response.status).toBe(200);
		return cookieFrom(response).split(';')[0];
	}

	it('reads their own playlist and nobody else’s', async () => {
		const cookie = await studentCookie();
		const mine = await (await get('playlists.mine', undefined, cookie)).json();
		expect(mine.result.data.student.id).toBe(pod.users.student);
		const ownAssignments = await pod.db
			.selectFrom('assignments')
			.select('id')
			.where('student_id', '=', pod.users.student)
			.execute();
		expect(mine.result.data.items.map((i: { id: string }) => i.id).sort()).toEqual(
			ownAssignments.map((a) => a.id).sort()
		);

		for (const [path, input] of [
			['playlists.forStudent', { podId: pod.podId, studentId: pod.classmateId }],
			['pods.roster', { podId: pod.podId }],
			['pods.overview', { podId: pod.podId }]
		] as const) {
			const response = await get(path, input, cookie);
			expect(response.status, path).toBe(403);
			const body = await response.text();
			expect(body).not.toContain(pod.classmateId);
		}
	});
});

describe('bad input over HTTP', () => {
	it.each([
		['not JSON at all', '{"email":', 'auth.staffLogin'],
		['a string instead of an object', '"lead@demo.school"', 'auth.staffLogin'],
		['an email that is not one', JSON.stringify({ email: 'lead', password: 'x' }), 'auth.staffLogin'],
		[
			'a huge password',
			JSON.stringify({ email: 'lead@demo.school', password: 'x'.repeat(10_000) }),
			'auth.staffLogin'
		],
		[
			'pictures that are not in the set',
			JSON.stringify({ joinCode: 'DEMO42', studentId: '0', pictures: ['<script>'] }),
			'auth.studentJoin'
		]
	])('%s → 400 with a readable message, nothing changed', async (_name, body, path) => {
		const before = await databaseDigest(pod.db);
		const response = await fetch(`${api.origin}/api/trpc/${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: api.origin },
			body
		});
		expect(response.status).toBe(400);
		const { error } = await response.json();
		expect(error.data.code).toBe('BAD_REQUEST');
		expect(error.message.length).toBeGreaterThan(5);
		expect(error.message).not.toMatch(/^\[|"code":/); // a sentence, not a JSON dump
		expect(JSON.stringify(error)).not.toMatch(/at \w+ \(/); // no stack trace
		expect(await databaseDigest(pod.db)).toBe(before);
	});
});
