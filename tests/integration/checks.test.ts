// Quick checks: the team puts one on an activity, a student takes it, the server scores it. The
// score is `checked` evidence, a retry counts once, the tries allowed hold when many arrive at once,
// and the answer key reaches no student by any route.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db/seed/demo';
import { ensureBuild } from '../../scripts/ensure-build.js';
import type { Check } from '../../src/lib/server/checks/format';
import { latestSeq, podEventsSince } from '../../src/lib/server/live/log';
import { checkedAssignment, FIVE_QUESTIONS, RIGHT_ANSWERS } from '../support/checks';
import { freshDatabaseUrl } from '../support/database';
import { startKillableServer, type KillableServer } from '../support/killable-server';
import { outcomeOf } from '../support/outcomes';
import { callerAs, createTestPod, databaseDigest, type TestPod } from '../support/pod';
import { freshActivity, freshAssignment } from '../support/playlists';

let pod: TestPod;
beforeAll(async () => {
	pod = await createTestPod();
});
afterAll(() => pod.db.destroy());

const submission = (assignmentId: string, answers: unknown[] = RIGHT_ANSWERS) => ({
	submissionId: randomUUID(),
	assignmentId,
	answers: answers as (number[] | string)[],
	occurredAt: new Date(Date.now() - 60_000).toISOString()
});

describe('the team writes a check', () => {
	it('puts a check on an activity, reads it back with its key, and the log says so', async () => {
		const teacher = await callerAs(pod, 'teacher');
		const { id: activityId } = await freshActivity(pod, { kind: 'assessment' });
		const saved = await teacher.checks.set({
			podId: pod.podId,
			activityId,
			check: JSON.stringify(FIVE_QUESTIONS)
		});
		expect(saved).toEqual(FIVE_QUESTIONS);
		expect(await teacher.checks.get({ podId: pod.podId, activityId })).toEqual({ check: FIVE_QUESTIONS });
		const activity = await pod.db
			.selectFrom('activities')
			.select('max_score')
			.where('id', '=', activityId)
			.executeTakeFirstOrThrow();
		expect(activity.max_score).toBe(5);
		const logged = await pod.db
			.selectFrom('audit_log')
			.select(['action', 'entity', 'detail'])
			.where('entity_id', '=', activityId)
			.execute();
		expect(logged).toEqual([
			{ action: 'setCheck', entity: 'activity', detail: JSON.stringify({ items: 5 }) }
		]);

		await teacher.checks.set({ podId: pod.podId, activityId, check: null });
		expect(await teacher.checks.get({ podId: pod.podId, activityId })).toEqual({ check: null });
	});

	it.each<[string, string, string]>([
		['not JSON', '{"format": "podboard-check",', 'This check is not JSON: '],
		[
			'a question with one choice',
			JSON.stringify({
				...FIVE_QUESTIONS,
				items: [{ type: 'choice', prompt: 'Pick', choices: ['a'], correct: [0] }]
			}),
			'This check cannot be used: items[0].choices: A multiple-choice question needs at least 2 choices'
		],
		[
			'a skill the pod does not have',
			JSON.stringify({ ...FIVE_QUESTIONS, items: [{ ...FIVE_QUESTIONS.items[3], skills: ['9.ZZ.9'] }] }),
			"items[0].skills: 9.ZZ.9 is not on this pod's list of skills"
		]
	])('refuses %s, saying where, and changes nothing', async (_, check, words) => {
		const lead = await callerAs(pod, 'lead');
		const { id: activityId } = await freshActivity(pod, { kind: 'assessment' });
		const before = await databaseDigest(pod.db);
		await expect(lead.checks.set({ podId: pod.podId, activityId, check })).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: expect.stringContaining(words)
		});
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('a check on another pod’s activity is not found', async () => {
		const lead = await callerAs(pod, 'lead');
		const other = await pod.db
			.selectFrom('activities')
			.select('id')
			.where('pod_id', '=', pod.otherPodId)
			.executeTakeFirst();
		const activityId = other?.id ?? randomUUID();
		expect(
			await outcomeOf(
				lead.checks.set({ podId: pod.podId, activityId, check: JSON.stringify(FIVE_QUESTIONS) })
			)
		).toBe('NOT_FOUND');
	});
});

