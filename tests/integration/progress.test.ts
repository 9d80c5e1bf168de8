import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestSeq } from '../../src/lib/server/live/log';
import { callerAs, createTestPod, databaseDigest, type TestPod } from '../support/pod';
import { answerOf, outcomeOf } from '../support/outcomes';
import { freshAssignment as freshPlaylistItem } from '../support/playlists';

let pod: TestPod;
beforeAll(async () => {
	pod = await createTestPod();
	// These tests are about how events become a playlist item's state, scores the students type
	// included: this pod counts them. (What a pod that does not believes: evidence.test.ts.)
	const lead = await callerAs(pod, 'lead');
	const thresholds = await lead.flags.thresholds({ podId: pod.podId });
	await lead.flags.setThresholds({
		podId: pod.podId,
		thresholds: { ...thresholds, selfReportedScoresCount: true }
	});
});
afterAll(() => pod.db.destroy());

/** A fresh not-started must-do for a student, on a new activity of the given kind. */
const freshAssignment = (studentId: string, kind: 'practice' | 'assessment') =>
	freshPlaylistItem(pod, studentId, { kind, priority: 'must' });

// A past school morning: events from the future are clamped to when they arrived.
const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 14, minute)).toISOString();
const event = (assignmentId: string, kind: string, minute: number, score?: number) => ({
	eventId: randomUUID(),
	assignmentId,
	kind,
	occurredAt: at(minute),
	...(score === undefined ? {} : { score })
});

/** An instant as a device in another zone writes it: its wall clock and its UTC offset. */
function withOffset(instant: number, offsetMinutes: number): string {
	const wallClock = new Date(instant + offsetMinutes * 60_000).toISOString().slice(0, 23);
	const sign = offsetMinutes < 0 ? '-' : '+';
	const hours = String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, '0');
	const minutes = String(Math.abs(offsetMinutes) % 60).padStart(2, '0');
	return `${wallClock}${sign}${hours}:${minutes}`;
}

