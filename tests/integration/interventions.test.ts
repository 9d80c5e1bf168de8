import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db/seed/demo';
import { latestSeq } from '../../src/lib/server/live/log';
import { podTime } from '../../src/lib/server/pods/clock';
import { callerAs, createTestPod, databaseDigest, type TestPod } from '../support/pod';
import { refusalOf } from '../support/outcomes';
import { freshActivity, freshAssignment } from '../support/playlists';
import { freshGroup } from '../support/interventions';

// Flags, intervention groups and raised hands, through the API as each person calls it.

let pod: TestPod;
let teacher2Id: string;
/** Students of the pod with no hand up, handed out one at a time so tests never share one. */
let unusedStudents: string[];
beforeAll(async () => {
	pod = await createTestPod();
	teacher2Id = (
		await pod.db
			.selectFrom('users')
			.select('id')
			.where('email', '=', 'teacher2@demo.school')
			.executeTakeFirstOrThrow()
	).id;
	const rows = await pod.db
		.selectFrom('pod_students')
		.select('user_id')
		.where('pod_id', '=', pod.podId)
		.where('user_id', 'not in', [pod.users.student, pod.classmateId])
		.where('user_id', 'not in', (eb) =>
			eb.selectFrom('help_requests').select('student_id').where('open_key', 'is not', null)
		)
		.orderBy('user_id')
		.execute();
	unusedStudents = rows.map((row) => row.user_id);
});
afterAll(() => pod.db.destroy());

const nextStudent = () => {
	const id = unusedStudents.shift();
	if (!id) throw new Error('The demo pod ran out of students for these tests');
	return id;
};

/** A student of the pod, signed in. */
const studentCaller = (studentId: string) =>
	callerAs({ ...pod, users: { ...pod.users, student: studentId } }, 'student');
/** Priya Shah, the pod's second teacher. */
const teacher2Caller = () => callerAs({ ...pod, users: { ...pod.users, teacher: teacher2Id } }, 'teacher');

const nameOf = (email: string) => {
	const member = DEMO.staff.find((s) => s.email === email)!;
	return `${member.givenName} ${member.familyName}`;
};
const TEACHER = nameOf('teacher1@demo.school');
const TEACHER2 = nameOf('teacher2@demo.school');
const LEAD = nameOf('lead@demo.school');
const SUPPORT = nameOf('support@demo.school');

async function studentName(studentId: string) {
	const user = await pod.db
		.selectFrom('users')
		.select(['given_name', 'family_name'])
		.where('id', '=', studentId)
		.executeTakeFirstOrThrow();
	return `${user.given_name} ${user.family_name}`;
}

async function freshSkill() {
	const skill = {
		id: randomUUID(),
		pod_id: pod.podId,
		code: `T.${randomUUID().slice(0, 6)}`,
		name: `Test skill ${randomUUID().slice(0, 4)}`,
		subject: 'math',
		grade: 5
	};
	await pod.db.insertInto('skills').values(skill).execute();
	return skill;
}

// Events a few minutes ago, so the time-based rules (idle, stuck for 20 minutes) stay quiet.
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();
type EventKind = 'start' | 'progress' | 'stuck' | 'submit' | 'help';
const progress = (assignmentId: string, kind: EventKind, occurredAt: string) => ({
	events: [{ eventId: randomUUID(), assignmentId, kind, occurredAt }]
});

/** "10:12", as the pod's wall clock shows an instant. */
async function podClock(at: string) {
	const row = await pod.db
		.selectFrom('pods')
		.select(['timezone', 'school_week'])
		.where('id', '=', pod.podId)
		.executeTakeFirstOrThrow();
	return podTime(row, new Date()).clock(at);
}

/** Refused with `code` (and a message matching `message`), leaving every table as it was. */
async function expectRefusedUnchanged(call: () => Promise<unknown>, code: string, message?: string | RegExp) {
	const before = await databaseDigest(pod.db);
	const error = await refusalOf(call());
	expect(error.code).toBe(code);
	if (message) expect(error.message).toMatch(message);
	expect(await databaseDigest(pod.db)).toBe(before);
}