describe('a student takes a check', () => {
	it('is scored by the server: a verified score, mastered at 4 of 5, and the boards hear it', async () => {
		const student = await callerAs(pod, 'student');
		const item = await checkedAssignment(pod, pod.users.student);
		const taking = await student.checks.take({ assignmentId: item.id });
		expect(taking).toMatchObject({ attemptsAllowed: 2, attemptsUsed: 0, last: null });
		expect(taking.questions).toHaveLength(5);

		const seq = await latestSeq(pod.db, pod.podId);
		const answers = [...RIGHT_ANSWERS];
		answers[1] = [1];
		const result = await student.checks.submit(submission(item.id, answers));
		expect(result).toMatchObject({ points: 4, maxPoints: 5 });
		expect(result.items.map((i) => i.right)).toEqual([true, false, true, true, true]);
		expect(result.items[1].rightAnswer).toBe('4; 10');

		const stored = await pod.db
			.selectFrom('assignments')
			.select(['status', 'score', 'score_source'])
			.where('id', '=', item.id)
			.executeTakeFirstOrThrow();
		expect(stored).toEqual({ status: 'mastered', score: 80, score_source: 'checked' });
		const heard = (await podEventsSince(pod.db, pod.podId, seq)).filter((e) => e.kind === 'progress');
		expect(heard.map((e) => e.payload)).toMatchObject([
			{ assignments: [{ assignmentId: item.id, status: 'mastered', score: 80, scoreSource: 'checked' }] }
		]);
		expect(await student.checks.take({ assignmentId: item.id })).toMatchObject({
			attemptsUsed: 1,
			last: result
		});
	});

	it('scores a submission sent again once, and refuses its id for other answers', async () => {
		const student = await callerAs(pod, 'student');
		const item = await checkedAssignment(pod, pod.users.student);
		const first = submission(item.id);
		const answers = await Promise.all(Array.from({ length: 5 }, () => student.checks.submit(first)));
		for (const answer of answers) expect(answer).toEqual(answers[0]);
		const rows = await pod.db
			.selectFrom('check_submissions')
			.select('id')
			.where('assignment_id', '=', item.id)
			.execute();
		expect(rows).toEqual([{ id: first.submissionId }]);
		const events = await pod.db
			.selectFrom('progress_events')
			.select('id')
			.where('assignment_id', '=', item.id)
			.execute();
		expect(events).toEqual([{ id: first.submissionId }]);

		expect(await outcomeOf(student.checks.submit({ ...first, answers: [[], [], '', '', ''] }))).toBe(
			'CONFLICT'
		);
	});

	it('allows only the tries the team set, when twenty arrive at once', async () => {
		const student = await callerAs(pod, 'student');
		const item = await checkedAssignment(pod, pod.users.student);
		const outcomes = await Promise.all(
			Array.from({ length: 20 }, () => outcomeOf(student.checks.submit(submission(item.id))))
		);
		expect(outcomes.filter((o) => o === 'ok')).toHaveLength(FIVE_QUESTIONS.attemptsAllowed);
		expect(outcomes.filter((o) => o === 'CONFLICT')).toHaveLength(20 - FIVE_QUESTIONS.attemptsAllowed);
		const rows = await pod.db
			.selectFrom('check_submissions')
			.select('id')
			.where('assignment_id', '=', item.id)
			.execute();
		expect(rows).toHaveLength(FIVE_QUESTIONS.attemptsAllowed);
	});

	it('refuses a classmate’s check and a wrong count of answers, changing nothing', async () => {
		const student = await callerAs(pod, 'student');
		const theirs = await checkedAssignment(pod, pod.classmateId);
		const mine = await checkedAssignment(pod, pod.users.student);
		const before = await databaseDigest(pod.db);
		expect(await outcomeOf(student.checks.take({ assignmentId: theirs.id }))).toBe('FORBIDDEN');
		expect(await outcomeOf(student.checks.submit(submission(theirs.id)))).toBe('FORBIDDEN');
		await expect(student.checks.submit(submission(mine.id, ['x']))).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: 'Answer each of the 5 questions (send an empty answer to skip one).'
		});
		expect(await databaseDigest(pod.db)).toBe(before);
	});
});

