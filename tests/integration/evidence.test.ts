// Where every score comes from: a score the student typed is stored, shown and exported as
// self-reported, and believed (mastery, low-score flags) only where the lead says the pod counts
// self-reported scores; a teacher's mark is verified. Changing that setting derives the pod's
// work again, once, however many leads save at once.
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unpackCells } from '../../src/lib/dashboard/cells';
import { deriveAssignmentState } from '../../src/lib/progress/derive';
import { SCORE_SOURCE_EXTENSION } from '../../src/lib/server/exports/xapi';
import { DEFAULT_THRESHOLDS } from '../../src/lib/server/flags/thresholds';
import { latestSeq, podEventsSince } from '../../src/lib/server/live/log';
import { asDerivationEvent } from '../../src/lib/server/progress/record';
import { callerAs, createTestPod, type TestPod } from '../support/pod';
import { freshAssignment } from '../support/playlists';

let pod: TestPod;
beforeAll(async () => {
	pod = await createTestPod();
});
afterAll(() => pod.db.destroy());

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const submit = (assignmentId: string, score: number, minutes = 2) => ({
	eventId: randomUUID(),
	assignmentId,
	kind: 'submit' as const,
	score,
	occurredAt: minutesAgo(minutes)
});

const assignment = (id: string) =>
	pod.db
		.selectFrom('assignments')
		.select(['status', 'score', 'score_source'])
		.where('id', '=', id)
		.executeTakeFirstOrThrow();

const openLowScoreFlags = (assignmentId: string) =>
	pod.db
		.selectFrom('flags')
		.select(['id', 'reason'])
		.where('assignment_id', '=', assignmentId)
		.where('rule', '=', 'low_score')
		.where('status', 'in', ['open', 'grouped'])
		.execute();

async function setSelfReportedCount(count: boolean) {
	const lead = await callerAs(pod, 'lead');
	const current = await lead.flags.thresholds({ podId: pod.podId });
	return lead.flags.setThresholds({
		podId: pod.podId,
		thresholds: { ...current, selfReportedScoresCount: count }
	});
}

describe('a score the student typed', () => {
	it('is stored, derived and sent to the boards as self-reported, and does not make work mastered', async () => {
		const student = await callerAs(pod, 'student');
		const quiz = await freshAssignment(pod, pod.users.student, { kind: 'assessment' });
		const seq = await latestSeq(pod.db, pod.podId);

		await student.progress.record({ events: [submit(quiz.id, 9)] });

		expect(await assignment(quiz.id)).toEqual({ status: 'submitted', score: 90, score_source: 'self' });
		const stored = await pod.db
			.selectFrom('progress_events')
			.select(['score', 'score_source'])
			.where('assignment_id', '=', quiz.id)
			.execute();
		expect(stored).toEqual([{ score: 9, score_source: 'self' }]);
		const heard = (await podEventsSince(pod.db, pod.podId, seq)).filter((e) => e.kind === 'progress');
		expect(heard.map((e) => e.payload)).toMatchObject([
			{ assignments: [{ assignmentId: quiz.id, status: 'submitted', score: 90, scoreSource: 'self' }] }
		]);
		const lead = await callerAs(pod, 'lead');
		const board = await lead.dashboard.heatmap({ podId: pod.podId });
		const cell = unpackCells(board).find(
			(c) => c.studentId === pod.users.student && c.activityId === quiz.activityId
		);
		expect(cell).toMatchObject({ status: 'submitted', score: 90, scoreSource: 'self' });
		const panel = await lead.dashboard.student({ podId: pod.podId, studentId: pod.users.student });
		expect(panel.items.find((item) => item.id === quiz.id)).toMatchObject({ score: 90, scoreSource: 'self' });
		expect(panel.recentEvents.find((e) => e.title === quiz.title)).toMatchObject({
			score: 9,
			scoreSource: 'self'
		});
	});

	it('neither raises nor clears a low-score flag; a teacher’s mark does both', async () => {
		const student = await callerAs(pod, 'student');
		const teacher = await callerAs(pod, 'teacher');
		const quiz = await freshAssignment(pod, pod.users.student, { kind: 'assessment' });

		await student.progress.record({ events: [submit(quiz.id, 3, 5)] });
		expect(await openLowScoreFlags(quiz.id)).toEqual([]);

		await teacher.progress.setScore({ podId: pod.podId, assignmentId: quiz.id, score: 4 });
		expect(await assignment(quiz.id)).toEqual({ status: 'submitted', score: 40, score_source: 'teacher' });
		const [flag] = await openLowScoreFlags(quiz.id);
		expect(flag.reason).toMatch(/^Scored 40% on .+ \(under 70%\)$/);

		// The student's own 10/10 after it: shown, but the flag stays for a teacher to look at.
		await student.progress.record({ events: [submit(quiz.id, 10, 0)] });
		expect(await assignment(quiz.id)).toEqual({ status: 'submitted', score: 100, score_source: 'self' });
		expect(await openLowScoreFlags(quiz.id)).toEqual([flag]);

		await teacher.progress.setScore({ podId: pod.podId, assignmentId: quiz.id, score: 9 });
		expect(await assignment(quiz.id)).toEqual({ status: 'mastered', score: 90, score_source: 'teacher' });
		expect(await openLowScoreFlags(quiz.id)).toEqual([]);
	});

	it('goes into the CSV and xAPI exports with its source', async () => {
		const student = await callerAs(pod, 'student');
		const lead = await callerAs(pod, 'lead');
		const quiz = await freshAssignment(pod, pod.users.student, { kind: 'assessment' });
		await student.progress.record({ events: [submit(quiz.id, 9)] });

		const csv = await lead.exports.progressCsv({ podId: pod.podId });
		const [header, ...rows] = parse(csv.body, { bom: true }) as string[][];
		const row = rows.find((r) => r[0] === pod.users.student && r[4] === quiz.title)!;
		expect([
			row[header.indexOf('Status')],
			row[header.indexOf('Score (%)')],
			row[header.indexOf('Score source')]
		]).toEqual(['submitted', '90', 'self']);

		const xapi = await lead.exports.progressXapi({ podId: pod.podId });
		type Statement = {
			actor: { account: { name: string } };
			object: { id: string };
			verb: { display: { 'en-US': string } };
			result: Record<string, unknown>;
		};
		const statement = (JSON.parse(xapi.body) as Statement[]).find(
			(s) =>
				s.actor.account.name === pod.users.student && s.object.id.endsWith(`/activities/${quiz.activityId}`)
		)!;
		// A 90% the pod does not believe is neither passed nor failed.
		expect(statement.verb.display['en-US']).toBe('completed');
		expect(statement.result).toMatchObject({
			score: { scaled: 0.9, raw: 9 },
			extensions: { [SCORE_SOURCE_EXTENSION]: 'self' }
		});
	});
});

