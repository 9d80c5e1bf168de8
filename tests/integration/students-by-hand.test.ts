import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pictureSecret } from '../../src/lib/auth/pictures';
import { verifySecret } from '../../src/lib/server/auth/passwords';
import { createSession } from '../../src/lib/server/auth/sessions';
import { getPodEventBus } from '../../src/lib/server/live/app-bus';
import type { PodEvent } from '../../src/lib/server/live/bus';
import { callerAs, createTestPod, databaseDigest, type TestPod } from '../support/pod';
import { freshStudent } from '../support/students';

// Students without OneRoster: the lead adds them one at a time on the roster page.

let pod: TestPod;
beforeAll(async () => {
	pod = await createTestPod();
});
afterAll(() => pod.db.destroy());

const refusal = (call: Promise<unknown>) =>
	call.then(
		() => 'ok',
		(e: unknown) => (e instanceof TRPCError ? `${e.code}: ${e.message}` : String(e))
	);

let made = 0;
/** A name no other test in this file uses. */
const newName = (given = 'Ana') => `${given} Handadded${++made}`;

describe('adding a student by hand', () => {
	it('makes a student of the pod with their own picture password, audited, and the board hears it', async () => {
		const heard: PodEvent[] = [];
		const stop = getPodEventBus().subscribe(pod.podId, (event) => heard.push(event));
		const lead = await callerAs(pod, 'lead');
		const name = newName();
		const added = await lead.students.add({ podId: pod.podId, name, grade: 5, cohort: ' Blue ' });
		stop();

		expect(added).toMatchObject({ name, grade: 5, cohort: 'Blue' });
		const user = await pod.db
			.selectFrom('users')
			.selectAll()
			.where('id', '=', added.id)
			.executeTakeFirstOrThrow();
		expect(user).toMatchObject({
			kind: 'student',
			given_name: 'Ana',
			family_name: name.split(' ')[1],
			email: null,
			password_hash: null,
			status: 'active',
			source_id: null
		});
		// Random pictures, not the demo's: nobody knows them until the lead makes the card.
		expect(user.picture_password_hash).toMatch(/^scrypt\$/);
		expect(await verifySecret(pictureSecret(['cat', 'sun', 'tree']), user.picture_password_hash!)).toBe(
			false
		);

		const roster = await lead.pods.roster({ podId: pod.podId });
		expect(roster).toContainEqual({ id: added.id, name, grade: 5, cohort: 'Blue' });
		const audit = await pod.db
			.selectFrom('audit_log')
			.selectAll()
			.where('entity_id', '=', added.id)
			.execute();
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({
			actor_id: pod.users.lead,
			pod_id: pod.podId,
			action: 'create',
			entity: 'user'
		});
		// The log keeps which fields, never the name.
		expect(audit[0].detail).not.toContain('Handadded');
		expect(heard.map((e) => e.kind)).toEqual(['roster.changed']);

		// The card page lists them, without a card yet.
		const cards = await lead.cards.list({ podId: pod.podId });
		expect(cards.students.find((s) => s.id === added.id)).toMatchObject({ card: null, ended: null });
	});

	it('reads "Family, Given" too, and an admin may add', async () => {
		const admin = await callerAs(pod, 'admin');
		made++;
		const added = await admin.students.add({
			podId: pod.podId,
			name: `Ruiz Pérez${made}, Ana María`,
			grade: 4
		});
		expect(added).toMatchObject({ name: `Ana María Ruiz Pérez${made}`, grade: 4, cohort: null });
	});

	it.each([
		[
			'a grade outside the pod',
			{ grade: 7 },
			'BAD_REQUEST: Pod North is for grades 4–6: choose the student’s grade from 4 to 6.'
		],
		['kindergarten in a 4–6 pod', { grade: 0 }, 'BAD_REQUEST: Pod North is for grades 4–6'],
		['an empty name', { name: '   ' }, 'BAD_REQUEST: Write the student’s name, like Ana Ruiz'],
		['one word', { name: 'Ana' }, 'BAD_REQUEST: Write “Ana” with a family name too, like “Ana Ruiz”'],
		[
			'a name over 80 characters',
			{ name: `Ana ${'x'.repeat(80)}` },
			'BAD_REQUEST: Keep the student’s name under 80'
		],
		['a cohort over 60 characters', { cohort: 'c'.repeat(61) }, 'BAD_REQUEST: Keep the cohort under 60']
	])('refuses %s and changes nothing', async (_what, change, expected) => {
		const lead = await callerAs(pod, 'lead');
		const before = await databaseDigest(pod.db);
		const answer = await refusal(
			lead.students.add({ podId: pod.podId, name: newName(), grade: 5, ...change })
		);
		// A schema's refusal reaches a caller as its issues; over HTTP, as the sentence.
		expect(answer.slice(0, 13)).toBe('BAD_REQUEST: ');
		expect(answer).toContain(expected.slice(13));
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('refuses a name the pod already has, whatever its letter case', async () => {
		const lead = await callerAs(pod, 'lead');
		const name = newName('Bea');
		await lead.students.add({ podId: pod.podId, name, grade: 6 });
		const before = await databaseDigest(pod.db);
		expect(await refusal(lead.students.add({ podId: pod.podId, name: name.toUpperCase(), grade: 5 }))).toBe(
			`CONFLICT: ${name} is already in Pod North (grade 6). For another student with that name, add a middle initial so each can find their own name.`
		);
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('adds a name once when the same student is added many times at once', async () => {
		const lead = await callerAs(pod, 'lead');
		const name = newName('Cy');
		const answers = await Promise.all(
			Array.from({ length: 12 }, () => refusal(lead.students.add({ podId: pod.podId, name, grade: 5 })))
		);
		expect(answers.filter((a) => a === 'ok')).toHaveLength(1);
		expect(answers.filter((a) => a.startsWith('CONFLICT:'))).toHaveLength(11);
		const rows = await pod.db
			.selectFrom('users')
			.select('id')
			.where('given_name', '=', 'Cy')
			.where('family_name', '=', name.split(' ')[1])
			.execute();
		expect(rows).toHaveLength(1);
	});

	it('is the lead’s (or an admin’s): a team teacher and another pod’s lead are refused', async () => {
		const callers = [await callerAs(pod, 'teacher'), await callerAs(pod, 'otherPodTeacher')];
		const before = await databaseDigest(pod.db);
		for (const caller of callers) {
			expect(await refusal(caller.students.add({ podId: pod.podId, name: newName(), grade: 5 }))).toMatch(
				/^FORBIDDEN: /
			);
		}
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('a student added by hand signs in with the pictures on the card the lead makes', async () => {
		const lead = await callerAs(pod, 'lead');
		const added = await lead.students.add({ podId: pod.podId, name: newName('Dev'), grade: 5 });
		const [card] = await lead.cards.issue({ podId: pod.podId, studentIds: [added.id] });
		const anonymous = await callerAs(pod, 'anonymous');
		const { students } = await anonymous.auth.joinRoster({ joinCode: 'DEMO42' });
		expect(students.some((s) => s.id === added.id)).toBe(true);
		const signedIn = await anonymous.auth.studentJoin({
			joinCode: 'DEMO42',
			studentId: added.id,
			pictures: card.card.pictures
		});
		expect(signedIn).toEqual({ next: '/me' });
	});
});

/** Another pod of Pod North's school, grades 4–6 unless told, led by whoever is named. */
async function podNextDoor(name: string, { lead = null as string | null, gradeLow = 4, gradeHigh = 6 } = {}) {
	const north = await pod.db
		.selectFrom('pods')
		.selectAll()
		.where('id', '=', pod.podId)
		.executeTakeFirstOrThrow();
	const id = randomUUID();
	await pod.db
		.insertInto('pods')
		.values({
			...north,
			id,
			name,
			grade_low: gradeLow,
			grade_high: gradeHigh,
			join_code: `N${String(++made).padStart(5, '0')}`,
			created_at: new Date().toISOString()
		})
		.execute();
	if (lead)
		await pod.db.insertInto('pod_staff').values({ pod_id: id, user_id: lead, role: 'lead' }).execute();
	return id;
}

describe('moving a student to another pod of the school', () => {
	it('moves the membership; history stays, what was open closes with a note; both pods audit it and hear it', async () => {
		const eastId = await podNextDoor('Pod East', { lead: pod.users.lead });
		const student = await busyStudent();
		const heard: PodEvent[] = [];
		const stops = [pod.podId, eastId].map((id) =>
			getPodEventBus().subscribe(id, (event) => heard.push(event))
		);
		const lead = await callerAs(pod, 'lead');
		const moved = await lead.students.move({
			podId: pod.podId,
			studentId: student.id,
			toPodId: eastId,
			grade: 6
		});
		stops.forEach((stop) => stop());

		expect(moved).toEqual({
			studentId: student.id,
			name: student.name,
			from: { id: pod.podId, name: 'Pod North' },
			to: { id: eastId, name: 'Pod East' },
			grade: 6,
			closed: { flags: 1, hands: 1, groups: 1 }
		});
		const memberships = await pod.db
			.selectFrom('pod_students')
			.select(['pod_id', 'grade_level', 'cohort'])
			.where('user_id', '=', student.id)
			.execute();
		expect(memberships).toEqual([{ pod_id: eastId, grade_level: 6, cohort: null }]);
		// The playlist and its work stay where they were done, readable from the student's data.
		const work = await pod.db
			.selectFrom('assignments')
			.select('pod_id')
			.where('student_id', '=', student.id)
			.execute();
		expect(work.map((a) => a.pod_id)).toEqual([pod.podId, pod.podId]);
		const admin = await callerAs(pod, 'admin');
		const data = await admin.studentData.everything({ podId: eastId, studentId: student.id });
		expect(data.assignments).toHaveLength(2);

		const note = 'Moved to Pod East';
		const flags = await pod.db.selectFrom('flags').selectAll().where('student_id', '=', student.id).execute();
		expect(flags.map((f) => [f.status, f.resolution_note, f.resolved_by])).toEqual([
			['resolved', note, pod.users.lead]
		]);
		const hands = await pod.db
			.selectFrom('help_requests')
			.selectAll()
			.where('student_id', '=', student.id)
			.execute();
		expect(hands.map((h) => [h.open_key, h.resolution_note])).toEqual([[null, note]]);
		// The group of two carries on with the classmate.
		const members = await pod.db
			.selectFrom('group_members')
			.select('student_id')
			.where('group_id', '=', student.groupId)
			.execute();
		expect(members.map((m) => m.student_id)).toEqual([pod.classmateId]);
		// Signed out of the old pod; their old card (with the old pod's code) stops.
		const sessions = await pod.db
			.selectFrom('sessions')
			.select('user_id')
			.where('user_id', '=', student.id)
			.execute();
		expect(sessions).toEqual([]);
		const cards = await pod.db
			.selectFrom('sign_in_cards')
			.select(['status', 'pictures'])
			.where('student_id', '=', student.id)
			.execute();
		expect(cards).toEqual([{ status: 'replaced', pictures: null }]);

		const audit = await pod.db
			.selectFrom('audit_log')
			.select(['pod_id', 'action', 'entity', 'actor_id'])
			.where('entity_id', '=', student.id)
			.where('action', '=', 'move')
			.orderBy('pod_id')
			.execute();
		expect(audit).toEqual(
			[pod.podId, eastId]
				.sort()
				.map((podId) => ({ pod_id: podId, action: 'move', entity: 'student', actor_id: pod.users.lead }))
		);
		const kinds = (podId: string) => heard.filter((e) => e.podId === podId).map((e) => e.kind);
		expect(kinds(pod.podId)).toEqual(['groups.changed', 'flags.changed', 'help.changed', 'roster.changed']);
		expect(kinds(eastId)).toEqual(['roster.changed']);

		// The new pod's board shows them; the old one's does not.
		expect((await lead.pods.roster({ podId: eastId })).map((s) => s.id)).toContain(student.id);
		expect((await lead.pods.roster({ podId: pod.podId })).map((s) => s.id)).not.toContain(student.id);
	});

	it('closes a group whose only member moves', async () => {
		const eastId = await podNextDoor('Pod East 2', { lead: pod.users.lead });
		const student = await freshStudent(pod);
		const teacher = await callerAs(pod, 'teacher');
		const group = await teacher.groups.create({ podId: pod.podId, studentIds: [student.id] });
		const admin = await callerAs(pod, 'admin');
		await admin.students.move({ podId: pod.podId, studentId: student.id, toPodId: eastId });
		const closed = await pod.db
			.selectFrom('intervention_groups')
			.select(['status', 'outcome_note'])
			.where('id', '=', group.id)
			.executeTakeFirstOrThrow();
		expect(closed).toEqual({
			status: 'done',
			outcome_note: `Closed: ${student.name.split(' ')[0]} moved to Pod East 2`
		});
	});

	it('refuses, and changes nothing: another school, a grade the pod does not teach, a pod the lead does not lead, a student of another pod', async () => {
		const westId = await podNextDoor('Pod West');
		const middleId = await podNextDoor('Pod Middle', { lead: pod.users.lead, gradeLow: 7, gradeHigh: 8 });
		const student = await freshStudent(pod);
		const lead = await callerAs(pod, 'lead');
		const admin = await callerAs(pod, 'admin');
		const before = await databaseDigest(pod.db);
		const move = (
			caller: typeof lead,
			input: { podId?: string; studentId?: string; toPodId: string; grade?: number }
		) => refusal(caller.students.move({ podId: pod.podId, studentId: student.id, ...input }));

		expect(await move(admin, { toPodId: pod.otherPodId, grade: 7 })).toBe(
			'BAD_REQUEST: Pod South is at Southside School, not Northside Demo School: a student moves only between pods of the same school.'
		);
		expect(await move(lead, { toPodId: middleId })).toBe(
			`BAD_REQUEST: Pod Middle is for grades 7–8: choose ${student.name.split(' ')[0]}’s grade from 7 to 8.`
		);
		expect(await move(lead, { toPodId: westId })).toBe(
			'FORBIDDEN: Only a lead of Pod West or a school admin can move a student into it. Ask your school’s Podboard admin.'
		);
		expect(await move(lead, { toPodId: pod.podId })).toBe(
			`BAD_REQUEST: ${student.name} is in Pod North already: choose another pod.`
		);
		// A student of Pod South, named from Pod North: not found, and nothing said of them.
		const south = await pod.db
			.selectFrom('pod_students')
			.select('user_id')
			.where('pod_id', '=', pod.otherPodId)
			.execute();
		const stranger = south[0]?.user_id ?? pod.users.otherPodTeacher;
		expect(await move(admin, { studentId: stranger, toPodId: westId })).toBe(
			'NOT_FOUND: That student is not in Pod North. Reload the page to see the roster as it is now.'
		);
		expect(await move(admin, { toPodId: randomUUID() })).toBe(
			'NOT_FOUND: The pod to move them to is not there. Reload the page to see the pods as they are now.'
		);
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('a lead of the student’s pod only (not of the other) is told who can; a lead of the other only is refused at the door', async () => {
		const eastId = await podNextDoor('Pod East 3', { lead: pod.users.otherPodTeacher });
		const student = await freshStudent(pod);
		const lead = await callerAs(pod, 'lead');
		const south = await callerAs(pod, 'otherPodTeacher');
		expect(
			await refusal(lead.students.move({ podId: pod.podId, studentId: student.id, toPodId: eastId }))
		).toBe(
			'FORBIDDEN: Only a lead of Pod East 3 or a school admin can move a student into it. Ask Olu Banks, or your school’s Podboard admin.'
		);
		expect(
			await refusal(south.students.move({ podId: pod.podId, studentId: student.id, toPodId: eastId }))
		).toMatch(/^FORBIDDEN: You are not on the team of Pod North/);
	});

	it('moves a student once when the move is sent many times at once', async () => {
		const eastId = await podNextDoor('Pod East 4', { lead: pod.users.lead });
		const student = await freshStudent(pod);
		const lead = await callerAs(pod, 'lead');
		const answers = await Promise.all(
			Array.from({ length: 10 }, () =>
				refusal(lead.students.move({ podId: pod.podId, studentId: student.id, toPodId: eastId }))
			)
		);
		expect(answers.filter((a) => a === 'ok')).toHaveLength(1);
		expect(answers.filter((a) => a.startsWith('NOT_FOUND: That student is not in Pod North'))).toHaveLength(
			9
		);
		const memberships = await pod.db
			.selectFrom('pod_students')
			.select('pod_id')
			.where('user_id', '=', student.id)
			.execute();
		expect(memberships).toEqual([{ pod_id: eastId }]);
	});

	it('offers the pods a person may move students into: the lead’s, or every other pod of the school for an admin', async () => {
		const ledId = await podNextDoor('Pod Choice A', { lead: pod.users.lead });
		const otherId = await podNextDoor('Pod Choice B');
		const lead = await callerAs(pod, 'lead');
		const admin = await callerAs(pod, 'admin');
		const leadSees = (await lead.students.choices({ podId: pod.podId })).moveTo.map((p) => p.id);
		const adminSees = (await admin.students.choices({ podId: pod.podId })).moveTo.map((p) => p.id);
		expect(leadSees).toContain(ledId);
		expect(leadSees).not.toContain(otherId);
		expect(adminSees).toEqual(expect.arrayContaining([ledId, otherId]));
		// Another school's pods are never offered.
		expect(adminSees).not.toContain(pod.otherPodId);
		expect(await lead.students.choices({ podId: pod.podId })).toMatchObject({ gradeLow: 4, gradeHigh: 6 });
	});
});

/** A fresh student of Pod North with a sign-in, a card, a flag, a hand up and a group with a classmate. */
async function busyStudent() {
	const student = await freshStudent(pod);
	const lead = await callerAs(pod, 'lead');
	await lead.cards.issue({ podId: pod.podId, studentIds: [student.id] });
	await createSession(pod.db, {
		userId: student.id,
		podId: pod.podId,
		idleMinutes: 60,
		expiresAt: new Date(Date.now() + 3_600_000)
	});
	const [first] = await pod.db
		.selectFrom('assignments')
		.select('id')
		.where('student_id', '=', student.id)
		.orderBy('position')
		.execute();
	const me = await callerAs({ ...pod, users: { ...pod.users, student: student.id } }, 'student');
	await me.help.request({ assignmentId: first.id });
	const teacher = await callerAs(pod, 'teacher');
	await teacher.flags.raise({ podId: pod.podId, studentIds: [student.id], reason: 'Quiet today' });
	const group = await teacher.groups.create({ podId: pod.podId, studentIds: [student.id, pod.classmateId] });
	return { ...student, groupId: group.id };
}