/** The pod events written after `seq`, each with the students it names. */
async function podEventsAfter(seq: number) {
	const rows = await pod.db
		.selectFrom('pod_events')
		.select(['kind', 'payload'])
		.where('pod_id', '=', pod.podId)
		.where('seq', '>', seq)
		.orderBy('seq')
		.execute();
	return rows.map((row) => ({
		kind: row.kind,
		studentIds: (JSON.parse(row.payload) as { studentIds?: string[] }).studentIds ?? []
	}));
}

async function expectPodEvent(afterSeq: number, kind: string, studentIds: string[]) {
	expect(await podEventsAfter(afterSeq)).toContainEqual({
		kind,
		studentIds: expect.arrayContaining(studentIds)
	});
}

const flagRow = (flagId: string) =>
	pod.db.selectFrom('flags').selectAll().where('id', '=', flagId).executeTakeFirstOrThrow();

/** The student's open or grouped flag by a rule on an assignment, if there is one. */
const activeFlag = (studentId: string, rule: string, assignmentId: string | null) =>
	pod.db
		.selectFrom('flags')
		.selectAll()
		.where('student_id', '=', studentId)
		.where('rule', '=', rule as never)
		.where('assignment_id', assignmentId === null ? 'is' : '=', assignmentId)
		.where('status', 'in', ['open', 'grouped'])
		.executeTakeFirst();

/** Several students tap "I'm stuck" on the same activity, about one new skill. */
async function stuckOnOneSkill(count: number) {
	const skill = await freshSkill();
	const activity = await freshActivity(pod, { skillId: skill.id });
	const students: string[] = [];
	const flagIds: string[] = [];
	for (let i = 0; i < count; i++) {
		const studentId = nextStudent();
		const { id } = await freshAssignment(pod, studentId, { activity });
		await (await studentCaller(studentId)).progress.record(progress(id, 'stuck', minutesAgo(4 - i)));
		const flag = await activeFlag(studentId, 'stuck', id);
		expect(flag).toBeDefined();
		students.push(studentId);
		flagIds.push(flag!.id);
	}
	return { skill, activity, students, flagIds };
}

describe('automatic stuck flags', () => {
	it('raise a flag saying when the student tapped "I’m stuck", which clears itself when they submit', async () => {
		const studentId = nextStudent();
		const student = await studentCaller(studentId);
		const teacher = await callerAs(pod, 'teacher');
		const { id: assignmentId, title } = await freshAssignment(pod, studentId);
		const stuckAt = minutesAgo(3);

		const seq = await latestSeq(pod.db, pod.podId);
		await student.progress.record(progress(assignmentId, 'stuck', stuckAt));
		const listed = await teacher.flags.list({ podId: pod.podId, studentId });
		const flag = listed.find((f) => f.rule === 'stuck' && f.assignmentId === assignmentId);
		expect(flag).toMatchObject({
			studentId,
			studentName: await studentName(studentId),
			reason: `Tapped “I’m stuck” on ${title} at ${await podClock(stuckAt)}`,
			activityTitle: title,
			status: 'open',
			raisedBy: null,
			groupId: null
		});
		await expectPodEvent(seq, 'flags.changed', [studentId]);

		const submitSeq = await latestSeq(pod.db, pod.podId);
		const submittedAt = minutesAgo(1);
		await student.progress.record(progress(assignmentId, 'submit', submittedAt));
		const cleared = await flagRow(flag!.id);
		expect(cleared).toMatchObject({ status: 'resolved', open_key: null, resolved_by: null });
		expect(cleared.resolution_note).toBe(`Cleared by itself: submitted at ${await podClock(submittedAt)}`);
		expect((await teacher.flags.list({ podId: pod.podId, studentId })).map((f) => f.id)).not.toContain(
			flag!.id
		);
		await expectPodEvent(submitSeq, 'flags.changed', [studentId]);
	});

	it('stay resolved when a teacher resolves one and the same tap is looked at again; a new tap raises it', async () => {
		const studentId = nextStudent();
		const student = await studentCaller(studentId);
		const teacher = await callerAs(pod, 'teacher');
		const stuckOn = await freshAssignment(pod, studentId);
		const other = await freshAssignment(pod, studentId);
		await student.progress.record(progress(stuckOn.id, 'stuck', minutesAgo(5)));
		const flag = await activeFlag(studentId, 'stuck', stuckOn.id);
		expect(flag).toBeDefined();

		await teacher.flags.resolve({
			podId: pod.podId,
			flagId: flag!.id,
			note: 'Sat with them for the first step'
		});
		// Any batch from the student runs the rules for them again; the stuck item is unchanged.
		await student.progress.record(progress(other.id, 'start', minutesAgo(1)));
		expect(await activeFlag(studentId, 'stuck', stuckOn.id)).toBeUndefined();
		expect(await flagRow(flag!.id)).toMatchObject({
			status: 'resolved',
			resolved_by: pod.users.teacher,
			resolution_note: 'Sat with them for the first step'
		});

		await new Promise((resolve) => setTimeout(resolve, 5)); // a tap strictly after the resolution
		await student.progress.record(progress(stuckOn.id, 'stuck', new Date().toISOString()));
		const again = await activeFlag(studentId, 'stuck', stuckOn.id);
		expect(again?.id).toBeDefined();
		expect(again?.id).not.toBe(flag!.id);
	});
});

