import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db/seed/demo';
import { PICTURES, type Picture } from '../../src/lib/auth/pictures';
import { resolveSession } from '../../src/lib/server/auth/sessions';
import { signInStudent } from '../../src/lib/server/auth/sign-in';
import { drawPictures } from '../../src/lib/server/cards/cards';
import { signInWithCard } from '../../src/lib/server/cards/sign-in';
import { newId } from '../../src/lib/server/ids';
import { freshStudent, tokenOf } from '../support/cards';
import { appTables } from '../support/database';
import { callerAs, createTestPod, databaseDigest, type Role, type TestPod } from '../support/pod';
import { asTheApiAnswers, outcomeOf } from '../support/outcomes';

// Sign-in cards as the lead makes them and a student uses them: the link signs in its own
// student and nobody else, a new card or a void stops the old one, and the database never
// holds a link's token.

let pod: TestPod;
beforeAll(async () => {
	pod = await createTestPod();
});
afterAll(() => pod.db.destroy());

async function issue(studentIds: string[], role: Role = 'lead') {
	return (await callerAs(pod, role)).cards.issue({ podId: pod.podId, studentIds });
}

/** Every row of every table as text: a token must appear nowhere in it. */
async function everything(): Promise<string> {
	const rows: string[] = [];
	for (const name of await appTables(pod.db)) {
		rows.push(JSON.stringify((await sql`select * from ${sql.table(name)}`.execute(pod.db)).rows));
	}
	return rows.join('\n');
}

// Signing in by pictures refuses as the domain does; the API answers with the code it maps it to.
const signInByPictures = (studentId: string, pictures: readonly Picture[]) =>
	outcomeOf(
		asTheApiAnswers(
			signInStudent(pod.db, { joinCode: DEMO.joinCode, studentId, pictures, address: '10.1.1.1' })
		)
	);

describe('drawing pictures', () => {
	it.each(Array.from({ length: 20 }, (_, i) => [i]))('draw %i: three different pictures', () => {
		const pictures = drawPictures();
		expect(pictures).toHaveLength(3);
		expect(new Set(pictures).size).toBe(3);
	});
});

