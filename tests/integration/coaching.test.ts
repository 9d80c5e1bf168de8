import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZodError } from 'zod';
import { describeZodError } from '../../src/lib/server/trpc/init';
import { callerAs, createTestPod, databaseDigest, type Role, type TestPod } from '../support/pod';
import { outcomeOf } from '../support/outcomes';

// Peer coaching through the API as each person calls it: the lead records cycles for a team
// teacher; only the lead (or a school admin) and that teacher read them; only that teacher
// writes the reflection.

let pod: TestPod;
/** Priya Shah, the pod's second team teacher. */
let teacher2Id: string;
/** A cycle for Daniel Reyes (teacher1) and one for Priya Shah, recorded by the lead. */
let danielsNote: string;
let priyasNote: string;

type Who = Role | 'teacher2';

const callerFor = (who: Who) =>
	who === 'teacher2'
		? callerAs({ ...pod, users: { ...pod.users, teacher: teacher2Id } }, 'teacher')
		: callerAs(pod, who);

/** The error code a call ends with, or 'ok'. */
const cycleFor = (teacherId: string, focus = 'Checking for understanding') => ({
	podId: pod.podId,
	teacherId,
	focus,
	evidence: 'Asked "any questions?" twice; two students answered.',
	nextStep: 'Try exit tickets with three students before the end of the block.',
	followUpOn: '2026-12-04'
});

const auditFor = (noteId: string) =>
	pod.db
		.selectFrom('audit_log')
		.selectAll()
		.where('entity', '=', 'coaching_note')
		.where('entity_id', '=', noteId)
		.orderBy('at')
		.execute();

beforeAll(async () => {
	pod = await createTestPod();
	teacher2Id = (
		await pod.db
			.selectFrom('users')
			.select('id')
			.where('email', '=', 'teacher2@demo.school')
			.executeTakeFirstOrThrow()
	).id;
	const lead = await callerAs(pod, 'lead');
	danielsNote = (await lead.coaching.record(cycleFor(pod.users.teacher, 'Wait time after questions'))).id;
	priyasNote = (await lead.coaching.record(cycleFor(teacher2Id, 'Small-group launch'))).id;
});
afterAll(() => pod.db.destroy());

describe('who reads coaching cycles', () => {
	it.each<[Who, string]>([
		['lead', 'every cycle in the pod'],
		['admin', 'every cycle in the pod']
	])('%s reads %s', async (who) => {
		const notes = await (await callerFor(who)).coaching.list({ podId: pod.podId });
		expect(notes.map((n) => n.id)).toEqual(expect.arrayContaining([danielsNote, priyasNote]));
	});

	it.each<[Who, () => string, () => string]>([
		['teacher', () => danielsNote, () => priyasNote],
		['teacher2', () => priyasNote, () => danielsNote]
	])('%s reads only their own cycles', async (who, own, others) => {
		const notes = await (await callerFor(who)).coaching.list({ podId: pod.podId });
		const ids = notes.map((n) => n.id);
		expect(ids).toContain(own());
		expect(ids).not.toContain(others());
		expect(new Set(notes.map((n) => n.teacherId)).size).toBe(1);
	});

	it('a team teacher asking for another teacher’s cycles is refused (FORBIDDEN)', async () => {
		const daniel = await callerFor('teacher');
		await expect(outcomeOf(daniel.coaching.list({ podId: pod.podId, teacherId: teacher2Id }))).resolves.toBe(
			'FORBIDDEN'
		);
		const own = await daniel.coaching.list({ podId: pod.podId, teacherId: pod.users.teacher });
		expect(own.map((n) => n.id)).toContain(danielsNote);
	});

	it('the lead reads one teacher’s cycles with teacherId', async () => {
		const notes = await (await callerFor('lead')).coaching.list({ podId: pod.podId, teacherId: teacher2Id });
		expect(notes.map((n) => n.id)).toEqual([priyasNote]);
	});

	it.each<[Who, string]>([
		['student', 'FORBIDDEN'],
		['otherPodTeacher', 'FORBIDDEN'],
		['anonymous', 'UNAUTHORIZED']
	])('%s reads none of them (%s)', async (who, code) => {
		const caller = await callerFor(who);
		await expect(outcomeOf(caller.coaching.list({ podId: pod.podId }))).resolves.toBe(code);
		await expect(
			outcomeOf(caller.coaching.list({ podId: pod.podId, teacherId: pod.users.teacher }))
		).resolves.toBe(code);
	});

	it('another pod’s lead sees none of this pod’s cycles in their own pod', async () => {
		const south = await callerFor('otherPodTeacher');
		await expect(south.coaching.list({ podId: pod.otherPodId })).resolves.toEqual([]);
	});

	it('lists newest first, with who wrote it and about whom', async () => {
		const lead = await callerFor('lead');
		const newer = await lead.coaching.record(cycleFor(pod.users.teacher, 'Transitions between blocks'));
		const notes = await lead.coaching.list({ podId: pod.podId, teacherId: pod.users.teacher });
		expect(notes[0]).toMatchObject({
			id: newer.id,
			teacherName: 'Daniel Reyes',
			leadName: 'Maya Okafor',
			focus: 'Transitions between blocks',
			followUpOn: '2026-12-04',
			reflection: null
		});
		const times = notes.map((n) => n.createdAt);
		expect(times).toEqual([...times].sort().reverse());
	});
});