describe('a teacher’s own flags', () => {
	it('flag several students at once, refuse a second open flag for one of them, and resolve once', async () => {
		const teacher = await callerAs(pod, 'teacher');
		const [first, second, third] = [nextStudent(), nextStudent(), nextStudent()];

		const seq = await latestSeq(pod.db, pod.podId);
		const { flagIds } = await teacher.flags.raise({
			podId: pod.podId,
			studentIds: [first, second],
			reason: 'Rushing through fractions practice'
		});
		expect(flagIds).toHaveLength(2);
		const listed = (await teacher.flags.list({ podId: pod.podId })).filter((f) => flagIds.includes(f.id));
		expect(listed.map((f) => f.studentId).sort()).toEqual([first, second].sort());
		for (const flag of listed) {
			expect(flag).toMatchObject({
				rule: 'manual',
				reason: 'Rushing through fractions practice',
				status: 'open',
				raisedBy: TEACHER,
				assignmentId: null
			});
		}
		expect(await podEventsAfter(seq)).toContainEqual({
			kind: 'flags.changed',
			studentIds: [first, second]
		});

		// Alone or with a student who could be flagged: nothing is raised for anyone.
		const firstName = await studentName(first);
		await expectRefusedUnchanged(
			() => teacher.flags.raise({ podId: pod.podId, studentIds: [first], reason: 'Again' }),
			'CONFLICT',
			`${firstName} already has a teacher’s flag open`
		);
		await expectRefusedUnchanged(
			() => teacher.flags.raise({ podId: pod.podId, studentIds: [third, first], reason: 'Again' }),
			'CONFLICT',
			firstName
		);

		const resolveSeq = await latestSeq(pod.db, pod.podId);
		await teacher.flags.resolve({ podId: pod.podId, flagId: flagIds[0], note: 'Talked about checking work' });
		expect(await flagRow(flagIds[0])).toMatchObject({
			status: 'resolved',
			open_key: null,
			resolved_by: pod.users.teacher,
			resolution_note: 'Talked about checking work'
		});
		const resolvedStudent = listed.find((f) => f.id === flagIds[0])!.studentId;
		expect(await podEventsAfter(resolveSeq)).toContainEqual({
			kind: 'flags.changed',
			studentIds: [resolvedStudent]
		});
		await expectRefusedUnchanged(
			() => teacher.flags.resolve({ podId: pod.podId, flagId: flagIds[0], note: 'Twice' }),
			'CONFLICT',
			'already resolved'
		);
		await expectRefusedUnchanged(
			() => teacher.flags.resolve({ podId: pod.podId, flagId: randomUUID(), note: 'Nothing' }),
			'NOT_FOUND'
		);
	});
});