async function storedEvents(assignmentId: string) {
	return pod.db
		.selectFrom('progress_events')
		.select(['id', 'kind', 'score', 'occurred_at', 'received_at'])
		.where('assignment_id', '=', assignmentId)
		.orderBy('occurred_at')
		.execute();
}

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
					scoreSource: null,
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

	it('puts an event from a device clock running a little fast at the time it arrived', async () => {
		const student = await callerAs(pod, 'student');
		const { id } = await freshAssignment(pod.users.student, 'practice');
		const future = new Date(Date.now() + 60_000).toISOString();
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

	it('puts a time written with a negative UTC offset at its instant, so the teacher’s later mark outranks it', async () => {
		const student = await callerAs(pod, 'student');
		const teacher = await callerAs(pod, 'teacher');
		const { id } = await freshAssignment(pod.users.student, 'assessment');
		const halfAnHourAgo = Date.now() - 30 * 60_000;
		// Read as text, "…-12:00" sorts twelve hours early: it once slipped past the future check.
		const aMinuteAhead = Date.now() + 60_000;
		await student.progress.record({
			events: [
				{
					eventId: randomUUID(),
					assignmentId: id,
					kind: 'start',
					occurredAt: withOffset(halfAnHourAgo, -12 * 60)
				},
				{
					eventId: randomUUID(),
					assignmentId: id,
					kind: 'submit',
					score: 10,
					occurredAt: withOffset(aMinuteAhead, -12 * 60)
				}
			]
		});
		const [start, submit] = await storedEvents(id);
		expect(start).toMatchObject({ kind: 'start', occurred_at: new Date(halfAnHourAgo).toISOString() });
		expect(submit).toMatchObject({ kind: 'submit', occurred_at: submit.received_at });

		const marked = await teacher.progress.setScore({ podId: pod.podId, assignmentId: id, score: 2 });
		expect(marked).toMatchObject({ status: 'submitted', score: 20 });
	});

	it.each([
		['three minutes ahead', () => new Date(Date.now() + 3 * 60_000).toISOString()],
		[
			'the wall clock written as -12:00 (twelve hours ahead)',
			() => withOffset(Date.now() + 12 * 3_600_000, -12 * 60)
		],
		['a day ahead, written +05:30', () => withOffset(Date.now() + 86_400_000, 5 * 60 + 30)]
	])(
		'refuses an event from a clock %s with BAD_REQUEST, storing nothing of the batch',
		async (_name, occurredAt) => {
			const student = await callerAs(pod, 'student');
			const teacher = await callerAs(pod, 'teacher');
			const { id } = await freshAssignment(pod.users.student, 'assessment');
			const before = await databaseDigest(pod.db);
			const refusal = await answerOf(
				student.progress.record({
					events: [
						event(id, 'start', 0),
						{ eventId: randomUUID(), assignmentId: id, kind: 'submit', score: 10, occurredAt: occurredAt() }
					]
				} as never)
			);
			expect(refusal.code).toBe('BAD_REQUEST');
			expect(refusal.message).toMatch(/^This Chromebook’s clock is ahead by about \d+ (minutes|hours|days)/);
			expect(await databaseDigest(pod.db)).toBe(before);
			// Nothing from the future outranks the teacher's mark.
			const marked = await teacher.progress.setScore({ podId: pod.podId, assignmentId: id, score: 2 });
			expect(marked).toMatchObject({ status: 'submitted', score: 20, attempts: 1 });
		}
	);

	it.each([
		[
			'another assignment',
			async (e: ReturnType<typeof event>) => ({
				...e,
				assignmentId: (await freshAssignment(pod.users.student, 'assessment')).id
			})
		],
		['another kind', async (e: ReturnType<typeof event>) => ({ ...e, kind: 'progress', score: undefined })],
		['another score', async (e: ReturnType<typeof event>) => ({ ...e, score: 3 })],
		['another instant', async (e: ReturnType<typeof event>) => ({ ...e, occurredAt: at(7) })]
	])(
		'refuses an eventId reused for %s with CONFLICT naming it, storing nothing of the batch',
		async (_name, reuse) => {
			const student = await callerAs(pod, 'student');
			const { id } = await freshAssignment(pod.users.student, 'assessment');
			const first = event(id, 'submit', 5, 9);
			await student.progress.record({ events: [first] } as never);
			const reused = await reuse(first);
			const before = await databaseDigest(pod.db);
			const refusal = await answerOf(
				student.progress.record({ events: [event(id, 'start', 6), reused] } as never)
			);
			expect(refusal).toEqual({
				code: 'CONFLICT',
				message: `eventId ${first.eventId} was already used for another event; make a new id for this one.`
			});
			expect(await databaseDigest(pod.db)).toBe(before);
		}
	);

	it('takes a replay with the same instant written in another offset as the same event', async () => {
		const student = await callerAs(pod, 'student');
		const { id } = await freshAssignment(pod.users.student, 'practice');
		const first = event(id, 'start', 5);
		const answer = await student.progress.record({ events: [first] } as never);
		const replay = { ...first, occurredAt: withOffset(Date.parse(first.occurredAt), -5 * 60) };
		expect(await student.progress.record({ events: [replay] } as never)).toEqual(answer);
		expect(await storedEvents(id)).toHaveLength(1);
	});

	it('answers fifty replays of one batch sent at once the same, and stores it once', async () => {
		const student = await callerAs(pod, 'student');
		const { id } = await freshAssignment(pod.users.student, 'assessment');
		const batch = { events: [event(id, 'start', 0), event(id, 'stuck', 4), event(id, 'submit', 9, 6)] };
		const seqBefore = await latestSeq(pod.db, pod.podId);
		const answers = await Promise.all(
			Array.from({ length: 50 }, () => student.progress.record(batch as never))
		);
		for (const answer of answers) expect(answer).toEqual(answers[0]);
		expect(answers[0]).toMatchObject({
			acknowledged: batch.events.map((e) => e.eventId),
			assignments: [{ assignmentId: id, status: 'submitted', score: 60, attempts: 1 }]
		});
		expect((await storedEvents(id)).map((e) => e.id)).toEqual(batch.events.map((e) => e.eventId));
		const progressLogged = await pod.db
			.selectFrom('pod_events')
			.select('seq')
			.where('pod_id', '=', pod.podId)
			.where('seq', '>', seqBefore)
			.where('kind', '=', 'progress')
			.execute();
		expect(progressLogged).toHaveLength(1);
	});

	it('lets exactly one of many calls at once use an eventId for different events', async () => {
		const student = await callerAs(pod, 'student');
		const assignments = await Promise.all(
			Array.from({ length: 12 }, () => freshAssignment(pod.users.student, 'practice'))
		);
		const eventId = randomUUID();
		const codes = await Promise.all(
			assignments.map(({ id }) =>
				outcomeOf(student.progress.record({ events: [{ ...event(id, 'start', 1), eventId }] } as never))
			)
		);
		expect(codes.filter((c) => c === 'ok')).toHaveLength(1);
		expect(codes.filter((c) => c === 'CONFLICT')).toHaveLength(assignments.length - 1);
		const stored = await pod.db
			.selectFrom('progress_events')
			.select('id')
			.where('id', '=', eventId)
			.execute();
		expect(stored).toHaveLength(1);
	});

	it('refuses work on a classmate’s or another pod’s assignment, storing nothing of the batch', async () => {
		const student = await callerAs(pod, 'student');
		const own = await freshAssignment(pod.users.student, 'practice');
		const classmates = await freshAssignment(pod.classmateId, 'practice');
		const before = await databaseDigest(pod.db);
		expect(
			await outcomeOf(
				student.progress.record({
					events: [event(own.id, 'start', 1), event(classmates.id, 'submit', 2)]
				} as never)
			)
		).toBe('FORBIDDEN');
		expect(
			await outcomeOf(student.progress.record({ events: [event(randomUUID(), 'start', 1)] } as never))
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
		expect(await outcomeOf(student.progress.record({ events: batch } as never))).toBe('BAD_REQUEST');
		expect(await databaseDigest(pod.db)).toBe(before);
	});
});

describe('a "Done" taken back (undo_submit)', () => {
	const state = (assignmentId: string) =>
		pod.db
			.selectFrom('assignments')
			.select(['status', 'score', 'attempts'])
			.where('id', '=', assignmentId)
			.executeTakeFirstOrThrow();
	const lowScoreFlag = (assignmentId: string) =>
		pod.db
			.selectFrom('flags')
			.select('status')
			.where('assignment_id', '=', assignmentId)
			.where('rule', '=', 'low_score')
			.where('status', '=', 'open')
			.execute();

	/** An event `minutes` ago: a score from this week raises a flag. */
	const recent = (assignmentId: string, kind: string, minutes: number, score?: number) => ({
		...event(assignmentId, kind, 0, score),
		occurredAt: new Date(Date.now() - minutes * 60_000).toISOString()
	});

	it('within 5 minutes puts the work back as it was, clears the flag the score raised, and counts once', async () => {
		const student = await callerAs(pod, 'student');
		const { id } = await freshAssignment(pod.users.student, 'assessment');
		await student.progress.record({
			events: [recent(id, 'start', 20), recent(id, 'submit', 10, 2)]
		} as never);
		expect(await state(id)).toEqual({ status: 'submitted', score: 20, attempts: 1 });
		expect(await lowScoreFlag(id)).toHaveLength(1);

		const seq = await latestSeq(pod.db, pod.podId);
		const undo = { events: [recent(id, 'undo_submit', 6)] };
		const answer = await student.progress.record(undo as never);
		expect(answer.assignments[0]).toMatchObject({ status: 'in_progress', score: null, attempts: 0 });
		expect(await state(id)).toEqual({ status: 'in_progress', score: null, attempts: 0 });
		expect(await lowScoreFlag(id)).toHaveLength(0);
		const kinds = await pod.db
			.selectFrom('pod_events')
			.select('kind')
			.where('pod_id', '=', pod.podId)
			.where('seq', '>', seq)
			.execute();
		expect(kinds.map((k) => k.kind)).toContain('progress');

		// A double tap (the same event sent again) changes nothing more.
		const before = await databaseDigest(pod.db);
		expect(await student.progress.record(undo as never)).toEqual(answer);
		expect(await databaseDigest(pod.db)).toBe(before);
		expect((await storedEvents(id)).map((e) => e.kind)).toEqual(['start', 'submit', 'undo_submit']);
	});

	it('later than 5 minutes is stored and changes nothing: the work stays done', async () => {
		const student = await callerAs(pod, 'student');
		const { id } = await freshAssignment(pod.users.student, 'practice');
		await student.progress.record({ events: [event(id, 'start', 0), event(id, 'submit', 10)] } as never);
		await student.progress.record({ events: [event(id, 'undo_submit', 16)] } as never);
		expect(await state(id)).toMatchObject({ status: 'submitted', attempts: 1 });
	});

	it('is refused with a score, like every event but a submit', async () => {
		const student = await callerAs(pod, 'student');
		const { id } = await freshAssignment(pod.users.student, 'assessment');
		expect(
			await answerOf(student.progress.record({ events: [event(id, 'undo_submit', 1, 5)] } as never))
		).toEqual({
			code: 'BAD_REQUEST',
			message: 'Only a "submit" event carries a score.'
		});
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

	it('makes the teacher’s 2/10 after the student’s own 10/10 the latest word, until the student submits again', async () => {
		const student = await callerAs(pod, 'student');
		const teacher = await callerAs(pod, 'teacher');
		const { id } = await freshAssignment(pod.users.student, 'assessment');
		const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
		const own = await student.progress.record({
			events: [
				{ eventId: randomUUID(), assignmentId: id, kind: 'submit', score: 10, occurredAt: minutesAgo(5) }
			]
		});
		expect(own.assignments[0]).toMatchObject({ status: 'mastered', score: 100 });

		const marked = await teacher.progress.setScore({ podId: pod.podId, assignmentId: id, score: 2 });
		expect(marked).toMatchObject({ status: 'submitted', score: 20 });
		const stored = await pod.db
			.selectFrom('assignments')
			.select(['status', 'score'])
			.where('id', '=', id)
			.executeTakeFirstOrThrow();
		expect(stored).toEqual({ status: 'submitted', score: 20 });

		// A submit the outbox kept from before the mark changes nothing: it happened earlier.
		const late = await student.progress.record({
			events: [
				{ eventId: randomUUID(), assignmentId: id, kind: 'submit', score: 10, occurredAt: minutesAgo(3) }
			]
		});
		expect(late.assignments[0]).toMatchObject({ status: 'submitted', score: 20 });

		const again = await student.progress.record({
			events: [
				{
					eventId: randomUUID(),
					assignmentId: id,
					kind: 'submit',
					score: 9,
					occurredAt: new Date().toISOString()
				}
			]
		});
		expect(again.assignments[0]).toMatchObject({ status: 'mastered', score: 90 });
	});

	it('refuses an assignment from another pod', async () => {
		const otherTeacher = await callerAs(pod, 'otherPodTeacher');
		const { id } = await freshAssignment(pod.users.student, 'assessment');
		expect(
			await outcomeOf(otherTeacher.progress.setScore({ podId: pod.otherPodId, assignmentId: id, score: 1 }))
		).toBe('FORBIDDEN');
	});
});
