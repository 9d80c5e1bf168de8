import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupStatus } from '../../src/lib/server/db/schema';
import { huddleAgenda, type HuddleViewer } from '../../src/lib/server/huddle/agenda';
import { callerAs, createTestPod, SEED_NOW, type Role, type TestPod } from '../support/pod';
import { outcomeOf } from '../support/outcomes';

// The team huddle's agenda: each section from data made for it, at the demo's Wednesday
// 13:00 in New York; then who may read it, and whose coaching notes each person sees.

const HOUR = 3_600_000;
const before = (hours: number, from = SEED_NOW) => new Date(from.getTime() - hours * HOUR).toISOString();

const teacherId = (pod: TestPod, email: string) =>
	pod.db
		.selectFrom('users')
		.select('id')
		.where('email', '=', email)
		.executeTakeFirstOrThrow()
		.then((row) => row.id);

const nameOf = (pod: TestPod, userId: string) =>
	pod.db
		.selectFrom('users')
		.select(['given_name', 'family_name'])
		.where('id', '=', userId)
		.executeTakeFirstOrThrow()
		.then((u) => `${u.given_name} ${u.family_name}`);

async function insertGroup(
	pod: TestPod,
	group: {
		podId?: string;
		title: string;
		status: GroupStatus;
		ownerId?: string | null;
		createdAt: string;
		updatedAt?: string;
		outcome?: string | null;
		studentIds?: string[];
	}
) {
	const id = randomUUID();
	await pod.db
		.insertInto('intervention_groups')
		.values({
			id,
			pod_id: group.podId ?? pod.podId,
			title: group.title,
			focus_skill_id: null,
			owner_id: group.ownerId ?? null,
			planned_block_id: null,
			planned_on: null,
			planned_start: null,
			status: group.status,
			outcome_note: group.outcome ?? null,
			created_by: pod.users.lead,
			created_at: group.createdAt,
			updated_at: group.updatedAt ?? group.createdAt
		})
		.execute();
	const studentIds = group.studentIds ?? [pod.users.student, pod.classmateId];
	if (studentIds.length) {
		await pod.db
			.insertInto('group_members')
			.values(studentIds.map((studentId) => ({ group_id: id, student_id: studentId, flag_id: null })))
			.execute();
	}
	return id;
}

async function insertFlag(
	pod: TestPod,
	flag: {
		podId?: string;
		studentId: string;
		reason: string;
		status: 'open' | 'grouped' | 'resolved';
		createdAt: string;
	}
) {
	const id = randomUUID();
	await pod.db
		.insertInto('flags')
		.values({
			id,
			pod_id: flag.podId ?? pod.podId,
			student_id: flag.studentId,
			assignment_id: null,
			rule: 'manual',
			reason: flag.reason,
			raised_by: pod.users.lead,
			status: flag.status,
			open_key: flag.status === 'resolved' ? null : `huddle-test|${id}`,
			resolved_at: flag.status === 'resolved' ? flag.createdAt : null,
			created_at: flag.createdAt
		})
		.execute();
	return id;
}

async function insertNote(
	pod: TestPod,
	note: {
		podId?: string;
		leadId?: string;
		teacherId: string;
		focus: string;
		nextStep: string;
		followUpOn: string | null;
		createdAt: string;
		reflection?: string | null;
	}
) {
	const id = randomUUID();
	await pod.db
		.insertInto('coaching_notes')
		.values({
			id,
			pod_id: note.podId ?? pod.podId,
			lead_id: note.leadId ?? pod.users.lead,
			teacher_id: note.teacherId,
			focus: note.focus,
			evidence: 'Watched a small group for twenty minutes',
			next_step: note.nextStep,
			follow_up_on: note.followUpOn,
			reflection: note.reflection ?? null,
			created_at: note.createdAt,
			updated_at: note.createdAt
		})
		.execute();
	return id;
}

