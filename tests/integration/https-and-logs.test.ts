// The production build as a school runs it behind a TLS proxy (ORIGIN=https://…): browsers are
// told to come back over HTTPS only and session cookies are Secure. And what the server prints
// while people work: no token, no email, no student's name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db/seed/demo';
import { SESSION_COOKIE } from '../../src/lib/server/auth/sessions';
import { createDb } from '../../src/lib/server/db';
import { freshDatabaseUrl } from '../support/database';
import { signInDemoStudent, startKillableServer, type KillableServer } from '../support/killable-server';

let server: KillableServer;
let removeDatabase = () => {};
let databaseUrl: string;
let printedAtStart = '';

beforeAll(async () => {
	const database = await freshDatabaseUrl();
	databaseUrl = database.url;
	removeDatabase = database.remove;
	server = await startKillableServer(databaseUrl, true, {
		publicOrigin: (port) => `https://127.0.0.1:${port}`
	});
	// The demo's own sign-in instructions, made-up staff emails and all, are printed at start.
	printedAtStart = server.output();
}, 120_000);

afterAll(async () => {
	await server?.kill('SIGTERM');
	removeDatabase();
});

const sessionCookieOf = (response: Response) =>
	response.headers.getSetCookie().find((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`));
const lead = DEMO.staff.find((member) => member.podRole === 'lead')!;
/** The lead's session cookie, as a request sends it back. */
async function leadSignsIn(): Promise<string> {
	const signedIn = await server.mutate('auth.staffLogin', {
		email: lead.email,
		password: DEMO.staffPassword
	});
	return sessionCookieOf(signedIn)!.split(';')[0];
}

describe('behind an HTTPS proxy', () => {
	it('tells browsers to come back over HTTPS only', async () => {
		const response = await fetch(`${server.origin}/login`);
		expect(response.status).toBe(200);
		expect(response.headers.get('strict-transport-security')).toMatch(/^max-age=\d{7,}/);
	});

	it.each([
		[
			'staff',
			() => server.mutate('auth.staffLogin', { email: DEMO.staff[0].email, password: DEMO.staffPassword })
		],
		[
			'students',
			async () => {
				const roster = await server.query<{ students: { id: string }[] }>('auth.joinRoster', {
					joinCode: DEMO.joinCode
				});
				return server.mutate('auth.studentJoin', {
					joinCode: DEMO.joinCode,
					studentId: roster.students[0].id,
					pictures: [...DEMO.pictures]
				});
			}
		]
	])('gives %s a session cookie that is Secure, HttpOnly and SameSite', async (_who, signIn) => {
		const response = await signIn();
		expect(response.status).toBe(200);
		const cookie = sessionCookieOf(response)!;
		expect(cookie).toBeDefined();
		expect(cookie).toMatch(/; Secure(;|$)/i);
		expect(cookie).toMatch(/; HttpOnly(;|$)/i);
		expect(cookie).toMatch(/; SameSite=(Lax|Strict)(;|$)/i);
	});
});

describe('a sign-in card on a shared Chromebook', () => {
	it('signs out whoever was signed in there before, and leaves the link out of the address', async () => {
		const leadCookie = await leadSignsIn();
		const roster = await server.query<{ students: { id: string }[] }>('auth.joinRoster', {
			joinCode: DEMO.joinCode
		});
		const db = createDb(databaseUrl);
		const pod = await db
			.selectFrom('pods')
			.select('id')
			.where('join_code', '=', 'DEMO42')
			.executeTakeFirstOrThrow();
		await db.destroy();
		const issued = await server.mutate(
			'cards.issue',
			{ podId: pod.id, studentIds: [roster.students[2].id] },
			leadCookie
		);
		expect(issued.status).toBe(200);
		const [card] = ((await issued.json()) as { result: { data: { link: string }[] } }).result.data;

		// The card's link opened in the browser the lead was using: asked first, still the lead.
		const link = `${server.origin}${new URL(card.link).pathname}`;
		const asked = await fetch(link, { headers: { cookie: leadCookie }, redirect: 'manual' });
		expect(asked.status).toBe(200);
		expect(await asked.text()).toContain('Sign in as a student?');
		expect(await server.query('auth.me', undefined, leadCookie)).toMatchObject({ kind: 'staff' });
		// Then told to go ahead: the form on that page.
		const opened = await fetch(link, {
			method: 'POST',
			headers: {
				cookie: leadCookie,
				accept: 'text/html',
				// SvelteKit's own check on form posts: from the public address.
				origin: server.origin.replace('http:', 'https:'),
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: '',
			redirect: 'manual'
		});
		expect(opened.status).toBe(303);
		expect(opened.headers.get('location')).toBe('/me');
		const studentCookie = sessionCookieOf(opened)!.split(';')[0];
		expect(studentCookie).not.toBe(leadCookie);
		expect(await server.query('auth.me', undefined, leadCookie)).toBeNull();
		expect(await server.query('auth.me', undefined, studentCookie)).toMatchObject({ kind: 'student' });
	});
});

describe('what the server prints while people work', () => {
	it('names no one and shows no token', async () => {
		const staffCookie = await leadSignsIn();
		const db = createDb(databaseUrl);
		const students = await db
			.selectFrom('users')
			.select(['given_name', 'family_name'])
			.where('kind', '=', 'student')
			.execute();
		const pod = await db
			.selectFrom('pods')
			.select('id')
			.where('join_code', '=', 'DEMO42')
			.executeTakeFirstOrThrow();
		await db.destroy();

		// A morning in miniature: the board, a student's work, a refused write, a wrong sign-in, a sign-out.
		await server.query('dashboard.heatmap', { podId: pod.id }, staffCookie);
		const student = await signInDemoStudent(server, 1);
		const recorded = await server.mutate(
			'progress.record',
			{
				events: [
					{
						eventId: crypto.randomUUID(),
						assignmentId: student.assignmentIds[0],
						kind: 'start',
						occurredAt: new Date().toISOString()
					}
				]
			},
			student.cookie
		);
		expect(recorded.status).toBe(200);
		expect(
			(await server.mutate('flags.raise', { podId: pod.id, studentIds: ['x'] }, staffCookie)).status
		).toBe(400);
		expect(
			(await server.mutate('auth.staffLogin', { email: lead.email, password: 'not the password' })).status
		).toBe(401);
		expect((await server.mutate('auth.logout', undefined, staffCookie)).status).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 200)); // what the server prints arrives by pipe

		// What is printed reaches the test: the start's demo instructions name the lead.
		expect(printedAtStart).toContain(lead.email);
		const printed = server.output().slice(printedAtStart.length);
		const tokens = [staffCookie, student.cookie].map((cookie) => cookie.split('=')[1]);
		for (const secret of [...tokens, lead.email, DEMO.staffPassword]) expect(printed).not.toContain(secret);
		for (const { given_name, family_name } of students)
			expect(printed).not.toContain(`${given_name} ${family_name}`);
	});
});