describe('item analysis', () => {
	it('gives each question its share right, the wrong answer given most and who missed it, from latest tries', async () => {
		const teacher = await callerAs(pod, 'teacher');
		const item = await checkedAssignment(pod, pod.users.student);
		// Two classmates on the same check: a playlist item each on the one activity.
		const onSameCheck = async (studentId: string) =>
			(await freshAssignment(pod, studentId, { activity: { id: item.activityId, title: item.title } })).id;
		const others = await pod.db
			.selectFrom('pod_students')
			.innerJoin('users', 'users.id', 'pod_students.user_id')
			.select(['users.id', 'users.given_name', 'users.family_name'])
			.where('pod_students.pod_id', '=', pod.podId)
			.where('users.id', 'not in', [pod.users.student])
			.orderBy('users.id')
			.limit(2)
			.execute();
		const as = (studentId: string) =>
			callerAs({ ...pod, users: { ...pod.users, student: studentId } }, 'student');

		const empty = await teacher.checks.analysis({ podId: pod.podId, activityId: item.activityId });
		expect(empty).toMatchObject({ students: 0 });
		expect(empty.items.map((i) => i.missedBy)).toEqual([[], [], [], [], []]);

		// The first student misses question 2, then gets it right on a second try: their latest counts.
		const first = await callerAs(pod, 'student');
		await first.checks.submit(submission(item.id, [[0], [1], '0.75', '42', 'denominatorqx']));
		await first.checks.submit(submission(item.id));
		for (const other of others) {
			await (
				await as(other.id)
			).checks.submit(submission(await onSameCheck(other.id), [[0], [1], '0.75', '41', 'denominatorqx']));
		}
		const report = await teacher.checks.analysis({ podId: pod.podId, activityId: item.activityId });
		expect(report.students).toBe(3);
		expect(report.items.map((i) => i.percentRight)).toEqual([100, 33, 100, 33, 100]);
		expect(report.items[1].mostChosenWrong).toEqual({ answer: '4', students: 2 });
		expect(report.items[3].mostChosenWrong).toEqual({ answer: '41', students: 2 });
		const names = others.map((o) => `${o.given_name} ${o.family_name}`).sort((a, b) => a.localeCompare(b));
		expect(report.items[1].missedBy.map((s) => s.name)).toEqual(names);
		expect(report.items[0].mostChosenWrong).toBeNull();
	});

	it('is for the pod’s team: an activity without a check, or of another pod, is not found', async () => {
		const teacher = await callerAs(pod, 'teacher');
		const { id } = await freshActivity(pod);
		expect(await outcomeOf(teacher.checks.analysis({ podId: pod.podId, activityId: id }))).toBe('NOT_FOUND');
		expect(
			await outcomeOf(
				(await callerAs(pod, 'otherPodTeacher')).checks.analysis({ podId: pod.podId, activityId: id })
			)
		).toBe('FORBIDDEN');
	});
});