describe('the agenda, section by section', () => {
	let pod: TestPod;
	let teacher2: string;
	let lead: HuddleViewer;
	beforeAll(async () => {
		pod = await createTestPod();
		teacher2 = await teacherId(pod, 'teacher2@demo.school');
		lead = { id: pod.users.lead, role: 'lead' };
	});
	afterAll(() => pod.db.destroy());

	it('is dated by the pod’s own clock', async () => {
		const agenda = await huddleAgenda(pod.db, pod.podId, lead, SEED_NOW);
		expect(agenda).toMatchObject({
			pod: { id: pod.podId, name: 'Pod North' },
			date: '2026-11-18',
			dayName: 'Wednesday',
			weekOf: '2026-11-16'
		});
		// 22:00 on Wednesday in New York is already Thursday in UTC.
		expect((await huddleAgenda(pod.db, pod.podId, lead, new Date('2026-11-19T03:00:00Z'))).date).toBe(
			'2026-11-18'
		);
	});

	it('groups with no owner: proposed ones only, oldest first, with their students and how long they have waited', async () => {
		const older = await insertGroup(pod, {
			title: 'Fractions again',
			status: 'proposed',
			createdAt: before(27)
		});
		const newer = await insertGroup(pod, { title: 'Main idea', status: 'proposed', createdAt: before(3) });
		const claimed = await insertGroup(pod, {
			title: 'Claimed already',
			status: 'claimed',
			ownerId: pod.users.teacher,
			createdAt: before(5)
		});
		const nextDoor = await insertGroup(pod, {
			podId: pod.otherPodId,
			title: 'Pod South’s',
			status: 'proposed',
			createdAt: before(4)
		});

		const { unclaimedGroups } = await huddleAgenda(pod.db, pod.podId, lead, SEED_NOW);
		const ids = unclaimedGroups.map((g) => g.id);
		expect(ids).toEqual([older, newer]);
		expect(ids).not.toContain(claimed);
		expect(ids).not.toContain(nextDoor);
		const names = [await nameOf(pod, pod.users.student), await nameOf(pod, pod.classmateId)].sort();
		expect(unclaimedGroups[1]).toMatchObject({ title: 'Main idea', ageHours: 3 });
		expect(unclaimedGroups[1].members.map((m) => m.name).sort()).toEqual(names);
		expect(unclaimedGroups[0].ageHours).toBe(27);
	});

	it('flags open longer than a day: open or grouped, raised over 24 h ago, oldest first, with student, rule and reason', async () => {
		const student = pod.users.student;
		const grouped = await insertFlag(pod, {
			studentId: student,
			reason: 'Two days on long division',
			status: 'grouped',
			createdAt: before(50)
		});
		const open = await insertFlag(pod, {
			studentId: pod.classmateId,
			reason: 'Quiet since Monday',
			status: 'open',
			createdAt: before(25)
		});
		const recent = await insertFlag(pod, {
			studentId: student,
			reason: 'Only this morning',
			status: 'open',
			createdAt: before(23)
		});
		const resolved = await insertFlag(pod, {
			studentId: student,
			reason: 'Sorted out',
			status: 'resolved',
			createdAt: before(72)
		});
		const nextDoor = await insertFlag(pod, {
			podId: pod.otherPodId,
			studentId: student,
			reason: 'Another pod’s',
			status: 'open',
			createdAt: before(80)
		});

		const { longOpenFlags } = await huddleAgenda(pod.db, pod.podId, lead, SEED_NOW);
		const ids = longOpenFlags.map((f) => f.id);
		expect(ids.indexOf(grouped)).toBeLessThan(ids.indexOf(open));
		for (const id of [recent, resolved, nextDoor]) expect(ids).not.toContain(id);
		// The demo's own flags were all raised at SEED_NOW: only ours are over a day old.
		expect(ids).toEqual([grouped, open]);
		expect(longOpenFlags[0]).toMatchObject({
			studentName: await nameOf(pod, student),
			rule: 'manual',
			reason: 'Two days on long division',
			status: 'grouped',
			ageHours: 50
		});
		expect(longOpenFlags.every((f) => Date.parse(f.createdAt) < SEED_NOW.getTime() - 24 * HOUR)).toBe(true);
	});

	it('students behind pace: the same students the behind_pace rule flagged, with done / total must-dos', async () => {
		const { behindPace } = await huddleAgenda(pod.db, pod.podId, lead, SEED_NOW);
		const flagged = await pod.db
			.selectFrom('flags')
			.select(['student_id', 'reason'])
			.where('pod_id', '=', pod.podId)
			.where('rule', '=', 'behind_pace')
			.where('status', '=', 'open')
			.execute();
		expect(behindPace.length).toBeGreaterThan(0);
		expect(behindPace.map((s) => s.studentId).sort()).toEqual(flagged.map((f) => f.student_id).sort());
		for (const student of behindPace) {
			const reason = flagged.find((f) => f.student_id === student.studentId)!.reason;
			// The rule's reason names the must-dos due by today and not done (issue 19), or the pace.
			if (student.late.length) {
				expect(reason).toMatch(
					new RegExp(`^${student.late.length} of \\d+ must-dos? due by today not done: `)
				);
				for (const item of student.late.slice(0, 3)) expect(reason).toContain(item);
			} else {
				expect(reason).toContain(`${student.done} of ${student.total} must-dos done this week`);
				expect(reason).toContain(`about ${student.expected} would be on pace`);
			}
			// Under the pod's share (0.7) of what is due: 1 done of about 1.45 due rounds to "pace 1".
			expect(student.done).toBeLessThanOrEqual(student.expected);
		}
		// Furthest behind first.
		const shortfalls = behindPace.map((s) => s.expected - s.done);
		expect(shortfalls[0]).toBeGreaterThanOrEqual(shortfalls[shortfalls.length - 1]);
	});

	it('students behind pace: catching up takes a student off the list', async () => {
		const [first] = (await huddleAgenda(pod.db, pod.podId, lead, SEED_NOW)).behindPace;
		await pod.db
			.updateTable('assignments')
			.set({ status: 'mastered', score: 100, last_event_at: before(1) })
			.where('pod_id', '=', pod.podId)
			.where('student_id', '=', first.studentId)
			.where('priority', '=', 'must')
			.execute();
		const { behindPace } = await huddleAgenda(pod.db, pod.podId, lead, SEED_NOW);
		expect(behindPace.map((s) => s.studentId)).not.toContain(first.studentId);
	});

	it('this week’s group outcomes: groups done since Monday began, with owner and outcome', async () => {
		const thisWeek = await insertGroup(pod, {
			title: 'Equivalent fractions',
			status: 'done',
			ownerId: pod.users.teacher,
			createdAt: before(30),
			updatedAt: before(2),
			outcome: 'Three of four can now find equivalent fractions'
		});
		// Monday 00:00 in New York is 05:00 UTC: just before it is last week (a group closed before
		// Monday's bell is this week's).
		const lastWeek = await insertGroup(pod, {
			title: 'Last Friday’s',
			status: 'done',
			ownerId: teacher2,
			createdAt: '2026-11-13T15:00:00.000Z',
			updatedAt: '2026-11-16T04:59:00.000Z',
			outcome: 'Old news'
		});
		const mondayMorning = await insertGroup(pod, {
			title: 'Monday warm-up',
			status: 'done',
			ownerId: teacher2,
			createdAt: '2026-11-16T13:00:00.000Z',
			updatedAt: '2026-11-16T13:30:00.000Z',
			outcome: 'Everyone ready'
		});
		const stillRunning = await insertGroup(pod, {
			title: 'Running now',
			status: 'in_session',
			ownerId: teacher2,
			createdAt: before(1)
		});

		const { groupOutcomes } = await huddleAgenda(pod.db, pod.podId, lead, SEED_NOW);
		expect(groupOutcomes.map((g) => g.id)).toEqual([thisWeek, mondayMorning]);
		expect(groupOutcomes.map((g) => g.id)).not.toContain(lastWeek);
		expect(groupOutcomes.map((g) => g.id)).not.toContain(stillRunning);
		expect(groupOutcomes[0]).toMatchObject({
			title: 'Equivalent fractions',
			owner: await nameOf(pod, pod.users.teacher),
			outcomeNote: 'Three of four can now find equivalent fractions',
			memberCount: 2,
			doneOn: '2026-11-18'
		});
	});

	it('coaching next steps due: follow-up date reached in the pod’s time zone, not yet followed by a newer note', async () => {
		const due = await insertNote(pod, {
			teacherId: pod.users.teacher,
			focus: 'Questioning in small groups',
			nextStep: 'Ask why before confirming an answer',
			followUpOn: '2026-11-17',
			createdAt: '2026-11-10T20:00:00.000Z'
		});
		// Priya's first cycle was followed up by a second, due tomorrow in New York.
		const followedUp = await insertNote(pod, {
			teacherId: teacher2,
			focus: 'Transitions',
			nextStep: 'Use a countdown',
			followUpOn: '2026-11-12',
			createdAt: '2026-11-05T20:00:00.000Z'
		});
		const tomorrow = await insertNote(pod, {
			teacherId: teacher2,
			focus: 'Floor duty routes',
			nextStep: 'Walk the back tables first',
			followUpOn: '2026-11-19',
			createdAt: '2026-11-12T20:00:00.000Z',
			reflection: 'The back tables asked more questions'
		});
		const nextDoor = await insertNote(pod, {
			podId: pod.otherPodId,
			leadId: pod.users.otherPodTeacher,
			teacherId: pod.users.otherPodTeacher,
			focus: 'Another pod',
			nextStep: 'Not ours',
			followUpOn: '2026-11-01',
			createdAt: '2026-10-30T20:00:00.000Z'
		});

		const at = async (iso: string) =>
			(await huddleAgenda(pod.db, pod.podId, lead, new Date(iso))).coachingDue.map((n) => n.id);
		expect(await at(SEED_NOW.toISOString())).toEqual([due]);
		// Thursday already in UTC, still Wednesday evening in New York.
		expect(await at('2026-11-19T03:00:00Z')).toEqual([due]);
		expect(await at('2026-11-19T06:00:00Z')).toEqual([due, tomorrow]);
		for (const id of [followedUp, nextDoor]) expect(await at('2026-11-19T06:00:00Z')).not.toContain(id);

		const { coachingDue } = await huddleAgenda(pod.db, pod.podId, lead, new Date('2026-11-19T06:00:00Z'));
		expect(coachingDue[0]).toMatchObject({
			teacherName: await nameOf(pod, pod.users.teacher),
			focus: 'Questioning in small groups',
			nextStep: 'Ask why before confirming an answer',
			followUpOn: '2026-11-17',
			reflected: false
		});
		expect(coachingDue[1]).toMatchObject({ teacherId: teacher2, reflected: true });
	});

	it('a team teacher’s agenda holds only their own coaching notes', async () => {
		const thursday = new Date('2026-11-19T06:00:00Z');
		const own = await huddleAgenda(pod.db, pod.podId, { id: pod.users.teacher, role: 'teacher' }, thursday);
		expect(own.coachingScope).toBe('own');
		expect(own.coachingDue.length).toBeGreaterThan(0);
		expect(own.coachingDue.every((n) => n.teacherId === pod.users.teacher)).toBe(true);
		const priyas = await huddleAgenda(pod.db, pod.podId, { id: teacher2, role: 'teacher' }, thursday);
		expect(priyas.coachingDue.every((n) => n.teacherId === teacher2)).toBe(true);
		// Support staff see the huddle but no coaching note of anyone's.
		const support = await huddleAgenda(
			pod.db,
			pod.podId,
			{ id: pod.users.support, role: 'support' },
			thursday
		);
		expect(support.coachingScope).toBe('none');
		expect(support.coachingDue).toEqual([]);
		const admin = await huddleAgenda(pod.db, pod.podId, { id: pod.users.admin, role: 'admin' }, thursday);
		expect(admin.coachingScope).toBe('pod');
		expect(new Set(admin.coachingDue.map((n) => n.teacherId))).toEqual(
			new Set([pod.users.teacher, teacher2])
		);
	});
});