describe('recording a cycle', () => {
	it('the lead records one for a team teacher: trimmed, audited without the words', async () => {
		const lead = await callerFor('lead');
		const note = await lead.coaching.record({
			podId: pod.podId,
			teacherId: teacher2Id,
			focus: '  Questioning  ',
			evidence: ' Most questions were yes/no. ',
			nextStep: ' Plan three open questions. '
		});
		expect(note).toMatchObject({
			teacherId: teacher2Id,
			focus: 'Questioning',
			evidence: 'Most questions were yes/no.',
			nextStep: 'Plan three open questions.',
			followUpOn: null
		});
		const [entry] = await auditFor(note.id);
		expect(entry).toMatchObject({ action: 'record', actor_id: pod.users.lead, pod_id: pod.podId });
		expect(JSON.parse(entry.detail)).toEqual({ teacherId: teacher2Id });
		expect(entry.detail).not.toContain('Questioning');
	});

	it('a school admin may record one too, as its author', async () => {
		const note = await (await callerFor('admin')).coaching.record(cycleFor(pod.users.teacher, 'Admin visit'));
		expect(note.leadId).toBe(pod.users.admin);
	});

	it.each<[Who, string]>([
		['teacher', 'FORBIDDEN'],
		['teacher2', 'FORBIDDEN'],
		['student', 'FORBIDDEN'],
		['otherPodTeacher', 'FORBIDDEN'],
		['anonymous', 'UNAUTHORIZED']
	])('%s cannot record one (%s) and nothing changes', async (who, code) => {
		const caller = await callerFor(who);
		const before = await databaseDigest(pod.db);
		await expect(outcomeOf(caller.coaching.record(cycleFor(pod.users.teacher)))).resolves.toBe(code);
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it.each<[string, (pod: TestPod) => string, RegExp]>([
		['the lead themself', (p) => p.users.lead, /not yourself/],
		['a student', (p) => p.users.student, /not a team teacher of Pod North/],
		['another pod’s teacher', (p) => p.users.otherPodTeacher, /not a team teacher of Pod North/],
		['nobody', () => '00000000-0000-4000-8000-000000000000', /not a team teacher of Pod North/]
	])('for %s: a clear BAD_REQUEST and nothing changes', async (_who, teacherId, message) => {
		const lead = await callerFor('lead');
		const before = await databaseDigest(pod.db);
		const error = await lead.coaching.record(cycleFor(teacherId(pod))).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(TRPCError);
		expect((error as TRPCError).code).toBe('BAD_REQUEST');
		expect((error as TRPCError).message).toMatch(message);
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('says which field is missing, in words', async () => {
		const lead = await callerFor('lead');
		const error = await lead.coaching
			.record({ ...cycleFor(pod.users.teacher), focus: '   ', nextStep: 'x'.repeat(1001) })
			.catch((e: unknown) => e);
		expect((error as TRPCError).code).toBe('BAD_REQUEST');
		expect(describeZodError((error as TRPCError).cause as ZodError)).toBe(
			'Write the focus of the cycle; Keep the next step under 1000 characters'
		);
	});
});

describe('changing a cycle', () => {
	it('the lead changes fields; the audit names the fields, not the words', async () => {
		const lead = await callerFor('lead');
		const { id } = await lead.coaching.record(cycleFor(pod.users.teacher, 'Feedback'));
		const note = await lead.coaching.update({
			podId: pod.podId,
			noteId: id,
			focus: 'Feedback on drafts',
			nextStep: cycleFor(pod.users.teacher).nextStep,
			followUpOn: null
		});
		expect(note).toMatchObject({ focus: 'Feedback on drafts', followUpOn: null });
		const entries = await auditFor(id);
		expect(entries.map((e) => e.action)).toEqual(['record', 'update']);
		// The next step was sent unchanged: only what really changed is named.
		expect(JSON.parse(entries[1].detail)).toEqual({
			teacherId: pod.users.teacher,
			fields: ['focus', 'followUpOn']
		});
	});

	it('the same values again change nothing and audit nothing', async () => {
		const lead = await callerFor('lead');
		const { id, focus } = await lead.coaching.record(cycleFor(pod.users.teacher, 'Pacing'));
		const before = await databaseDigest(pod.db);
		await lead.coaching.update({ podId: pod.podId, noteId: id, focus });
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it.each<[Who, string]>([
		['teacher', 'FORBIDDEN'],
		['teacher2', 'FORBIDDEN'],
		['student', 'FORBIDDEN'],
		['otherPodTeacher', 'FORBIDDEN']
	])('%s cannot change one (%s)', async (who, code) => {
		const caller = await callerFor(who);
		const before = await databaseDigest(pod.db);
		await expect(
			outcomeOf(caller.coaching.update({ podId: pod.podId, noteId: danielsNote, focus: 'Changed' }))
		).resolves.toBe(code);
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('another pod’s lead cannot reach this pod’s cycle through their own pod (NOT_FOUND)', async () => {
		const south = await callerFor('otherPodTeacher');
		const before = await databaseDigest(pod.db);
		await expect(
			outcomeOf(south.coaching.update({ podId: pod.otherPodId, noteId: danielsNote, focus: 'Changed' }))
		).resolves.toBe('NOT_FOUND');
		expect(await databaseDigest(pod.db)).toBe(before);
	});
});

describe('the teacher’s reflection', () => {
	it('the teacher a cycle is about writes it, then replaces it; the lead reads it', async () => {
		const { id } = await (await callerFor('lead')).coaching.record(cycleFor(pod.users.teacher, 'Closure'));
		const daniel = await callerFor('teacher');
		await daniel.coaching.reflect({ podId: pod.podId, noteId: id, reflection: ' I rushed the close. ' });
		const note = await daniel.coaching.reflect({
			podId: pod.podId,
			noteId: id,
			reflection: 'I rushed the close; next time a timer.'
		});
		expect(note.reflection).toBe('I rushed the close; next time a timer.');
		const [read] = await (
			await callerFor('lead')
		).coaching.list({ podId: pod.podId, teacherId: pod.users.teacher });
		expect(read).toMatchObject({ id, reflection: 'I rushed the close; next time a timer.' });

		const entries = (await auditFor(id)).filter((e) => e.action === 'reflect');
		expect(entries.map((e) => JSON.parse(e.detail))).toEqual([
			{ teacherId: pod.users.teacher, fields: ['reflection'], replaced: false },
			{ teacherId: pod.users.teacher, fields: ['reflection'], replaced: true }
		]);
		expect(entries.every((e) => e.actor_id === pod.users.teacher && !e.detail.includes('rushed'))).toBe(true);
	});

	it.each<[Who, string]>([
		['lead', 'FORBIDDEN'],
		['admin', 'FORBIDDEN'],
		['teacher2', 'FORBIDDEN'],
		['student', 'FORBIDDEN'],
		['otherPodTeacher', 'FORBIDDEN'],
		['anonymous', 'UNAUTHORIZED']
	])('%s cannot write Daniel’s reflection (%s) and nothing changes', async (who, code) => {
		const caller = await callerFor(who);
		const before = await databaseDigest(pod.db);
		await expect(
			outcomeOf(caller.coaching.reflect({ podId: pod.podId, noteId: danielsNote, reflection: 'Not mine' }))
		).resolves.toBe(code);
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('a cycle that is not in the pod: NOT_FOUND', async () => {
		const daniel = await callerFor('teacher');
		await expect(
			outcomeOf(
				daniel.coaching.reflect({
					podId: pod.podId,
					noteId: '00000000-0000-4000-8000-000000000000',
					reflection: 'Hello'
				})
			)
		).resolves.toBe('NOT_FOUND');
	});
});

describe('bad input changes nothing', () => {
	const huge = 'x'.repeat(5000);
	const cases: [string, Who, (p: TestPod) => unknown[]][] = [
		[
			'coaching.list',
			'lead',
			(p) => [undefined, { podId: 'pod-north' }, { podId: p.podId, teacherId: 'daniel' }]
		],
		[
			'coaching.record',
			'lead',
			(p) => [
				{ ...cycleFor(p.users.teacher), teacherId: undefined },
				{ ...cycleFor(p.users.teacher), focus: '' },
				{ ...cycleFor(p.users.teacher), evidence: '  ' },
				{ ...cycleFor(p.users.teacher), nextStep: undefined },
				{ ...cycleFor(p.users.teacher), focus: huge },
				{ ...cycleFor(p.users.teacher), followUpOn: '2026-02-30' },
				{ ...cycleFor(p.users.teacher), followUpOn: 'next week' },
				{ ...cycleFor(p.users.teacher), teacherId: p.users.lead }
			]
		],
		[
			'coaching.update',
			'lead',
			(p) => [
				{ podId: p.podId, noteId: danielsNote },
				{ podId: p.podId, noteId: 'a-note', focus: 'Fine' },
				{ podId: p.podId, noteId: danielsNote, focus: ' ' },
				{ podId: p.podId, noteId: danielsNote, evidence: huge },
				{ podId: p.podId, noteId: danielsNote, followUpOn: '04/12/2026' }
			]
		],
		[
			'coaching.reflect',
			'teacher',
			(p) => [
				{ podId: p.podId, noteId: danielsNote },
				{ podId: p.podId, noteId: danielsNote, reflection: '   ' },
				{ podId: p.podId, noteId: danielsNote, reflection: huge },
				{ podId: p.podId, noteId: 42, reflection: 'Fine' }
			]
		]
	];

	it.each(cases)('%s as %s: BAD_REQUEST each time', async (path, who, inputs) => {
		const caller = await callerFor(who);
		const procedure = path.split('.')[1] as 'list' | 'record' | 'update' | 'reflect';
		const before = await databaseDigest(pod.db);
		for (const input of inputs(pod)) {
			// Deliberately wrong inputs: the types would refuse them before the server could.
			const call = (caller.coaching[procedure] as (input: unknown) => Promise<unknown>)(input);
			await expect(outcomeOf(call), JSON.stringify(input)?.slice(0, 80)).resolves.toBe('BAD_REQUEST');
		}
		expect(await databaseDigest(pod.db)).toBe(before);
	});
});
