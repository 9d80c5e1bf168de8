import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerAs, createTestPod, type TestPod } from '../support/pod';
import { outcomeOf } from '../support/outcomes';

let pod: TestPod;
beforeAll(async () => {
	pod = await createTestPod();
	// Three changes by two people, to read back.
	const lead = await callerAs(pod, 'lead');
	const teacher = await callerAs(pod, 'teacher');
	await lead.flags.raise({
		podId: pod.podId,
		studentIds: [pod.users.student],
		reason: 'Check in after lunch'
	});
	await teacher.groups.create({ podId: pod.podId, studentIds: [pod.users.student, pod.classmateId] });
	await lead.duties.generate({ podId: pod.podId, weekOf: '2026-11-23' });
});
afterAll(() => pod.db.destroy());

describe('the audit log viewer', () => {
	it('shows the lead who changed what, newest first, with the person’s name', async () => {
		const lead = await callerAs(pod, 'lead');
		const { entries, actions, entities } = await lead.audit.list({ podId: pod.podId });
		expect(entries.slice(0, 3).map((e) => [e.action, e.entity])).toEqual([
			['generate', 'duties'],
			['create', 'group'],
			['raise', 'flag']
		]);
		expect(entries[1].actor).toBe('Daniel Reyes');
		expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort().reverse());
		expect(actions).toEqual(expect.arrayContaining(['create', 'generate', 'raise']));
		expect(entities).toEqual(expect.arrayContaining(['duties', 'flag', 'group']));
	});

	it.each([
		['action', { action: 'raise' }, (e: { action: string }) => e.action === 'raise'],
		['record', { entity: 'group' }, (e: { entity: string }) => e.entity === 'group'],
		['person', { actorId: 'teacher' }, (e: { actorId: string | null }) => e.actorId !== null]
	])('filters by %s', async (_, filter, holds) => {
		const lead = await callerAs(pod, 'lead');
		const input = 'actorId' in filter ? { actorId: pod.users.teacher } : filter;
		const { entries } = await lead.audit.list({ podId: pod.podId, ...input });
		expect(entries.length).toBeGreaterThan(0);
		expect(entries.every((e) => holds(e as never))).toBe(true);
		if ('actorId' in filter) expect(entries.every((e) => e.actorId === pod.users.teacher)).toBe(true);
	});

	it('pages back with `before`', async () => {
		const lead = await callerAs(pod, 'lead');
		const first = await lead.audit.list({ podId: pod.podId, limit: 2 });
		const next = await lead.audit.list({ podId: pod.podId, limit: 2, before: first.entries[1].at });
		expect(next.entries.every((e) => e.at < first.entries[1].at)).toBe(true);
	});

	it.each([
		['a team teacher', 'teacher', 'FORBIDDEN'],
		['a student', 'student', 'FORBIDDEN'],
		['a teacher of another pod', 'otherPodTeacher', 'FORBIDDEN']
	] as const)('is closed to %s', async (_, role, code) => {
		const caller = await callerAs(pod, role);
		expect(await outcomeOf(caller.audit.list({ podId: pod.podId }))).toBe(code);
	});
});

describe('reads of a student’s whole record', () => {
	const reads = () =>
		pod.db
			.selectFrom('audit_log')
			.select(['actor_id', 'entity_id', 'detail'])
			.where('action', '=', 'read')
			.where('entity', '=', 'student')
			.execute();

	it('are logged with who read whose record, and where', async () => {
		const before = (await reads()).length;
		const teacher = await callerAs(pod, 'teacher');
		await teacher.dashboard.student({ podId: pod.podId, studentId: pod.users.student });
		const lead = await callerAs(pod, 'lead');
		await lead.studentData.profile({ podId: pod.podId, studentId: pod.classmateId });

		const logged = (await reads()).slice(before);
		expect(logged).toEqual([
			{
				actor_id: pod.users.teacher,
				entity_id: pod.users.student,
				detail: JSON.stringify({ in: 'the student panel' })
			},
			{
				actor_id: pod.users.lead,
				entity_id: pod.classmateId,
				detail: JSON.stringify({ in: 'the student’s data page' })
			}
		]);
		const { entries } = await lead.audit.list({ podId: pod.podId, action: 'read' });
		expect(entries[0]).toMatchObject({ action: 'read', entity: 'student', actorId: pod.users.lead });
		// The viewer names whose record it was, from the account.
		const classmate = await pod.db
			.selectFrom('users')
			.select(['given_name', 'family_name'])
			.where('id', '=', pod.classmateId)
			.executeTakeFirstOrThrow();
		expect(entries[0].subject).toBe(`${classmate.given_name} ${classmate.family_name}`);
	});

	it('are not logged when the read is refused', async () => {
		const before = (await reads()).length;
		const outsider = await callerAs(pod, 'otherPodTeacher');
		await expect(
			outsider.dashboard.student({ podId: pod.podId, studentId: pod.users.student })
		).rejects.toThrow();
		const teacher = await callerAs(pod, 'teacher');
		await expect(
			teacher.dashboard.student({ podId: pod.podId, studentId: pod.users.teacher })
		).rejects.toThrow();
		expect(await reads()).toHaveLength(before);
	});
});

describe('the log in sentences', () => {
	it('says what happened with names: no ids, no code words', async () => {
		const teacher = await callerAs(pod, 'teacher');
		const lead = await callerAs(pod, 'lead');
		await teacher.signInLocks.unlock({ podId: pod.podId, studentId: pod.classmateId });
		await lead.cards.issue({ podId: pod.podId, studentIds: [pod.classmateId] });
		await lead.cards.void({ podId: pod.podId, studentId: pod.classmateId });
		const classmate = await pod.db
			.selectFrom('users')
			.select(['given_name', 'family_name'])
			.where('id', '=', pod.classmateId)
			.executeTakeFirstOrThrow();
		const name = `${classmate.given_name} ${classmate.family_name}`;
		// "Amara Brooks’ sign-in card": a name ending in s takes the apostrophe alone. The classmate is
		// whoever the seed's random ids put second, so the test may get either kind of name.
		const possessive = name.endsWith('s') ? `${name}’` : `${name}’s`;

		const { entries } = await lead.audit.list({ podId: pod.podId });
		expect(entries.slice(0, 3).map((e) => e.sentence)).toEqual([
			`Maya Okafor voided ${possessive} sign-in card.`,
			`Maya Okafor made a new sign-in card for ${name}.`,
			`Daniel Reyes unlocked sign-in for ${name}.`
		]);
		const sentences = entries.map((e) => e.sentence);
		expect(sentences).toEqual(
			expect.arrayContaining([
				'Maya Okafor generated the duties for the week of 2026-11-23.',
				'Daniel Reyes formed the group “Group of 2” with 2 students.',
				// Whoever the seed's ids put first: a family name may be O'Brien.
				expect.stringMatching(/^Maya Okafor flagged [A-Z][a-z]+ [A-Z][A-Za-z']+: “Check in after lunch”\.$/)
			])
		);
		for (const sentence of sentences) {
			expect(sentence).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
			expect(sentence).not.toMatch(/\b(signIn|sign_in_card|help_request|setScore|bulk_assign)\b/);
		}
	});
});
