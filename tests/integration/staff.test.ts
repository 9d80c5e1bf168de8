import { createHash } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hashSecret, verifySecret } from '../../src/lib/server/auth/passwords';
import { hashToken, resolveSession, SESSION_COOKIE } from '../../src/lib/server/auth/sessions';
import { NETWORK_ACCOUNT_FAILURE_LIMIT } from '../../src/lib/server/auth/throttle';
import type { Database } from '../../src/lib/server/db';
import { openSessionStreams } from '../../src/lib/server/live/session-streams';
import { createCaller } from '../../src/lib/server/trpc/router';
import { callerAs, createTestPod, databaseDigest, sessionAs, type TestPod } from '../support/pod';
import { answerOf } from '../support/outcomes';
import { followBoard, startStreamingApiServer } from '../support/sse-board';
import { freshPod } from '../support/schools';
import { freshInvitation, freshStaff, staffSession } from '../support/staff';
import { latestSeq } from '../../src/lib/server/live/log';

// Staff accounts kept by the school's admin, and the links that let staff set their passwords:
// on both engines, through the API as the pages call it.

let pod: TestPod;
beforeAll(async () => {
	pod = await createTestPod();
});
afterAll(() => pod.db.destroy());

/** A browser with nobody signed in: the cookie the server sets lands in its jar. */
function browser(address = '10.0.0.9') {
	const jar = { token: '' };
	const caller = createCaller({
		db: pod.db,
		session: null,
		address,
		sessionCookie: { set: (token) => (jar.token = token), clear: () => (jar.token = '') }
	});
	return { caller, jar };
}