describe('huddle.agenda through the API', () => {
	let pod: TestPod;
	let teacher2: string;
	let notes: { daniel: string; priya: string };
	beforeAll(async () => {
		pod = await createTestPod();
		teacher2 = await teacherId(pod, 'teacher2@demo.school');
		// Due whatever day the test runs: follow-up dates long past, and nothing newer.
		notes = {
			daniel: await insertNote(pod, {
				teacherId: pod.users.teacher,
				focus: 'Wait time',
				nextStep: 'Count to five after a question',
				followUpOn: '2026-01-05',
				createdAt: '2026-01-01T15:00:00.000Z'
			}),
			priya: await insertNote(pod, {
				teacherId: teacher2,
				focus: 'Conferring',
				nextStep: 'Start each conference with the student’s goal',
				followUpOn: '2026-01-06',
				createdAt: '2026-01-02T15:00:00.000Z'
			})
		};
	});
	afterAll(() => pod.db.destroy());

	const agendaAs = async (role: Role, asUser?: string) => {
		const who = asUser ? { ...pod, users: { ...pod.users, teacher: asUser } } : pod;
		return (await callerAs(who, role)).huddle.agenda({ podId: pod.podId });
	};
	it('a group formed on the board shows up with no owner until someone claims it', async () => {
		const lead = await callerAs(pod, 'lead');
		const group = await lead.groups.create({
			podId: pod.podId,
			title: 'Huddle test group',
			studentIds: [pod.users.student, pod.classmateId]
		});
		const listed = (await agendaAs('teacher')).unclaimedGroups.find((g) => g.id === group.id);
		expect(listed?.members).toHaveLength(2);
		await (await callerAs(pod, 'teacher')).groups.claim({ podId: pod.podId, groupId: group.id, version: 1 });
		expect((await agendaAs('lead')).unclaimedGroups.map((g) => g.id)).not.toContain(group.id);
	});

	it.each([
		['lead', 'pod'],
		['admin', 'pod']
	] as const)('the %s sees every teacher’s coaching next steps', async (role, scope) => {
		const agenda = await agendaAs(role);
		expect(agenda.coachingScope).toBe(scope);
		expect(agenda.coachingDue.map((n) => n.id).sort()).toEqual([notes.daniel, notes.priya].sort());
	});

	it('a team teacher never sees another teacher’s coaching note', async () => {
		const daniel = await agendaAs('teacher');
		expect(daniel.coachingDue.map((n) => n.id)).toEqual([notes.daniel]);
		expect(JSON.stringify(daniel)).not.toContain('Start each conference');
		const priya = await agendaAs('teacher', teacher2);
		expect(priya.coachingDue.map((n) => n.id)).toEqual([notes.priya]);
		expect(JSON.stringify(priya)).not.toContain('Count to five');
	});

	it.each([
		['student', 'FORBIDDEN'],
		['otherPodTeacher', 'FORBIDDEN'],
		['anonymous', 'UNAUTHORIZED']
	] as const)('a caller who is %s gets %s', async (role, code) => {
		expect(await outcomeOf(agendaAs(role))).toBe(code);
	});

	it('another pod’s lead reads their own pod’s agenda, with none of Pod North in it', async () => {
		const south = await (await callerAs(pod, 'otherPodTeacher')).huddle.agenda({ podId: pod.otherPodId });
		expect(south.pod.name).toBe('Pod South');
		expect(south.coachingDue).toEqual([]);
		expect(south.behindPace).toEqual([]);
		expect(south.unclaimedGroups).toEqual([]);
		expect(south.longOpenFlags).toEqual([]);
		expect(south.groupOutcomes).toEqual([]);
	});
});
