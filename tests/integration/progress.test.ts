import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestSeq } from '../../src/lib/server/live/log';
import { callerAs, createTestPod, databaseDigest, type TestPod } from '../support/pod';

let pod: TestPod;
beforeAll(async () => {
	pod = await createTestPod();
});
afterAll(() => pod.db.destroy());

/** A fresh not-started assignment for a student, on a new activity of the given kind. */
async function freshAssignment(studentId: string, kind: 'practice' | 'assessment') {
	const activity = { id: randomUUID(), max_score: kind === 'assessment' ? 10 : null };
	await pod.db
		.insertInto('activities')
		.values({
			id: activity.id,
			pod_id: pod.podId,
			title: `Test ${kind} ${activity.id.slice(0, 4)}`,
			subject: 'math',
			kind,
			grade_low: 4,
			grade_high: 6,
			estimated_minutes: 15,
			max_score: activity.max_score,
			created_at: new Date().toISOString()
		})
		.execute();
	const id = randomUUID();
	await pod.db
		.insertInto('assignments')
		.values({
			id,
			pod_id: pod.podId,
			student_id: studentId,
			activity_id: activity.id,
			position: 99,
			priority: 'must',
			assigned_at: new Date().toISOString()
		})
		.execute();
	return { id, maxScore: activity.max_score };
}

// A past school morning: events from the future are clamped to when they arrived.
const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 14, minute)).toISOString();
const event = (assignmentId: string, kind: string, minute: number, score?: number) => ({
	eventId: randomUUID(),
	assignmentId,
	kind,
	occurredAt: at(minute),
	...(score === undefined ? {} : { score })
});

const codeOf = (promise: Promise<unknown>) =>
	promise.then(
		() => 'ok',
		(error: unknown) => (error instanceof TRPCError ? error.code : String(error))
	);