describe('a card link', () => {
	it('signs in its own student, and another card its own', async () => {
		const [first, second] = [await freshStudent(pod), await freshStudent(pod)];
		const made = await issue([first, second]);
		expect(made.map((m) => m.studentId)).toEqual([first, second]);
		for (const { studentId, link } of made) {
			expect(link).toMatch(/^http:\/\/localhost:\d+\/join\/card\/[A-Za-z0-9_-]{43}$/);
			const result = await signInWithCard(pod.db, { token: tokenOf(link), address: '10.1.1.2' });
			expect(result.ok).toBe(true);
			if (!result.ok) return;
			expect(result.signedIn.userId).toBe(studentId);
			expect(result.signedIn.podId).toBe(pod.podId);
			const session = await resolveSession(pod.db, result.signedIn.token);
			expect(session?.user.id).toBe(studentId);
			expect(session?.user.kind).toBe('student');
			expect(session?.podId).toBe(pod.podId);
		}
	});

	it('gives a student session: until the end of the school day, 3 hours idle', async () => {
		const [{ link }] = await issue([await freshStudent(pod)]);
		const now = new Date('2026-11-18T15:00:00Z'); // 10:00 in New York
		const result = await signInWithCard(pod.db, { token: tokenOf(link), address: '10.1.1.3' }, now);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		// The pod's day ends at 15:00 New York time; a student session lasts 30 minutes past it.
		expect(result.signedIn.expiresAt.toISOString()).toBe('2026-11-18T20:30:00.000Z');
		const row = await pod.db
			.selectFrom('sessions')
			.select(['idle_minutes', 'pod_id'])
			.where('user_id', '=', result.signedIn.userId)
			.executeTakeFirstOrThrow();
		expect(row).toEqual({ idle_minutes: 180, pod_id: pod.podId });
	});

	it('is stored only as a hash: the token is nowhere in the database', async () => {
		const studentId = await freshStudent(pod);
		const [{ link, card }] = await issue([studentId]);
		const token = tokenOf(link);
		expect(Buffer.from(token, 'base64url')).toHaveLength(32);
		const row = await pod.db
			.selectFrom('sign_in_cards')
			.select('token_hash')
			.where('id', '=', card.id)
			.executeTakeFirstOrThrow();
		expect(row).toEqual({ token_hash: createHash('sha256').update(token).digest('base64url') });
		await signInWithCard(pod.db, { token, address: '10.1.1.4' });
		expect(await everything()).not.toContain(token);
	});

	it('makes its pictures the student’s picture password, in their order', async () => {
		const studentId = await freshStudent(pod);
		const [{ card }] = await issue([studentId]);
		expect(card.pictures).toHaveLength(3);
		expect(await signInByPictures(studentId, card.pictures)).toBe('ok');
		// Three different pictures: backwards is always the wrong order.
		expect(await signInByPictures(studentId, [...card.pictures].reverse())).toBe('UNAUTHORIZED');
	});

	it('leaves every other student’s pictures as they were', async () => {
		await issue([await freshStudent(pod)]);
		expect(await signInByPictures(pod.users.student, DEMO.pictures)).toBe('ok');
		expect(await signInByPictures(pod.classmateId, DEMO.pictures)).toBe('ok');
	});

	it('stops working when the lead makes a new card; the new one works', async () => {
		const studentId = await freshStudent(pod);
		const [old] = await issue([studentId]);
		const [fresh] = await issue([studentId]);
		expect(await signInWithCard(pod.db, { token: tokenOf(old.link), address: '10.1.1.5' })).toEqual({
			ok: false,
			why: 'ended'
		});
		expect(await signInByPictures(studentId, old.card.pictures)).toBe(
			old.card.pictures.join() === fresh.card.pictures.join() ? 'ok' : 'UNAUTHORIZED'
		);
		const result = await signInWithCard(pod.db, { token: tokenOf(fresh.link), address: '10.1.1.5' });
		expect(result.ok && result.signedIn.userId).toBe(studentId);
		expect(await signInByPictures(studentId, fresh.card.pictures)).toBe('ok');
	});

	it('stops working when the lead voids the card: link, pictures and open sessions', async () => {
		const studentId = await freshStudent(pod);
		const [made] = await issue([studentId]);
		const signedIn = await signInWithCard(pod.db, { token: tokenOf(made.link), address: '10.1.1.6' });
		expect(signedIn.ok).toBe(true);
		const lead = await callerAs(pod, 'lead');
		expect(await lead.cards.void({ podId: pod.podId, studentId })).toEqual({ cardId: made.card.id });
		expect(await signInWithCard(pod.db, { token: tokenOf(made.link), address: '10.1.1.6' })).toEqual({
			ok: false,
			why: 'ended'
		});
		expect(await signInByPictures(studentId, made.card.pictures)).toBe('UNAUTHORIZED');
		if (signedIn.ok) expect(await resolveSession(pod.db, signedIn.signedIn.token)).toBeNull();
		// Voided twice: there is no working card left to void.
		expect(await outcomeOf(lead.cards.void({ podId: pod.podId, studentId }))).toBe('NOT_FOUND');
		const listed = (await lead.cards.list({ podId: pod.podId })).students.find((s) => s.id === studentId);
		expect(listed).toMatchObject({ card: null, ended: { status: 'voided' } });
	});

	it('that was never made, or is malformed, signs nobody in and logs no token', async () => {
		const before = await pod.db
			.selectFrom('sessions')
			.select((eb) => eb.fn.countAll().as('n'))
			.executeTakeFirst();
		for (const token of ['A'.repeat(43), 'short', `${'B'.repeat(42)}!`, 'x'.repeat(5000)]) {
			expect(await signInWithCard(pod.db, { token, address: '10.1.1.7' })).toEqual({
				ok: false,
				why: 'ended'
			});
		}
		const after = await pod.db
			.selectFrom('sessions')
			.select((eb) => eb.fn.countAll().as('n'))
			.executeTakeFirst();
		expect(after).toEqual(before);
		// Counted apart from sign-ins, one row per network and quarter hour: never in the attempt log.
		const attempts = await pod.db
			.selectFrom('sign_in_attempts')
			.select('id')
			.where('address', '=', '10.1.1.7')
			.execute();
		expect(attempts).toEqual([]);
		const counted = await pod.db
			.selectFrom('sign_in_counters')
			.select(['bucket', 'count'])
			.where('network', '=', '10.1.1.7')
			.execute();
		expect(counted).toEqual([{ bucket: 'card-link', count: 4 }]);
		expect(await everything()).not.toContain('A'.repeat(43));
	});

	it('unknown by the hundred spend none of the sign-in budget of the network they come from', async () => {
		const studentId = await freshStudent(pod);
		const [made] = await issue([studentId]);
		// An image tag per unknown link on some web page a class opens: 400 of them, all at once.
		const unknown = await Promise.all(
			Array.from({ length: 400 }, (_, i) =>
				signInWithCard(pod.db, {
					token: `${'C'.repeat(40)}${String(i).padStart(3, '0')}`,
					address: '10.9.9.9'
				})
			)
		);
		expect(unknown.every((result) => !result.ok)).toBe(true);
		// The class behind that network still signs in, by card and by pictures.
		expect((await signInWithCard(pod.db, { token: tokenOf(made.link), address: '10.9.9.9' })).ok).toBe(true);
		const classmate = await signInStudent(pod.db, {
			joinCode: 'DEMO42',
			studentId: pod.classmateId,
			pictures: [...DEMO.pictures],
			address: '10.9.9.9'
		});
		expect(classmate.userId).toBe(pod.classmateId);
		const [counted] = await pod.db
			.selectFrom('sign_in_counters')
			.select('count')
			.where('bucket', '=', 'card-link')
			.where('network', '=', '10.9.9.9')
			.execute();
		expect(counted.count).toBe(400);
	});
});

