import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db/seed/demo';
import { appTables, podDigest } from '../support/database';
import { callerAs, createTestPod, databaseDigest, type TestPod } from '../support/pod';
import { outcomeOf } from '../support/outcomes';
import { freshStudent } from '../support/students';

// A student's data on request: everything Podboard stores about them, corrected, or deleted
// for good with nothing left that names them.

let pod: TestPod;
beforeAll(async () => {
	pod = await createTestPod();
});
afterAll(() => pod.db.destroy());

const asStudent = (id: string) => callerAs({ ...pod, users: { ...pod.users, student: id } }, 'student');

/** A student with a bit of everything: a sign-in, progress, a marked quiz, a flag, a hand up, a group, a wrong try. */
async function busyStudent(names?: { givenName: string; familyName: string }) {
	const student = await freshStudent(pod, names);
	const anonymous = await callerAs(pod, 'anonymous');
	await anonymous.auth.studentJoin({
		joinCode: DEMO.joinCode,
		studentId: student.id,
		pictures: [...DEMO.pictures]
	});
	await anonymous.auth
		.studentJoin({ joinCode: DEMO.joinCode, studentId: student.id, pictures: ['sun', 'cat', 'tree'] })
		.catch(() => 'a wrong try, kept in sign_in_attempts');
	const [first, second] = await pod.db
		.selectFrom('assignments')
		.select('id')
		.where('student_id', '=', student.id)
		.orderBy('position')
		.execute();
	const me = await asStudent(student.id);
	await me.progress.record({
		events: [
			{ eventId: randomUUID(), assignmentId: first.id, kind: 'start', occurredAt: new Date().toISOString() },
			{ eventId: randomUUID(), assignmentId: first.id, kind: 'stuck', occurredAt: new Date().toISOString() }
		]
	});
	await me.help.request({ assignmentId: first.id });
	const teacher = await callerAs(pod, 'teacher');
	// A marked quiz: evidence of its skill, and the mastery kept from it.
	await teacher.progress.setScore({ podId: pod.podId, assignmentId: second.id, score: 7 });
	await teacher.flags.raise({
		podId: pod.podId,
		studentIds: [student.id],
		reason: `${student.name} asked to sit by the window`
	});
	await teacher.groups.create({ podId: pod.podId, studentIds: [student.id, pod.classmateId] });
	return student;
}

/** Every row of every table, as text, that holds the needle. */
async function rowsHolding(needle: string) {
	const found: string[] = [];
	for (const name of await appTables(pod.db)) {
		const rows = await sql`select * from ${sql.table(name)}`.execute(pod.db);
		for (const row of rows.rows) {
			const text = JSON.stringify(row);
			if (text.toLowerCase().includes(needle.toLowerCase())) found.push(`${name}: ${text.slice(0, 200)}`);
		}
	}
	return found;
}

describe('everything about a student', () => {
	it("holds the student's rows, and no hash or token", async () => {
		const student = await busyStudent();
		const lead = await callerAs(pod, 'lead');
		const record = await lead.studentData.everything({ podId: pod.podId, studentId: student.id });

		expect(record.profile).toMatchObject({ id: student.id, kind: 'student', hasPicturePassword: true });
		expect(`${record.profile.givenName} ${record.profile.familyName}`).toBe(student.name);
		expect(record.podMemberships).toEqual([
			{ pod_id: pod.podId, pod_name: 'Pod North', grade_level: 5, cohort: 'Fresh' }
		]);
		expect(record.assignments).toHaveLength(2);
		expect(record.progressEvents.map((e) => e.kind)).toEqual(expect.arrayContaining(['start', 'stuck']));
		expect(record.flags.map((f) => f.rule)).toEqual(expect.arrayContaining(['manual', 'stuck']));
		expect(record.helpRequests).toHaveLength(1);
		expect(record.skillEvidence.length).toBeGreaterThan(0);
		expect(record.groupMemberships).toHaveLength(1);
		expect(record.signInAttempts.map((a) => a.succeeded).sort()).toEqual([false, true]);
		// The join's, and the one this test signed in with.
		expect(record.sessionsCount).toBe(2);

		const text = JSON.stringify(record);
		const user = await pod.db
			.selectFrom('users')
			.selectAll()
			.where('id', '=', student.id)
			.executeTakeFirstOrThrow();
		const sessions = await pod.db
			.selectFrom('sessions')
			.select('token_hash')
			.where('user_id', '=', student.id)
			.execute();
		expect(user.picture_password_hash).toBeTruthy();
		expect(text).not.toContain(user.picture_password_hash!);
		for (const session of sessions) expect(text).not.toContain(session.token_hash);
		expect(text).not.toMatch(/hash|token/i);
	});

	it('is recorded in the audit log', async () => {
		const student = await freshStudent(pod);
		await (await callerAs(pod, 'lead')).studentData.everything({ podId: pod.podId, studentId: student.id });
		const entry = await pod.db
			.selectFrom('audit_log')
			.selectAll()
			.where('entity', '=', 'student')
			.where('entity_id', '=', student.id)
			.executeTakeFirstOrThrow();
		expect(entry).toMatchObject({ actor_id: pod.users.lead, pod_id: pod.podId, action: 'export' });
	});

	it('a student of another pod as well is for the school admin, who sees every pod', async () => {
		const student = await freshStudent(pod);
		await pod.db
			.insertInto('pod_students')
			.values({ pod_id: pod.otherPodId, user_id: student.id, grade_level: 7, cohort: null })
			.execute();
		const lead = await callerAs(pod, 'lead');
		expect(await outcomeOf(lead.studentData.everything({ podId: pod.podId, studentId: student.id }))).toBe(
			'FORBIDDEN'
		);
		expect(
			await outcomeOf(
				lead.studentData.erase({ podId: pod.podId, studentId: student.id, confirmName: student.name })
			)
		).toBe('FORBIDDEN');
		const admin = await callerAs(pod, 'admin');
		const record = await admin.studentData.everything({ podId: pod.podId, studentId: student.id });
		expect(record.podMemberships.map((m) => m.pod_name)).toEqual(['Pod North', 'Pod South']);
	});
});