describe('a pod that counts self-reported scores', () => {
	it('makes work mastered by a typed score when the lead says so, and takes it back when they do not', async () => {
		const student = await callerAs(pod, 'student');
		const quiz = await freshAssignment(pod, pod.users.student, { kind: 'assessment' });
		const low = await freshAssignment(pod, pod.users.student, { kind: 'assessment' });
		await student.progress.record({ events: [submit(quiz.id, 9), submit(low.id, 2)] });
		expect(await assignment(quiz.id)).toMatchObject({ status: 'submitted' });
		expect(await openLowScoreFlags(low.id)).toEqual([]);

		const seq = await latestSeq(pod.db, pod.podId);
		await setSelfReportedCount(true);
		expect(await assignment(quiz.id)).toEqual({ status: 'mastered', score: 90, score_source: 'self' });
		expect(await openLowScoreFlags(low.id)).toHaveLength(1);
		// The boards hear the cells that changed.
		const heard = (await podEventsSince(pod.db, pod.podId, seq)).filter((e) => e.kind === 'progress');
		expect(
			heard.flatMap((e) => (e.payload as { assignments: { assignmentId: string }[] }).assignments)
		).toContainEqual(
			expect.objectContaining({ assignmentId: quiz.id, status: 'mastered', scoreSource: 'self' })
		);

		await setSelfReportedCount(false);
		expect(await assignment(quiz.id)).toEqual({ status: 'submitted', score: 90, score_source: 'self' });
	});

	it('derives the pod by the setting the last save left, when leads save it many times at once', async () => {
		const student = await callerAs(pod, 'student');
		const quiz = await freshAssignment(pod, pod.users.student, { kind: 'assessment' });
		await student.progress.record({ events: [submit(quiz.id, 9)] });

		const lead = await callerAs(pod, 'lead');
		const saves = Array.from({ length: 20 }, (_, i) =>
			lead.flags.setThresholds({
				podId: pod.podId,
				thresholds: { ...DEFAULT_THRESHOLDS, selfReportedScoresCount: i % 2 === 0 }
			})
		);
		expect((await Promise.allSettled(saves)).every((s) => s.status === 'fulfilled')).toBe(true);

		const counts = (await lead.flags.thresholds({ podId: pod.podId })).selfReportedScoresCount;
		const events = await pod.db
			.selectFrom('progress_events')
			.select(['kind', 'score', 'score_source', 'occurred_at', 'recorded_by'])
			.where('assignment_id', '=', quiz.id)
			.execute();
		const expected = deriveAssignmentState(
			events.map(asDerivationEvent),
			{ kind: 'assessment', maxScore: 10 },
			{ selfReportedCounts: counts }
		);
		expect((await assignment(quiz.id)).status).toBe(expected.status);
		await setSelfReportedCount(false);
	});
});