describe('progress.record', () => {
	it('stores a batch sent three times once, and answers the same each time', async () => {
		const student = await callerAs(pod, 'student');
		const { id } = await freshAssignment(pod.users.student, 'practice');
		const batch = { events: [event(id, 'start', 0), event(id, 'progress', 5), event(id, 'submit', 12)] };
		const answers = [];
		for (let i = 0; i < 3; i++) answers.push(await student.progress.record(batch as never));
		expect(answers[1]).toEqual(answers[0]);
		expect(answers[2]).toEqual(answers[0]);
		expect(answers[0].acknowledged).toEqual(batch.events.map((e) => e.eventId));
		const stored = await pod.db
			.selectFrom('progress_events')
			.select('id')
			.where('assignment_id', '=', id)
			.execute();
		expect(stored).toHaveLength(3);
		const assignment = await pod.db
			.selectFrom('assignments')
			.selectAll()
			.where('id', '=', id)
			.executeTakeFirstOrThrow();
		expect(assignment).toMatchObject({
			status: 'submitted',
			attempts: 1,
			seconds_spent: 12 * 60,
			last_event_at: at(12)
		});
	});

	it('records the progress (and the stuck flag it raised) naming only that student, and nothing for a replay', async () => {
		const student = await callerAs(pod, 'student');
		const { id } = await freshAssignment(pod.users.student, 'practice');
		const batch = { events: [event(id, 'stuck', 3)] };
		const seqBefore = await latestSeq(pod.db, pod.podId);
		await student.progress.record(batch as never);
		await student.progress.record(batch as never);
		const logged = await pod.db
			.selectFrom('pod_events')
			.selectAll()
			.where('pod_id', '=', pod.podId)
			.where('seq', '>', seqBefore)
			.execute();
		expect(logged.map((e) => e.kind)).toEqual(['progress', 'flags.changed']);
		expect(JSON.parse(logged[1].payload)).toEqual({
			studentIds: [pod.users.student],
			openFlags: { [pod.users.student]: expect.any(Number) }
		});
		expect(JSON.parse(logged[0].payload)).toEqual({
			studentIds: [pod.users.student],
			assignments: [
				{
					assignmentId: id,
					studentId: pod.users.student,
					activityId: expect.any(String),
					status: 'stuck',
					score: null,
					lastEventAt: at(3)
				}
			]
		});
	});

	it('takes events in any order and derives the state from when they happened', async () => {
		const student = await callerAs(pod, 'student');
		const { id, maxScore } = await freshAssignment(pod.users.student, 'assessment');
		const max = maxScore ?? 100;
		await student.progress.record({ events: [event(id, 'submit', 20, max)] } as never);
		const answer = await student.progress.record({ events: [event(id, 'start', 1)] } as never);
		expect(answer.assignments[0]).toMatchObject({ status: 'mastered', score: 100, attempts: 1 });
	});

	it('puts an event from a device clock running fast at the time it arrived', async () => {
		const student = await callerAs(pod, 'student');
		const { id } = await freshAssignment(pod.users.student, 'practice');
		const future = new Date(Date.now() + 3 * 86_400_000).toISOString();
		await student.progress.record({
			events: [{ eventId: randomUUID(), assignmentId: id, kind: 'start', occurredAt: future }]
		} as never);
		const stored = await pod.db
			.selectFrom('progress_events')
			.select(['occurred_at', 'received_at'])
			.where('assignment_id', '=', id)
			.executeTakeFirstOrThrow();
		expect(stored.occurred_at).toBe(stored.received_at);
	});

	it('refuses work on a classmate’s or another pod’s assignment, storing nothing of the batch', async () => {
		const student = await callerAs(pod, 'student');
		const own = await freshAssignment(pod.users.student, 'practice');
		const classmates = await freshAssignment(pod.classmateId, 'practice');
		const before = await databaseDigest(pod.db);
		expect(
			await codeOf(
				student.progress.record({
					events: [event(own.id, 'start', 1), event(classmates.id, 'submit', 2)]
				} as never)
			)
		).toBe('FORBIDDEN');
		expect(
			await codeOf(student.progress.record({ events: [event(randomUUID(), 'start', 1)] } as never))
		).toBe('FORBIDDEN');
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it.each([
		['an unknown kind', (id: string) => [{ ...event(id, 'start', 1), kind: 'finish' }]],
		['a missing eventId', (id: string) => [{ ...event(id, 'start', 1), eventId: undefined }]],
		['an eventId that is not a UUID', (id: string) => [{ ...event(id, 'start', 1), eventId: '1' }]],
		['a negative score', (id: string) => [event(id, 'submit', 1, -1)]],
		['a score over the activity’s max', (id: string) => [event(id, 'submit', 1, 1000)]],
		['a fractional score', (id: string) => [event(id, 'submit', 1, 2.5)]],
		['a score on a start event', (id: string) => [event(id, 'start', 1, 3)]],
		['a time that is not a time', (id: string) => [{ ...event(id, 'start', 1), occurredAt: 'yesterday' }]],
		[
			'the same eventId twice',
			(id: string) => {
				const once = event(id, 'start', 1);
				return [once, { ...once, kind: 'submit' }];
			}
		],
		['an empty batch', () => []],
		[
			'a batch over the size limit',
			(id: string) => Array.from({ length: 101 }, (_, i) => event(id, 'progress', i % 60))
		]
	])('refuses %s with BAD_REQUEST, storing nothing of the batch', async (_name, events) => {
		const student = await callerAs(pod, 'student');
		const { id } = await freshAssignment(pod.users.student, 'assessment');
		const before = await databaseDigest(pod.db);
		// Each bad event rides with a valid one, which must not be stored either.
		const bad = events(id);
		const batch = bad.length ? [event(id, 'start', 0), ...bad] : [];
		expect(await codeOf(student.progress.record({ events: batch } as never))).toBe('BAD_REQUEST');
		expect(await databaseDigest(pod.db)).toBe(before);
	});
});

describe('progress.setScore', () => {
	it('lets a teacher mark an assessment, as an audited event of their own', async () => {
		const teacher = await callerAs(pod, 'teacher');
		const { id, maxScore } = await freshAssignment(pod.users.student, 'assessment');
		const state = await teacher.progress.setScore({
			podId: pod.podId,
			assignmentId: id,
			score: Math.round((maxScore ?? 100) * 0.5)
		});
		expect(state).toMatchObject({ status: 'submitted', score: 50 });
		const overridden = await teacher.progress.setScore({
			podId: pod.podId,
			assignmentId: id,
			score: maxScore ?? 100
		});
		expect(overridden).toMatchObject({ status: 'mastered', score: 100, attempts: 2 });
		const events = await pod.db
			.selectFrom('progress_events')
			.select('recorded_by')
			.where('assignment_id', '=', id)
			.execute();
		expect(events.map((e) => e.recorded_by)).toEqual([pod.users.teacher, pod.users.teacher]);
		const audits = await pod.db
			.selectFrom('audit_log')
			.select(['action', 'actor_id'])
			.where('entity_id', '=', id)
			.execute();
		expect(audits).toEqual([
			{ action: 'setScore', actor_id: pod.users.teacher },
			{ action: 'setScore', actor_id: pod.users.teacher }
		]);
	});

	it('refuses an assignment from another pod', async () => {
		const otherTeacher = await callerAs(pod, 'otherPodTeacher');
		const { id } = await freshAssignment(pod.users.student, 'assessment');
		expect(
			await codeOf(otherTeacher.progress.setScore({ podId: pod.otherPodId, assignmentId: id, score: 1 }))
		).toBe('FORBIDDEN');
	});
});