describe('correcting a student', () => {
	it('changes the name, grade and cohort, and the audit log names the fields, not the old values', async () => {
		const student = await freshStudent(pod, { givenName: 'Jon', familyName: 'Smyth' });
		const lead = await callerAs(pod, 'lead');
		const { changed, student: after } = await lead.studentData.correct({
			podId: pod.podId,
			studentId: student.id,
			givenName: ' John ',
			familyName: 'Smith',
			grade: 6,
			cohort: ''
		});
		expect(changed).toEqual(['givenName', 'familyName', 'grade', 'cohort']);
		expect(after).toMatchObject({ givenName: 'John', familyName: 'Smith', grade: 6, cohort: null });
		const entries = await pod.db
			.selectFrom('audit_log')
			.selectAll()
			.where('entity_id', '=', student.id)
			.where('action', '=', 'correct')
			.execute();
		expect(entries).toHaveLength(1);
		expect(entries[0]).toMatchObject({ actor_id: pod.users.lead, pod_id: pod.podId, entity: 'student' });
		expect(JSON.parse(entries[0].detail)).toEqual({ fields: ['givenName', 'familyName', 'grade', 'cohort'] });
		expect(entries[0].detail).not.toMatch(/Jon|Smyth/);
	});

	it('the same values again change nothing and log nothing', async () => {
		const student = await freshStudent(pod, { givenName: 'Ada', familyName: 'Same' });
		const lead = await callerAs(pod, 'lead');
		const before = await databaseDigest(pod.db);
		const { changed } = await lead.studentData.correct({
			podId: pod.podId,
			studentId: student.id,
			givenName: 'Ada',
			grade: 5
		});
		expect(changed).toEqual([]);
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('a student of another pod is not found', async () => {
		const south = await pod.db
			.insertInto('users')
			.values({
				id: randomUUID(),
				kind: 'student',
				given_name: 'Sam',
				family_name: 'South',
				email: null,
				password_hash: null,
				picture_password_hash: null,
				created_at: new Date().toISOString()
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await pod.db
			.insertInto('pod_students')
			.values({ pod_id: pod.otherPodId, user_id: south.id, grade_level: 7, cohort: null })
			.execute();
		const lead = await callerAs(pod, 'lead');
		expect(
			await outcomeOf(lead.studentData.correct({ podId: pod.podId, studentId: south.id, grade: 8 }))
		).toBe('NOT_FOUND');
	});
});

describe('deleting a student for good', () => {
	it('refuses a name typed wrong, and changes nothing', async () => {
		const student = await freshStudent(pod);
		const lead = await callerAs(pod, 'lead');
		const before = await databaseDigest(pod.db);
		expect(
			await outcomeOf(
				lead.studentData.erase({ podId: pod.podId, studentId: student.id, confirmName: 'Someone Else' })
			)
		).toBe('BAD_REQUEST');
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('removes every row that names the student; the audit entry keeps only counts', async () => {
		const student = await busyStudent({ givenName: 'Eloïse', familyName: 'Vanderbilt-Erase' });
		// Also named in the audit log by an export and a correction, and in the pod's event log.
		const lead = await callerAs(pod, 'lead');
		await lead.studentData.everything({ podId: pod.podId, studentId: student.id });
		await lead.studentData.correct({ podId: pod.podId, studentId: student.id, cohort: 'Window seats' });
		expect(await rowsHolding(student.id)).not.toHaveLength(0);
		expect(await rowsHolding(student.name)).not.toHaveLength(0);
		const classmateGroups = await pod.db
			.selectFrom('group_members')
			.select('group_id')
			.where('student_id', '=', pod.classmateId)
			.execute();

		const { counts } = await lead.studentData.erase({
			podId: pod.podId,
			studentId: student.id,
			confirmName: '  eloïse   vanderbilt-erase ' // spaces and case as a person types them
		});

		expect(counts).toMatchObject({
			users: 1,
			pod_students: 1,
			assignments: 2,
			sessions: 2,
			sign_in_attempts: 2,
			help_requests: 1,
			group_members: 1
		});
		expect(counts.flags).toBeGreaterThanOrEqual(2);
		// Start and stuck, and the teacher's mark with its evidence and the mastery kept from it.
		expect(counts.progress_events).toBe(3);
		expect(counts.skill_evidence).toBeGreaterThan(0);
		expect(counts.skill_mastery).toBe(counts.skill_evidence);
		expect(await rowsHolding(student.id)).toEqual([]);
		expect(await rowsHolding(student.name)).toEqual([]);
		expect(await rowsHolding('Vanderbilt')).toEqual([]);

		const entry = await pod.db
			.selectFrom('audit_log')
			.selectAll()
			.where('action', '=', 'erase')
			.orderBy('at', 'desc')
			.executeTakeFirstOrThrow();
		expect(entry).toMatchObject({
			actor_id: pod.users.lead,
			pod_id: pod.podId,
			entity: 'student',
			entity_id: null
		});
		expect(JSON.parse(entry.detail)).toEqual({ podId: pod.podId, counts });

		// The classmate keeps their place in the group they shared.
		expect(
			await pod.db
				.selectFrom('group_members')
				.select('group_id')
				.where('student_id', '=', pod.classmateId)
				.execute()
		).toEqual(classmateGroups);
	});

	it('the student is gone for the API too', async () => {
		const student = await freshStudent(pod);
		const lead = await callerAs(pod, 'lead');
		await lead.studentData.erase({ podId: pod.podId, studentId: student.id, confirmName: student.name });
		expect(await outcomeOf(lead.studentData.profile({ podId: pod.podId, studentId: student.id }))).toBe(
			'NOT_FOUND'
		);
		const anonymous = await callerAs(pod, 'anonymous');
		const roster = await anonymous.auth.joinRoster({ joinCode: DEMO.joinCode });
		expect(JSON.stringify(roster)).not.toContain(student.id);
	});
});

describe('deleting a student leaves every other pod as it was', () => {
	/** A student of Pod South, made directly: South's lead then writes about them through the API. */
	async function southStudent(givenName: string, familyName: string) {
		const id = randomUUID();
		await pod.db
			.insertInto('users')
			.values({
				id,
				kind: 'student',
				given_name: givenName,
				family_name: familyName,
				email: null,
				password_hash: null,
				picture_password_hash: null,
				created_at: new Date().toISOString()
			})
			.execute();
		await pod.db
			.insertInto('pod_students')
			.values({ pod_id: pod.otherPodId, user_id: id, grade_level: 7, cohort: null })
			.execute();
		return id;
	}

	/** A team teacher of Pod South, for the lead's coaching cycles. */
	async function southTeacher() {
		const id = randomUUID();
		await pod.db
			.insertInto('users')
			.values({
				id,
				kind: 'staff',
				given_name: 'Tam',
				family_name: 'South',
				email: `tam-${id}@south.school`,
				password_hash: null,
				picture_password_hash: null,
				created_at: new Date().toISOString()
			})
			.execute();
		await pod.db
			.insertInto('pod_staff')
			.values({ pod_id: pod.otherPodId, user_id: id, role: 'teacher' })
			.execute();
		return id;
	}

	/**
	 * Pod South writes `text` where teachers write: manual flags' reasons (some resolved with a
	 * note), a group's title and outcome, a coaching cycle, and so the audit log.
	 */
	async function southWrites(studentIds: string[], text: string) {
		const south = await callerAs(pod, 'otherPodTeacher');
		const podId = pod.otherPodId;
		const { flagIds } = await south.flags.raise({ podId, studentIds, reason: `${text} again today` });
		await south.flags.resolve({ podId, flagId: flagIds[0], note: `Talked it over: ${text}` });
		// The other flags join the group, and its outcome resolves them.
		const group = await south.groups.create({
			podId,
			title: `Reading with ${text}`,
			studentIds,
			flagIds: flagIds.slice(1)
		});
		await south.groups.claim({ podId, groupId: group.id, version: group.version });
		const claimed = await pod.db
			.selectFrom('intervention_groups')
			.select('version')
			.where('id', '=', group.id)
			.executeTakeFirstOrThrow();
		await south.groups.finish({
			podId,
			groupId: group.id,
			version: claimed.version,
			outcome: `${text} read aloud`
		});
		await south.coaching.record({
			podId,
			teacherId: await southTeacher(),
			focus: `Questions for ${text}`,
			evidence: `${text} answered twice`,
			nextStep: `Ask ${text} first`
		});
	}

	it('a same-name student of another pod keeps their flags, groups, coaching notes and audit entries', async () => {
		const student = await busyStudent({ givenName: 'Mara', familyName: 'Quill' });
		const namesake = await southStudent('Mara', 'Quill');
		const classmates = [namesake, await southStudent('Ines', 'Rowe'), await southStudent('Omar', 'Pike')];
		await southWrites(classmates, 'Mara Quill');
		await southWrites([namesake], 'MARA QUILL');
		const south = await podDigest(pod.db, pod.otherPodId);

		const lead = await callerAs(pod, 'lead');
		await lead.studentData.erase({ podId: pod.podId, studentId: student.id, confirmName: student.name });

		expect(await podDigest(pod.db, pod.otherPodId)).toBe(south);
		expect(await rowsHolding(student.id)).toEqual([]);
	});

	it('a student renamed to everyday words changes no other pod, nor words that hold them in their pod', async () => {
		const student = await busyStudent({ givenName: 'Lio', familyName: 'Renamed' });
		const lead = await callerAs(pod, 'lead');
		await lead.studentData.correct({
			podId: pod.podId,
			studentId: student.id,
			givenName: 'on',
			familyName: 'the'
		});
		const southIds = await Promise.all(
			Array.from({ length: 6 }, (_, i) => southStudent(`Stu${i}`, 'Common'))
		);
		await southWrites(southIds, 'on the board');
		await southWrites(southIds.slice(0, 2), 'Lean ON THE table');
		// In the student's own pod, a note where the words stand inside other words.
		const teacher = await callerAs(pod, 'teacher');
		const inside = 'Went to the moon there; Jon Theo helped';
		const { flagIds } = await teacher.flags.raise({
			podId: pod.podId,
			studentIds: [(await freshStudent(pod)).id],
			reason: inside
		});
		const south = await podDigest(pod.db, pod.otherPodId);

		await lead.studentData.erase({ podId: pod.podId, studentId: student.id, confirmName: 'on the' });

		expect(await podDigest(pod.db, pod.otherPodId)).toBe(south);
		const kept = await pod.db
			.selectFrom('flags')
			.select('reason')
			.where('id', '=', flagIds[0])
			.executeTakeFirstOrThrow();
		expect(kept.reason).toBe(inside);
	});

	it("in the student's pod, their name goes from groups they were in and from notes, whatever its case", async () => {
		const student = await busyStudent({ givenName: 'Rúth', familyName: 'Caseless' });
		const teacher = await callerAs(pod, 'teacher');
		const group = await teacher.groups.create({
			podId: pod.podId,
			title: 'RÚTH CASELESS and a friend',
			studentIds: [student.id, pod.classmateId]
		});
		const { flagIds } = await teacher.flags.raise({
			podId: pod.podId,
			studentIds: [(await freshStudent(pod)).id],
			reason: 'Sat with rúth  caseless, then with Rúthie Caselessly'
		});

		await (
			await callerAs(pod, 'lead')
		).studentData.erase({
			podId: pod.podId,
			studentId: student.id,
			confirmName: student.name
		});

		const title = await pod.db
			.selectFrom('intervention_groups')
			.select('title')
			.where('id', '=', group.id)
			.executeTakeFirstOrThrow();
		expect(title.title).toBe('a student and a friend');
		const flag = await pod.db
			.selectFrom('flags')
			.select('reason')
			.where('id', '=', flagIds[0])
			.executeTakeFirstOrThrow();
		expect(flag.reason).toBe('Sat with a student, then with Rúthie Caselessly');
		expect(await rowsHolding(student.id)).toEqual([]);
	});
});

describe('who may', () => {
	it.each(['teacher', 'student', 'otherPodTeacher'] as const)(
		'a %s is refused everything here',
		async (role) => {
			const student = await freshStudent(pod);
			const caller = await callerAs(pod, role);
			const before = await databaseDigest(pod.db);
			const input = { podId: pod.podId, studentId: student.id };
			expect(await outcomeOf(caller.studentData.profile(input))).toBe('FORBIDDEN');
			expect(await outcomeOf(caller.studentData.everything(input))).toBe('FORBIDDEN');
			expect(await outcomeOf(caller.studentData.correct({ ...input, grade: 4 }))).toBe('FORBIDDEN');
			expect(await outcomeOf(caller.studentData.erase({ ...input, confirmName: student.name }))).toBe(
				'FORBIDDEN'
			);
			expect(await databaseDigest(pod.db)).toBe(before);
		}
	);
});
