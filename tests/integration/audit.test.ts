import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerAs, createTestPod, type TestPod } from '../support/pod';

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

const codeOf = (error: unknown) => (error instanceof TRPCError ? error.code : String(error));

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
		expect(codeOf(await caller.audit.list({ podId: pod.podId }).catch((e) => e))).toBe(code);
	});
});