describe('a new card for a locked student', () => {
	it('unlocks them: the tries stop counting, the board hears it, and the new pictures work where the guessing was', async () => {
		const studentId = await freshStudent(pod);
		const [first] = await issue([studentId]);
		const tryAt = (pictures: readonly Picture[]) =>
			outcomeOf(
				asTheApiAnswers(
					signInStudent(pod.db, { joinCode: DEMO.joinCode, studentId, pictures, address: '10.1.7.7' })
				)
			);
		const wrong = PICTURES.filter((p) => !first.card.pictures.includes(p)).slice(0, 3);
		for (let i = 0; i < 5; i++) expect(await tryAt(wrong)).toBe('UNAUTHORIZED');
		expect(await tryAt(first.card.pictures)).toBe('TOO_MANY_REQUESTS');
		const lead = await callerAs(pod, 'lead');
		const locked = async () => (await lead.signInLocks.list({ podId: pod.podId })).map((l) => l.studentId);
		expect(await locked()).toContain(studentId);

		const [fresh] = await issue([studentId]);
		expect(await locked()).not.toContain(studentId);
		expect(await tryAt(fresh.card.pictures)).toBe('ok');
		const heard = await pod.db
			.selectFrom('pod_events')
			.select('payload')
			.where('pod_id', '=', pod.podId)
			.where('kind', '=', 'signIn.unlocked')
			.execute();
		expect(heard.map((e) => JSON.parse(e.payload).unlockedStudentIds)).toContainEqual([studentId]);
		// The tries stay in the log, marked as cleared by the lead who made the card.
		const tries = await pod.db
			.selectFrom('sign_in_attempts')
			.select('cleared_by')
			.where('account_key', '=', `student:${studentId}`)
			.where('succeeded', '=', 0)
			.execute();
		expect(tries).toEqual(Array(5).fill({ cleared_by: pod.users.lead }));
	});
});