const tokenOf = (path: string) => path.replace(/^\/invite\//, '');

/** A digest of some tables: equal before and after means none of them changed. */
async function tablesDigest(db: Kysely<Database>, tables: string[]) {
	const hash = createHash('sha256');
	for (const table of tables) {
		const rows = await sql`select * from ${sql.table(table)}`.execute(db);
		hash.update(
			`${table}\n${rows.rows
				.map((row) => JSON.stringify(row))
				.sort()
				.join('\n')}\n`
		);
	}
	return hash.digest('hex');
}
const PEOPLE_TABLES = ['users', 'sessions', 'invitations', 'pod_staff', 'audit_log', 'sign_in_attempts'];

const invitationRow = (path: string) =>
	pod.db
		.selectFrom('invitations')
		.selectAll()
		.where('token_hash', '=', hashToken(tokenOf(path)))
		.executeTakeFirstOrThrow();

describe('an invitation, from the admin to a signed-in teacher', () => {
	it('is made with the account, opened, used to set a password, and signs its person in', async () => {
		const admin = await callerAs(pod, 'admin');
		const added = await admin.staff.create({ name: 'Noor Haddad', email: 'Noor.Haddad@demo.school' });
		expect(added.person).toMatchObject({ name: 'Noor Haddad', email: 'noor.haddad@demo.school' });
		// No SMTP_URL in this suite: nothing is sent, and the page says to hand the link over.
		expect(added.invitation).toMatchObject({ purpose: 'invite', delivery: 'off' });
		const path = added.invitation!.path;
		expect(path).toMatch(/^\/invite\/[A-Za-z0-9_-]{43}$/);
		// Only the token's hash is stored.
		const stored = await invitationRow(path);
		expect(stored).toMatchObject({ status: 'open', purpose: 'invite', issued_by: pod.users.admin });
		expect(JSON.stringify(await pod.db.selectFrom('invitations').selectAll().execute())).not.toContain(
			tokenOf(path)
		);
		expect(Date.parse(stored.expires_at) - Date.parse(stored.issued_at)).toBe(7 * 86_400_000);

		const { caller, jar } = browser();
		expect(await caller.auth.invitation({ token: tokenOf(path) })).toMatchObject({
			state: 'open',
			purpose: 'invite',
			name: 'Noor Haddad',
			email: 'noor.haddad@demo.school'
		});
		expect(
			await caller.auth.acceptInvitation({ token: tokenOf(path), password: 'a long enough password' })
		).toEqual({ next: '/pods' });
		const session = await resolveSession(pod.db, jar.token);
		expect(session?.user).toMatchObject({
			id: added.person.id,
			kind: 'staff',
			email: 'noor.haddad@demo.school'
		});
		expect(session?.podId).toBeNull();
		expect((await invitationRow(path)).status).toBe('used');
		// The password is theirs now: signing in with it works.
		const again = browser('10.0.0.10');
		await again.caller.auth.staffLogin({
			email: 'noor.haddad@demo.school',
			password: 'a long enough password'
		});
		expect(again.jar.token).not.toBe('');
		const actions = await pod.db
			.selectFrom('audit_log')
			.select(['action', 'actor_id'])
			.where('entity_id', '=', added.person.id)
			.orderBy('at')
			.execute();
		expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['create', 'setPassword']));
	});

	it('refuses a used link clearly and changes nothing', async () => {
		const invitation = await freshInvitation(pod);
		await browser().caller.auth.acceptInvitation({ token: invitation.token, password: 'the first password' });
		const before = await databaseDigest(pod.db);
		const { caller, jar } = browser();
		expect(await caller.auth.invitation({ token: invitation.token })).toMatchObject({ state: 'used' });
		expect(
			await answerOf(caller.auth.acceptInvitation({ token: invitation.token, password: 'a second password' }))
		).toEqual({ code: 'CONFLICT', message: expect.stringContaining('already used') });
		expect(jar.token).toBe('');
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('refuses an expired link clearly and changes nothing, and says nothing of whose it was', async () => {
		const invitation = await freshInvitation(pod, { now: new Date(Date.now() - 8 * 86_400_000) });
		const before = await databaseDigest(pod.db);
		const { caller, jar } = browser();
		expect(await caller.auth.invitation({ token: invitation.token })).toMatchObject({ state: 'expired' });
		expect(
			await answerOf(
				caller.auth.acceptInvitation({ token: invitation.token, password: 'a long enough password' })
			)
		).toEqual({ code: 'CONFLICT', message: expect.stringContaining('expired') });
		expect(jar.token).toBe('');
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('ends the earlier link when a new one is issued', async () => {
		const userId = await freshStaff(pod);
		const first = await freshInvitation(pod, { userId });
		const admin = await callerAs(pod, 'admin');
		const second = await admin.staff.invite({ userId });
		expect(second.invitation.purpose).toBe('invite');
		const { caller } = browser();
		expect(await caller.auth.invitation({ token: first.token })).toMatchObject({ state: 'ended' });
		expect(
			await answerOf(caller.auth.acceptInvitation({ token: first.token, password: 'a long enough password' }))
		).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('replaced by a newer one') });
		await caller.auth.acceptInvitation({
			token: tokenOf(second.invitation.path),
			password: 'a long enough password'
		});
		const open = await pod.db
			.selectFrom('invitations')
			.select('status')
			.where('user_id', '=', userId)
			.execute();
		expect(open.map((i) => i.status).sort()).toEqual(['ended', 'used']);
	});

	it('counts an unknown link apart, changes nothing else, and pauses nothing', async () => {
		const before = await tablesDigest(pod.db, PEOPLE_TABLES);
		const address = '10.0.3.1';
		const { caller } = browser(address);
		const unknown = 'A'.repeat(43);
		expect(await caller.auth.invitation({ token: unknown })).toMatchObject({ state: 'unknown' });
		expect(
			await answerOf(caller.auth.acceptInvitation({ token: unknown, password: 'a long enough password' }))
		).toEqual({
			code: 'NOT_FOUND',
			message: expect.stringContaining('whole link')
		});
		// A flood of made-up links from one network, all at once.
		await Promise.all(
			Array.from({ length: 40 }, (_, i) =>
				caller.auth.invitation({ token: `${String(i).padStart(3, '0')}${'b'.repeat(40)}` })
			)
		);
		expect(await tablesDigest(pod.db, PEOPLE_TABLES)).toBe(before);
		const counted = await pod.db
			.selectFrom('sign_in_counters')
			.select((eb) => eb.fn.sum<number>('count').as('n'))
			.where('bucket', '=', 'invite-link')
			.where('network', '=', address)
			.executeTakeFirstOrThrow();
		expect(Number(counted.n)).toBe(42);
		// A real link from the same network still works.
		const invitation = await freshInvitation(pod);
		await caller.auth.acceptInvitation({ token: invitation.token, password: 'a long enough password' });
		expect(
			(
				await pod.db
					.selectFrom('invitations')
					.select('status')
					.where('id', '=', invitation.id)
					.executeTakeFirstOrThrow()
			).status
		).toBe('used');
	});

	it('holds one password rule: too short is refused and changes nothing', async () => {
		const invitation = await freshInvitation(pod);
		const before = await databaseDigest(pod.db);
		expect(
			await answerOf(browser().caller.auth.acceptInvitation({ token: invitation.token, password: 'short' }))
		).toEqual({
			code: 'BAD_REQUEST',
			message: expect.stringContaining('Use at least 10 characters')
		});
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('gives one success to many tries with one link at once', async () => {
		const invitation = await freshInvitation(pod);
		const tries = Array.from({ length: 12 }, (_, i) =>
			browser(`10.0.4.${i}`).caller.auth.acceptInvitation({
				token: invitation.token,
				password: `password number ${i}`
			})
		);
		const outcomes = await Promise.allSettled(tries);
		expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
		for (const o of outcomes.filter((o) => o.status === 'rejected')) {
			expect((o.reason as TRPCError).code).toBe('CONFLICT');
		}
		const sessions = await pod.db
			.selectFrom('sessions')
			.select('token_hash')
			.where('user_id', '=', invitation.userId)
			.execute();
		expect(sessions).toHaveLength(1);
	});

	it('ends the sessions a reset link finds, and the other person signed in on this browser', async () => {
		const userId = await freshStaff(pod, { passwordHash: await hashSecret('an old password!') });
		const elsewhere = await staffSession(pod, userId);
		const invitation = await freshInvitation(pod, { userId });
		const someoneElse = await sessionAs(pod, 'teacher');
		const onThisBrowser = createCaller({
			db: pod.db,
			session: someoneElse,
			address: '10.0.5.1',
			sessionCookie: { set: () => {}, clear: () => {} }
		});
		await onThisBrowser.auth.acceptInvitation({ token: invitation.token, password: 'a brand new password' });
		expect(await resolveSession(pod.db, elsewhere)).toBeNull();
		const left = await pod.db
			.selectFrom('sessions')
			.select('token_hash')
			.where('token_hash', '=', someoneElse!.tokenHash)
			.execute();
		expect(left).toEqual([]);
	});
});

describe('a pod keeps a lead', () => {
	const leadName = async (userId: string) =>
		await pod.db
			.selectFrom('users')
			.select(['given_name', 'family_name'])
			.where('id', '=', userId)
			.executeTakeFirstOrThrow();

	it("refuses to remove, move, demote or switch off the pod's only lead, and changes nothing", async () => {
		const admin = await callerAs(pod, 'admin');
		const { given_name, family_name } = await leadName(pod.users.lead);
		const message = `${given_name} ${family_name} is the pod's only lead; name another lead first.`;
		const before = await databaseDigest(pod.db);
		expect(await answerOf(admin.staff.removeFromPod({ podId: pod.podId, userId: pod.users.lead }))).toEqual({
			code: 'CONFLICT',
			message
		});
		expect(
			await answerOf(admin.staff.setRole({ podId: pod.podId, userId: pod.users.lead, role: 'teacher' }))
		).toEqual({
			code: 'CONFLICT',
			message
		});
		expect(
			await answerOf(
				admin.staff.moveToPod({
					fromPodId: pod.podId,
					toPodId: pod.otherPodId,
					userId: pod.users.lead,
					role: 'lead'
				})
			)
		).toEqual({ code: 'CONFLICT', message });
		expect(await answerOf(admin.staff.deactivate({ userId: pod.users.lead }))).toEqual({
			code: 'CONFLICT',
			message: expect.stringContaining('is the only lead of Pod North; name another lead there first')
		});
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('lets one of two leads go, and only one when both are removed at once', async () => {
		const own = await (
			await callerAs(pod, 'admin')
		).staff.addToPod({
			podId: pod.podId,
			name: 'Second Lead',
			email: 'second.lead@demo.school',
			role: 'lead'
		});
		expect(own.created).toBe(true);
		const admins = await Promise.all([callerAs(pod, 'admin'), callerAs(pod, 'admin')]);
		const outcomes = await Promise.allSettled([
			admins[0].staff.removeFromPod({ podId: pod.podId, userId: pod.users.lead }),
			admins[1].staff.removeFromPod({ podId: pod.podId, userId: own.person.id })
		]);
		expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
		const leads = await pod.db
			.selectFrom('pod_staff')
			.select('user_id')
			.where('pod_id', '=', pod.podId)
			.where('role', '=', 'lead')
			.execute();
		expect(leads).toHaveLength(1);
		// Put things back as the other tests expect them: the demo lead leads Pod North alone.
		const admin = await callerAs(pod, 'admin');
		if (leads[0].user_id !== pod.users.lead) {
			await admin.staff.putOnPod({ podId: pod.podId, userId: pod.users.lead, role: 'lead' });
		}
		await admin.staff.removeFromPod({ podId: pod.podId, userId: own.person.id });
	});

	it('puts an existing account on a team by email, and moves a teacher between pods', async () => {
		const admin = await callerAs(pod, 'admin');
		const teacherId = await freshStaff(pod, { passwordHash: await hashSecret('their own password') });
		const { email } = await pod.db
			.selectFrom('users')
			.select('email')
			.where('id', '=', teacherId)
			.executeTakeFirstOrThrow();
		const added = await admin.staff.addToPod({
			podId: pod.podId,
			name: 'Ignored Name',
			email: email!,
			role: 'teacher'
		});
		// They have a password already: no link, and their name stays theirs.
		expect(added).toMatchObject({ created: false, invitation: null, person: { id: teacherId } });
		await admin.staff.moveToPod({
			fromPodId: pod.podId,
			toPodId: pod.otherPodId,
			userId: teacherId,
			role: 'lead'
		});
		const teams = await pod.db
			.selectFrom('pod_staff')
			.select(['pod_id', 'role'])
			.where('user_id', '=', teacherId)
			.execute();
		expect(teams).toEqual([{ pod_id: pod.otherPodId, role: 'lead' }]);
		const team = await admin.staff.team({ podId: pod.otherPodId });
		expect(team.members.map((m) => m.role)).toEqual(['lead', 'lead']);
	});
});

describe("an archived pod's team", () => {
	it('is read-only, and needs no lead: its only lead can still be switched off', async () => {
		const archived = await freshPod(pod, { archived: true });
		const leadId = await freshStaff(pod, { on: { podId: archived.id, role: 'lead' } });
		const admin = await callerAs(pod, 'admin');
		const before = await databaseDigest(pod.db);
		const readOnly = { code: 'CONFLICT', message: expect.stringContaining(`${archived.name} is archived`) };
		expect(
			await answerOf(
				admin.staff.addToPod({
					podId: archived.id,
					name: 'Late Comer',
					email: 'late@demo.school',
					role: 'teacher'
				})
			)
		).toEqual(readOnly);
		expect(await answerOf(admin.staff.removeFromPod({ podId: archived.id, userId: leadId }))).toEqual(
			readOnly
		);
		expect(await databaseDigest(pod.db)).toBe(before);
		expect(await admin.staff.deactivate({ userId: leadId })).toMatchObject({ changed: true });
		expect((await admin.staff.list()).pods.map((p) => p.id)).not.toContain(archived.id);
	});
});

describe('the school keeps an admin', () => {
	it('refuses to unmake or switch off the last admin, and changes nothing', async () => {
		const admin = await callerAs(pod, 'admin');
		const before = await databaseDigest(pod.db);
		const expected = {
			code: 'CONFLICT',
			message: expect.stringContaining("is the school's last admin; make someone else an admin first")
		};
		expect(await answerOf(admin.staff.setAdmin({ userId: pod.users.admin, isAdmin: false }))).toEqual(
			expected
		);
		expect(await answerOf(admin.staff.deactivate({ userId: pod.users.admin }))).toEqual(expected);
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('of two admins unmaking each other at once, leaves one', async () => {
		const admin = await callerAs(pod, 'admin');
		const secondId = await freshStaff(pod, { isAdmin: true });
		const second = createCaller({
			db: pod.db,
			session: await resolveSession(pod.db, await staffSession(pod, secondId)),
			address: '10.0.6.1',
			sessionCookie: { set: () => {}, clear: () => {} }
		});
		const outcomes = await Promise.allSettled([
			admin.staff.setAdmin({ userId: secondId, isAdmin: false }),
			second.staff.setAdmin({ userId: pod.users.admin, isAdmin: false })
		]);
		expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
		const admins = await pod.db
			.selectFrom('users')
			.select('id')
			.where('is_admin', '=', 1)
			.where('status', '=', 'active')
			.execute();
		expect(admins).toHaveLength(1);
		// Put the demo admin back, for the tests after this one.
		if (admins[0].id !== pod.users.admin) {
			await pod.db.updateTable('users').set({ is_admin: 1 }).where('id', '=', pod.users.admin).execute();
		}
	});
});

describe('switching an account off', () => {
	it('ends its sessions and its live boards, and its open link', async () => {
		const server = await startStreamingApiServer(pod.db);
		try {
			const teacherId = await freshStaff(pod, { on: { podId: pod.podId, role: 'teacher' } });
			const token = await staffSession(pod, teacherId);
			const board = await followBoard(
				server.origin,
				pod.podId,
				`${SESSION_COOKIE}=${token}`,
				await latestSeq(pod.db, pod.podId)
			);
			expect(board.errors).toEqual([]);
			const link = await freshInvitation(pod, { userId: teacherId });

			const admin = await callerAs(pod, 'admin');
			expect(await admin.staff.deactivate({ userId: teacherId })).toEqual({
				changed: true,
				sessionsEnded: 1
			});
			await vi.waitFor(() => expect(board.ended).toBe(true), { timeout: 10_000 });
			expect(await resolveSession(pod.db, token)).toBeNull();
			expect(await browser().caller.auth.invitation({ token: link.token })).toMatchObject({ state: 'ended' });
			const member = await admin.staff.member({ userId: teacherId });
			expect(member.person).toMatchObject({ active: false, openLink: null });
			// Switched on again, they have a password to set: a new link does it.
			await admin.staff.reactivate({ userId: teacherId });
			const again = await admin.staff.invite({ userId: teacherId });
			expect(await browser().caller.auth.invitation({ token: tokenOf(again.invitation.path) })).toMatchObject(
				{ state: 'open' }
			);
		} finally {
			await vi.waitFor(() => expect(openSessionStreams()).toBe(0), { timeout: 10_000 });
			await server.close();
		}
	});

	it("resets a password by a new link: the old one stops working and the person's sessions end", async () => {
		const userId = await freshStaff(pod, { passwordHash: await hashSecret('the old password') });
		const token = await staffSession(pod, userId);
		const admin = await callerAs(pod, 'admin');
		const reset = await admin.staff.invite({ userId });
		expect(reset).toMatchObject({ sessionsEnded: 1, invitation: { purpose: 'reset', delivery: 'off' } });
		expect(await resolveSession(pod.db, token)).toBeNull();
		const { password_hash } = await pod.db
			.selectFrom('users')
			.select('password_hash')
			.where('id', '=', userId)
			.executeTakeFirstOrThrow();
		expect(password_hash).toBeNull();
	});
});

describe('changing your own password', () => {
	it('asks for the current one, ends your other sessions and keeps this one', async () => {
		const userId = await freshStaff(pod, { passwordHash: await hashSecret('my current password') });
		const other = await staffSession(pod, userId);
		const mine = await resolveSession(pod.db, await staffSession(pod, userId));
		const me = createCaller({
			db: pod.db,
			session: mine,
			address: '10.0.7.1',
			sessionCookie: { set: () => {}, clear: () => {} }
		});

		const before = await tablesDigest(pod.db, ['users', 'sessions']);
		expect(
			await answerOf(
				me.auth.changePassword({ currentPassword: 'not my password', newPassword: 'my next password' })
			)
		).toEqual({
			code: 'BAD_REQUEST',
			message: expect.stringContaining('not your current password')
		});
		expect(await tablesDigest(pod.db, ['users', 'sessions'])).toBe(before);

		expect(
			await me.auth.changePassword({
				currentPassword: 'my current password',
				newPassword: 'my next password'
			})
		).toEqual({
			sessionsEnded: 1
		});
		expect(await resolveSession(pod.db, other)).toBeNull();
		const still = await pod.db
			.selectFrom('sessions')
			.select('token_hash')
			.where('token_hash', '=', mine!.tokenHash)
			.execute();
		expect(still).toHaveLength(1);
		const { password_hash } = await pod.db
			.selectFrom('users')
			.select('password_hash')
			.where('id', '=', userId)
			.executeTakeFirstOrThrow();
		expect(await verifySecret('my next password', password_hash!)).toBe(true);
	});

	it('counts wrong current passwords like sign-ins: a burst gets only as many checks as the limit', async () => {
		const userId = await freshStaff(pod, { passwordHash: await hashSecret('my current password') });
		const me = createCaller({
			db: pod.db,
			session: await resolveSession(pod.db, await staffSession(pod, userId)),
			address: '10.0.8.1',
			sessionCookie: { set: () => {}, clear: () => {} }
		});
		const outcomes = await Promise.allSettled(
			Array.from({ length: 12 }, (_, i) =>
				me.auth.changePassword({ currentPassword: `guess number ${i}`, newPassword: 'my next password' })
			)
		);
		const codes = outcomes.map((o) => (o.status === 'rejected' ? (o.reason as TRPCError).code : 'ok'));
		expect(codes.filter((c) => c === 'BAD_REQUEST')).toHaveLength(NETWORK_ACCOUNT_FAILURE_LIMIT);
		expect(codes.filter((c) => c === 'TOO_MANY_REQUESTS')).toHaveLength(12 - NETWORK_ACCOUNT_FAILURE_LIMIT);
		// Locked like a sign-in: even the right password waits.
		expect(
			await answerOf(
				me.auth.changePassword({ currentPassword: 'my current password', newPassword: 'my next password' })
			)
		).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
	});
});

describe('"Forgot your password?" without SMTP_URL', () => {
	it('answers the same for a known and an unknown address, and sends and changes nothing', async () => {
		const before = await databaseDigest(pod.db);
		const known = await browser().caller.auth.requestPasswordReset({ email: 'lead@demo.school' });
		const unknown = await browser().caller.auth.requestPasswordReset({ email: 'nobody@demo.school' });
		expect(known).toEqual({ emailOn: false });
		expect(unknown).toEqual(known);
		expect(await databaseDigest(pod.db)).toBe(before);
	});
});

describe('the staff list', () => {
	it('shows imported staff too, with their sign-in state', async () => {
		const importedId = await freshStaff(pod, { on: { podId: pod.podId, role: 'teacher' } });
		await pod.db
			.updateTable('users')
			.set({ source_id: `or-${importedId}` })
			.where('id', '=', importedId)
			.execute();
		const { people, emailOn, myId } = await (await callerAs(pod, 'admin')).staff.list();
		expect(emailOn).toBe(false);
		expect(myId).toBe(pod.users.admin);
		expect(people.find((p) => p.id === importedId)).toMatchObject({
			imported: true,
			hasPassword: false,
			openLink: null,
			active: true,
			pods: [{ id: pod.podId, name: 'Pod North', role: 'teacher' }]
		});
		expect(people.find((p) => p.id === pod.users.admin)).toMatchObject({ isAdmin: true, hasPassword: true });
	});
});