describe('intervention groups', () => {
	it('suggest a group from open flags on activities about the same skill', async () => {
		const teacher = await callerAs(pod, 'teacher');
		const { skill, students, flagIds } = await stuckOnOneSkill(3);
		const suggestions = await teacher.groups.suggestions({ podId: pod.podId });
		const forSkill = suggestions.filter((s) => s.focusSkillId === skill.id);
		expect(forSkill).toHaveLength(1);
		expect(forSkill[0]).toMatchObject({
			title: `${skill.name} (${skill.code})`,
			reason: `3 students stuck on ${skill.code} ${skill.name}`
		});
		expect([...forSkill[0].studentIds].sort()).toEqual([...students].sort());
		expect([...forSkill[0].flagIds].sort()).toEqual([...flagIds].sort());
	});

	it('go from flags to claimed, released, handed off, started and finished, resolving the flags', async () => {
		const [teacher, teacher2, lead] = [
			await callerAs(pod, 'teacher'),
			await teacher2Caller(),
			await callerAs(pod, 'lead')
		];
		const { skill, students, flagIds } = await stuckOnOneSkill(3);

		let seq = await latestSeq(pod.db, pod.podId);
		const created = await teacher.groups.create({ podId: pod.podId, focusSkillId: skill.id, flagIds });
		const title = `${skill.name} (${skill.code})`;
		expect(created).toMatchObject({ title, status: 'proposed', version: 1, owner: null });
		expect(created.members.map((m) => m.flag?.id).sort()).toEqual([...flagIds].sort());
		for (const flagId of flagIds) expect((await flagRow(flagId)).status).toBe('grouped');
		const listed = (await teacher.flags.list({ podId: pod.podId })).filter((f) => flagIds.includes(f.id));
		expect(listed.map((f) => [f.status, f.groupId])).toEqual(flagIds.map(() => ['grouped', created.id]));
		expect((await teacher.groups.suggestions({ podId: pod.podId })).map((s) => s.focusSkillId)).not.toContain(
			skill.id
		);
		await expectPodEvent(seq, 'flags.changed', students);
		await expectPodEvent(seq, 'groups.changed', students);

		const move = (version: number) => ({ podId: pod.podId, groupId: created.id, version });
		seq = await latestSeq(pod.db, pod.podId);
		const claimed = await teacher.groups.claim(move(1));
		expect(claimed).toMatchObject({
			status: 'claimed',
			version: 2,
			owner: { id: pod.users.teacher, name: TEACHER }
		});
		await expectPodEvent(seq, 'groups.changed', students);
		await expectRefusedUnchanged(
			() => teacher2.groups.claim(move(1)),
			'CONFLICT',
			`${TEACHER} has ${title}.`
		);

		seq = await latestSeq(pod.db, pod.podId);
		expect(await teacher.groups.release(move(2))).toMatchObject({
			status: 'proposed',
			version: 3,
			owner: null
		});
		await expectPodEvent(seq, 'groups.changed', students);
		expect(await teacher2.groups.claim(move(3))).toMatchObject({ version: 4, owner: { name: TEACHER2 } });

		seq = await latestSeq(pod.db, pod.podId);
		const handed = await teacher2.groups.handOff({ ...move(4), toTeacherId: pod.users.lead });
		expect(handed).toMatchObject({
			status: 'claimed',
			version: 5,
			owner: { id: pod.users.lead, name: LEAD }
		});
		await expectPodEvent(seq, 'groups.changed', students);
		await expectRefusedUnchanged(() => teacher2.groups.start(move(5)), 'CONFLICT', `${LEAD} has ${title}.`);

		seq = await latestSeq(pod.db, pod.podId);
		expect(await lead.groups.start(move(5))).toMatchObject({ status: 'in_session', version: 6 });
		await expectPodEvent(seq, 'groups.changed', students);

		seq = await latestSeq(pod.db, pod.podId);
		const outcome = 'All three compared unlike fractions on a number line';
		const finished = await lead.groups.finish({ ...move(6), outcome });
		expect(finished).toMatchObject({ status: 'done', version: 7, outcomeNote: outcome });
		for (const flagId of flagIds) {
			const flag = await flagRow(flagId);
			expect(flag).toMatchObject({ status: 'resolved', open_key: null, resolved_by: pod.users.lead });
			expect(flag.resolution_note).toContain(outcome);
		}
		await expectPodEvent(seq, 'flags.changed', students);
		await expectPodEvent(seq, 'groups.changed', students);
		await expectRefusedUnchanged(
			() => lead.groups.finish({ ...move(7), outcome: 'Again' }),
			'CONFLICT',
			`${title} is already done.`
		);
	});

	type Callers = Record<
		'teacher' | 'teacher2' | 'student' | 'otherPodTeacher',
		Awaited<ReturnType<typeof callerAs>>
	>;
	let callers: Callers;
	beforeAll(async () => {
		callers = {
			teacher: await callerAs(pod, 'teacher'),
			teacher2: await teacher2Caller(),
			student: await callerAs(pod, 'student'),
			otherPodTeacher: await callerAs(pod, 'otherPodTeacher')
		};
	});

	// Each against a fresh group the first teacher has just claimed: version 1 is what the others saw.
	it.each<[string, (c: Callers, groupId: string) => Promise<unknown>, string, string | RegExp]>([
		[
			'a claim on a group that does not exist',
			(c) => c.teacher.groups.claim({ podId: pod.podId, groupId: randomUUID(), version: 2 }),
			'NOT_FOUND',
			'No group in this pod has that id.'
		],
		[
			'the owner’s move with a version the group has moved on from',
			(c, groupId) => c.teacher.groups.start({ podId: pod.podId, groupId, version: 1 }),
			'CONFLICT',
			/changed since you looked: look again\.$/
		],
		[
			'a second teacher’s claim with the version they saw',
			(c, groupId) => c.teacher2.groups.claim({ podId: pod.podId, groupId, version: 1 }),
			'CONFLICT',
			new RegExp(`^${TEACHER} has Test group [0-9a-f]{8}\\.$`)
		],
		[
			'a teacher releasing a group someone else has',
			(c, groupId) => c.teacher2.groups.release({ podId: pod.podId, groupId, version: 2 }),
			'CONFLICT',
			new RegExp(`^${TEACHER} has`)
		],
		[
			'a hand-off to someone not on the team',
			(c, groupId) =>
				c.teacher.groups.handOff({
					podId: pod.podId,
					groupId,
					version: 2,
					toTeacherId: pod.users.otherPodTeacher
				}),
			'NOT_FOUND',
			/not on this pod’s team/
		],
		[
			'a student claiming a group',
			(c, groupId) => c.student.groups.claim({ podId: pod.podId, groupId, version: 2 }),
			'FORBIDDEN',
			/teachers of a pod/
		],
		[
			'another pod’s teacher claiming a group',
			(c, groupId) => c.otherPodTeacher.groups.claim({ podId: pod.podId, groupId, version: 2 }),
			'FORBIDDEN',
			/not on the team of Pod North/
		],
		[
			'a finish without an outcome',
			(c, groupId) => c.teacher.groups.finish({ podId: pod.podId, groupId, version: 2, outcome: '  ' }),
			'BAD_REQUEST',
			'Say how the group went'
		]
	])('refuse %s, changing nothing', async (_name, call, code, message) => {
		const { groupId, version } = await freshGroup(pod);
		await callers.teacher.groups.claim({ podId: pod.podId, groupId, version });
		await expectRefusedUnchanged(() => call(callers, groupId), code, message);
	});
});