describe('the answer key never reaches a student', () => {
	/** A key whose words appear nowhere else, and no right answers shown after. */
	const SECRET: Check = {
		format: 'podboard-check',
		version: 1,
		attemptsAllowed: 3,
		showAnswers: false,
		items: [
			{ type: 'text', prompt: 'Name the gas plants breathe out.', accepted: ['Quokkaphyllzz'], skills: [] },
			{
				type: 'numeric',
				prompt: 'How many legs has a spider?',
				answer: 8.123456,
				tolerance: 0.000321,
				skills: []
			},
			{ type: 'choice', prompt: 'Which is a mammal?', choices: ['Whale', 'Shark'], correct: [0], skills: [] }
		]
	};
	const LEAKS = [
		'Quokkaphyllzz',
		'quokkaphyllzz',
		'8.123456',
		'0.000321',
		'"correct"',
		'"accepted"',
		'"tolerance"',
		'"answer"',
		'rightAnswer'
	];

	let server: KillableServer | undefined;
	let removeDatabase = () => {};
	beforeAll(async () => {
		ensureBuild();
		const database = await freshDatabaseUrl();
		removeDatabase = database.remove;
		server = await startKillableServer(database.url, true);
	}, 300_000);
	afterAll(async () => {
		await server?.kill('SIGTERM');
		removeDatabase();
	});

	it('in no page, API answer, error or live message a student session can get', async () => {
		const lead = await server!.mutate('auth.staffLogin', {
			email: 'lead@demo.school',
			password: DEMO.staffPassword
		});
		const leadCookie = lead.headers.getSetCookie()[0].split(';')[0];
		const podId = (await server!.query<{ id: string }[]>('pods.mine', undefined, leadCookie))[0].id;
		const roster = await server!.query<{ students: { id: string }[] }>('auth.joinRoster', {
			joinCode: DEMO.joinCode
		});
		const join = await server!.mutate('auth.studentJoin', {
			joinCode: DEMO.joinCode,
			studentId: roster.students[0].id,
			pictures: [...DEMO.pictures]
		});
		const cookie = join.headers.getSetCookie()[0].split(';')[0];
		const playlist = await server!.query<{ items: { id: string; activityId: string }[] }>(
			'playlists.mine',
			undefined,
			cookie
		);
		const item = playlist.items[0];
		const set = await server!.mutate(
			'checks.set',
			{ podId, activityId: item.activityId, check: JSON.stringify(SECRET) },
			leadCookie
		);
		expect(set.status).toBe(200);

		const seen: string[] = [];
		const get = async (path: string) => {
			const response = await fetch(`${server!.origin}${path}`, { headers: { cookie } });
			seen.push(`${path} ${response.status} ${await response.text()}`);
		};
		const send = async (procedure: string, input: unknown) => {
			const response = await server!.mutate(procedure, input, cookie);
			seen.push(`${procedure} ${response.status} ${await response.text()}`);
		};
		const query = (procedure: string, input: unknown) =>
			get(`/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`);

		// The live stream, open while the student works.
		const stream = new AbortController();
		const live = fetch(`${server!.origin}/api/trpc/playlists.live`, {
			headers: { cookie, accept: 'text/event-stream' },
			signal: stream.signal
		}).then(async (response) => {
			const reader = response.body!.getReader();
			const decoder = new TextDecoder();
			try {
				for (;;) {
					const { value, done } = await reader.read();
					if (done) break;
					seen.push(`live ${decoder.decode(value)}`);
				}
			} catch {
				// Aborted: the test has read enough.
			}
		});

		await get('/me');
		await get('/');
		await query('checks.take', { assignmentId: item.id });
		await query('playlists.mine', undefined);
		await query('auth.me', undefined);
		await query('help.mine', undefined);
		// Refused: a staff reader of the check, a wrong count of answers, a malformed answer.
		await query('checks.get', { podId, activityId: item.activityId });
		await query('library.activity', { podId, activityId: item.activityId });
		await send('checks.submit', { ...submission(item.id, ['x']) });
		await send('checks.submit', { ...submission(item.id, [[9], 'x', 'y']) });
		// A wrong try, then a right one, and the same again.
		await send('checks.submit', submission(item.id, ['oxygen', '6', [1]]));
		const right = submission(item.id, ['Quokkaphyllzz', '8.1235', [0]]);
		await send('checks.submit', right);
		await send('checks.submit', right);
		await query('checks.take', { assignmentId: item.id });
		await get('/me');
		await new Promise((resolve) => setTimeout(resolve, 500));
		stream.abort();
		await live;

		const everything = seen.join('\n');
		expect(everything).toContain('Name the gas plants breathe out.');
		expect(everything).toContain('"points":3');
		for (const leak of LEAKS) expect(everything, leak).not.toContain(leak);
	});
});