describe('the lead’s card list', () => {
	it('shows each student’s working card with its pictures, never its link', async () => {
		const studentId = await freshStudent(pod);
		const [made] = await issue([studentId]);
		const list = await (await callerAs(pod, 'admin')).cards.list({ podId: pod.podId });
		expect(list.pod).toMatchObject({ id: pod.podId, name: 'Pod North', joinCode: 'DEMO42' });
		expect(list.students.length).toBeGreaterThanOrEqual(72);
		const listed = list.students.find((s) => s.id === studentId);
		expect(listed?.card).toEqual(made.card);
		expect(JSON.stringify(list)).not.toContain(tokenOf(made.link));
		// The demo's students have no card until the lead makes one, but sign in with pictures.
		expect(list.students.find((s) => s.id === pod.users.student)).toMatchObject({
			card: null,
			signsInWithPictures: true
		});
		expect(listed?.signsInWithPictures).toBe(true);
	});

	it('says who can sign in with pictures: not before a first card, nor after a void', async () => {
		const studentId = await freshStudent(pod);
		const lead = await callerAs(pod, 'lead');
		const listed = async () =>
			(await lead.cards.list({ podId: pod.podId })).students.find((s) => s.id === studentId);
		expect(await listed()).toMatchObject({ card: null, signsInWithPictures: false });
		await issue([studentId]);
		expect((await listed())?.signsInWithPictures).toBe(true);
		await lead.cards.void({ podId: pod.podId, studentId });
		expect(await listed()).toMatchObject({ card: null, signsInWithPictures: false });
	});

	it('audits each new card and void without a token or a picture', async () => {
		const studentId = await freshStudent(pod);
		const [made] = await issue([studentId]);
		await (await callerAs(pod, 'lead')).cards.void({ podId: pod.podId, studentId });
		const entries = await pod.db
			.selectFrom('audit_log')
			.select(['action', 'entity', 'entity_id', 'actor_id', 'detail'])
			.where('entity_id', '=', made.card.id)
			.orderBy('at')
			.execute();
		expect(entries.map((e) => [e.action, e.entity, e.actor_id])).toEqual([
			['issue', 'sign_in_card', pod.users.lead],
			['void', 'sign_in_card', pod.users.lead]
		]);
		for (const entry of entries) {
			expect(entry.detail).not.toContain(tokenOf(made.link));
			for (const picture of made.card.pictures) expect(entry.detail).not.toContain(picture);
		}
	});
});

describe('who may make and void cards', () => {
	it.each(['anonymous', 'student', 'otherPodTeacher', 'teacher'] as const)(
		'%s is refused, and nothing changes',
		async (role) => {
			const { studentId, cardLink } = await (async () => {
				const id = await freshStudent(pod);
				const [card] = await issue([id]);
				return { studentId: id, cardLink: card.link };
			})();
			const expected = role === 'anonymous' ? 'UNAUTHORIZED' : 'FORBIDDEN';
			const caller = await callerAs(pod, role);
			const before = await databaseDigest(pod.db);
			expect(await outcomeOf(caller.cards.list({ podId: pod.podId }))).toBe(expected);
			expect(await outcomeOf(caller.cards.issue({ podId: pod.podId, studentIds: [studentId] }))).toBe(
				expected
			);
			expect(await outcomeOf(caller.cards.void({ podId: pod.podId, studentId }))).toBe(expected);
			expect(await databaseDigest(pod.db)).toBe(before);
			const still = await signInWithCard(pod.db, { token: tokenOf(cardLink), address: '10.1.2.1' });
			expect(still.ok).toBe(true);
		}
	);

	it('a lead cannot make a card for a student of another pod, or one who is not there', async () => {
		const lead = await callerAs(pod, 'lead');
		const stranger = newId();
		const before = await databaseDigest(pod.db);
		expect(await outcomeOf(lead.cards.issue({ podId: pod.podId, studentIds: [stranger] }))).toBe('NOT_FOUND');
		expect(
			await outcomeOf(
				lead.cards.issue({ podId: pod.podId, studentIds: [pod.users.student, pod.users.teacher] })
			)
		).toBe('NOT_FOUND');
		expect(await outcomeOf(lead.cards.void({ podId: pod.podId, studentId: stranger }))).toBe('NOT_FOUND');
		expect(
			await outcomeOf(lead.cards.issue({ podId: pod.otherPodId, studentIds: [pod.users.student] }))
		).toBe('FORBIDDEN');
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it.each([
		['no students', (): unknown => []],
		['a name instead of an id', (): unknown => ['Xavier']],
		['the same student twice', (): unknown => [pod.users.student, pod.users.student]],
		['too many at once', (): unknown => Array.from({ length: 121 }, () => newId())],
		['no list', (): unknown => undefined]
	])('making cards with %s is BAD_REQUEST and changes nothing', async (_what, studentIds) => {
		const lead = await callerAs(pod, 'lead');
		const before = await databaseDigest(pod.db);
		const input = { podId: pod.podId, studentIds: studentIds() } as { podId: string; studentIds: string[] };
		expect(await outcomeOf(lead.cards.issue(input))).toBe('BAD_REQUEST');
		expect(await databaseDigest(pod.db)).toBe(before);
	});
});