describe('raised hands', () => {
	const openHands = (studentId: string) =>
		pod.db
			.selectFrom('help_requests')
			.selectAll()
			.where('student_id', '=', studentId)
			.where('open_key', 'is not', null)
			.execute();

	it('go up once from a "help" event and help.request, keeping their place in the queue', async () => {
		const [first, second] = [nextStudent(), nextStudent()];
		const [student, later, teacher] = [
			await studentCaller(first),
			await studentCaller(second),
			await callerAs(pod, 'teacher')
		];
		const { id: assignmentId, title } = await freshAssignment(pod, first);
		const askedAt = minutesAgo(2);

		const seq = await latestSeq(pod.db, pod.podId);
		await student.progress.record(progress(assignmentId, 'help', askedAt));
		const [hand] = await openHands(first);
		expect(hand).toMatchObject({ asked_at: askedAt, assignment_id: assignmentId, claimed_by: null });
		expect(await podEventsAfter(seq)).toContainEqual({ kind: 'help.changed', studentIds: [first] });

		const againSeq = await latestSeq(pod.db, pod.podId);
		const again = await student.help.request({ assignmentId });
		expect(again).toMatchObject({ id: hand.id, askedAt, activityTitle: title, claimedBy: null });
		expect(await openHands(first)).toHaveLength(1);
		expect((await podEventsAfter(againSeq)).map((e) => e.kind)).not.toContain('help.changed');

		const laterHand = await later.help.request({});
		expect(laterHand).toMatchObject({ studentId: second, activityTitle: null, version: 1 });
		const queue = await teacher.help.queue({ podId: pod.podId });
		const askedTimes = queue.map((r) => r.askedAt);
		expect(askedTimes).toEqual([...askedTimes].sort());
		const ids = queue.map((r) => r.id);
		expect(ids.indexOf(hand.id)).toBeGreaterThanOrEqual(0);
		expect(ids.indexOf(hand.id)).toBeLessThan(ids.indexOf(laterHand!.id));
		expect(queue.filter((r) => r.studentId === first)).toHaveLength(1);
	});

	it('carry the activity the student is on, or none, and change no status; the queue names it', async () => {
		const [onOne, onNone] = [nextStudent(), nextStudent()];
		const [student, idle, teacher] = [
			await studentCaller(onOne),
			await studentCaller(onNone),
			await callerAs(pod, 'teacher')
		];
		const next = await freshAssignment(pod, onOne, { priority: 'must' });
		const stuckOn = await freshAssignment(pod, onOne);
		await student.progress.record(progress(stuckOn.id, 'stuck', minutesAgo(3)));
		const statusOf = async (id: string) =>
			(await pod.db.selectFrom('assignments').select('status').where('id', '=', id).executeTakeFirstOrThrow())
				.status;

		const hand = (await student.help.request({ assignmentId: stuckOn.id }))!;
		expect(hand.activityTitle).toBe(stuckOn.title);
		expect(await statusOf(next.id)).toBe('not_started');
		expect(await statusOf(stuckOn.id)).toBe('stuck');
		const queued = (await teacher.help.queue({ podId: pod.podId })).find((h) => h.id === hand.id);
		expect(queued).toMatchObject({ studentId: onOne, activityTitle: stuckOn.title });

		// A hand as a progress event (an older page's "help") is no progress either.
		const untouched = await freshAssignment(pod, onNone);
		await idle.progress.record(progress(untouched.id, 'help', minutesAgo(1)));
		expect(await statusOf(untouched.id)).toBe('not_started');
		expect((await idle.help.mine())!.activityTitle).toBe(untouched.title);
		await idle.help.lower();
		const none = (await idle.help.request({}))!;
		expect(none.activityTitle).toBeNull();
		expect(
			(await teacher.help.queue({ podId: pod.podId })).find((h) => h.id === none.id)?.activityTitle
		).toBeNull();
	});

	it('are answered by support staff too: they claim one, the student hears who is coming, and they resolve it', async () => {
		const studentId = nextStudent();
		const [student, support] = [await studentCaller(studentId), await callerAs(pod, 'support')];
		const hand = (await student.help.request({}))!;
		const claimed = await support.help.claim({ podId: pod.podId, requestId: hand.id, version: 1 });
		expect(claimed).toMatchObject({ claimedBy: { id: pod.users.support, name: SUPPORT }, version: 2 });
		expect(await student.help.mine()).toMatchObject({ claimedBy: { name: SUPPORT } });
		await support.help.resolve({ podId: pod.podId, requestId: hand.id, note: 'Showed her the number line' });
		expect(await openHands(studentId)).toEqual([]);
	});

	it('tell the student who is coming; a second teacher with the old version hears who has it', async () => {
		const studentId = nextStudent();
		const [student, teacher, teacher2] = [
			await studentCaller(studentId),
			await callerAs(pod, 'teacher'),
			await teacher2Caller()
		];
		const hand = (await student.help.request({}))!;
		expect(await student.help.mine()).toMatchObject({ id: hand.id, claimedBy: null, version: 1 });

		const seq = await latestSeq(pod.db, pod.podId);
		const claim = { podId: pod.podId, requestId: hand.id, version: 1 };
		expect(await teacher.help.claim(claim)).toMatchObject({
			claimedBy: { id: pod.users.teacher, name: TEACHER },
			version: 2
		});
		expect(await student.help.mine()).toMatchObject({ claimedBy: { id: pod.users.teacher, name: TEACHER } });
		expect(await podEventsAfter(seq)).toContainEqual({ kind: 'help.changed', studentIds: [studentId] });
		await expectRefusedUnchanged(() => teacher2.help.claim(claim), 'CONFLICT', `${TEACHER} has it.`);
	});

	it('come down when the student lowers theirs, and lowering again changes nothing', async () => {
		const studentId = nextStudent();
		const student = await studentCaller(studentId);
		const hand = (await student.help.request({}))!;

		const seq = await latestSeq(pod.db, pod.podId);
		await student.help.lower();
		expect(await student.help.mine()).toBeNull();
		const row = await pod.db
			.selectFrom('help_requests')
			.selectAll()
			.where('id', '=', hand.id)
			.executeTakeFirstOrThrow();
		expect(row).toMatchObject({
			open_key: null,
			resolved_by: studentId,
			resolution_note: 'Lowered by the student'
		});
		expect(await podEventsAfter(seq)).toContainEqual({ kind: 'help.changed', studentIds: [studentId] });

		const before = await databaseDigest(pod.db);
		await student.help.lower();
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('come down when a teacher resolves one with a note, once', async () => {
		const studentId = nextStudent();
		const [student, teacher] = [await studentCaller(studentId), await callerAs(pod, 'teacher')];
		const hand = (await student.help.request({}))!;

		const seq = await latestSeq(pod.db, pod.podId);
		const resolve = { podId: pod.podId, requestId: hand.id, note: 'Showed how to read the word problem' };
		expect(await teacher.help.resolve(resolve)).toEqual({ requestId: hand.id });
		expect(await student.help.mine()).toBeNull();
		const row = await pod.db
			.selectFrom('help_requests')
			.selectAll()
			.where('id', '=', hand.id)
			.executeTakeFirstOrThrow();
		// Whoever helps is who came, even without a claim first.
		expect(row).toMatchObject({
			open_key: null,
			claimed_by: pod.users.teacher,
			resolved_by: pod.users.teacher,
			resolution_note: 'Showed how to read the word problem'
		});
		expect(await podEventsAfter(seq)).toContainEqual({ kind: 'help.changed', studentIds: [studentId] });
		await expectRefusedUnchanged(
			() => teacher.help.resolve(resolve),
			'CONFLICT',
			'That hand is already down.'
		);
	});

	it('refuse a hand up about a classmate’s playlist item', async () => {
		const student = await callerAs(pod, 'student');
		const { id } = await freshAssignment(pod, pod.classmateId);
		await expectRefusedUnchanged(
			() => student.help.request({ assignmentId: id }),
			'FORBIDDEN',
			'You can only ask for help with your own playlist.'
		);
	});
});

// Last: the rules run again for the whole pod with the new thresholds.
describe('flag thresholds', () => {
	it('are set by the lead, not a teacher, and read back as set', async () => {
		const [teacher, lead] = [await callerAs(pod, 'teacher'), await callerAs(pod, 'lead')];
		const thresholds = {
			stuckMinutes: 25,
			idleMinutes: 15,
			lowScorePercent: { assessment: 75, practice: 55 },
			behindPaceRatio: 0.6,
			handUpMinutes: 8,
			noContactMinutes: 90,
			helpAvoidanceTimes: 3,
			streakResults: null,
			selfReportedScoresCount: true,
			masteryLevels: { practicing: 30, proficient: 55, mastered: 85 }
		};
		await expectRefusedUnchanged(
			() => teacher.flags.setThresholds({ podId: pod.podId, thresholds }),
			'FORBIDDEN',
			'Only the lead facilitator of Pod North can do this.'
		);
		expect(await lead.flags.setThresholds({ podId: pod.podId, thresholds })).toEqual(thresholds);
		expect(await teacher.flags.thresholds({ podId: pod.podId })).toEqual(thresholds);
		await expectRefusedUnchanged(
			() => lead.flags.setThresholds({ podId: pod.podId, thresholds: { ...thresholds, stuckMinutes: 0 } }),
			'BAD_REQUEST',
			'Stuck after is at least 1 minute'
		);
	});
});
