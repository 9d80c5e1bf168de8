// Attendance and the room's ratio, and who has seen whom today: marks are taken in one pass by
// anyone on staff, absent students leave the idle and pace flags and the suggested groups, the
// ratio warns when too few adults are in, and the coverage lists who has had no adult yet.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTENDANCE_CSV_HEADER } from '../../src/lib/server/attendance/csv';
import type { AttendanceStatus, FlagRule } from '../../src/lib/domain';
import { attendanceToday, markAdult, markAttendance } from '../../src/lib/server/attendance/attendance';
import { coverageToday } from '../../src/lib/server/attendance/coverage';
import { evaluateFlags } from '../../src/lib/server/flags/engine';
import { podGroupSuggestions } from '../../src/lib/server/groups/groups';
import { latestSeq, writeWithEvents } from '../../src/lib/server/live/log';
import { lastSchoolDay } from '../support/attendance';
import { freshGroup, freshHandUp } from '../support/interventions';
import { refusalOf } from '../support/outcomes';
import { callerAs, createTestPod, databaseDigest, SEED_NOW, type TestPod } from '../support/pod';

let pod: TestPod;
beforeAll(async () => {
	pod = await createTestPod();
});
afterAll(() => pod.db.destroy());

/** Minutes after the demo's seeded moment: a Wednesday afternoon, school in session. */
const seedPlus = (minutes: number) => new Date(SEED_NOW.getTime() + minutes * 60_000);

const mark = (studentId: string, status: AttendanceStatus, now: Date, byId = pod.users.support) =>
	writeWithEvents(pod.db, (trx, record) =>
		markAttendance(trx, { podId: pod.podId, byId, marks: [{ studentId, status }] }, record, now)
	);

const adult = (userId: string, inRoom: boolean, now: Date, byId = userId, byLeads = false) =>
	writeWithEvents(pod.db, (trx, record) =>
		markAdult(trx, { podId: pod.podId, userId, inRoom, byId, byLeads }, record, now)
	);

const openFlags = (studentIds: string[], rule: FlagRule) =>
	pod.db
		.selectFrom('flags')
		.select(['student_id'])
		.where('pod_id', '=', pod.podId)
		.where('student_id', 'in', studentIds)
		.where('rule', '=', rule)
		.where('status', '=', 'open')
		.execute();

describe('taking attendance', () => {
	it('marks three students absent in three taps: their idle flags clear, the counts and the ratio change', async () => {
		const idle = (
			await pod.db
				.selectFrom('flags')
				.select('student_id')
				.where('pod_id', '=', pod.podId)
				.where('rule', '=', 'idle')
				.where('status', '=', 'open')
				.orderBy('student_id')
				.execute()
		).map((f) => f.student_id);
		expect(idle.length, 'the demo has idle students at its seeded moment').toBeGreaterThanOrEqual(2);
		const [a, b] = idle;
		const c = pod.users.student;
		const before = await attendanceToday(pod.db, pod.podId, seedPlus(1));
		expect(before.counts).toMatchObject({ students: 72, present: 72, absent: 0 });

		const seq = await latestSeq(pod.db, pod.podId);
		for (const [i, id] of [a, b, c].entries()) await mark(id, 'absent', seedPlus(1 + i));
		expect(await openFlags([a, b, c], 'idle')).toEqual([]);
		// The sweep later raises none for the absent three.
		await writeWithEvents(pod.db, (trx, record) =>
			evaluateFlags(trx, pod.podId, record, { now: seedPlus(20) })
		);
		expect(await openFlags([a, b, c], 'idle')).toEqual([]);

		const after = await attendanceToday(pod.db, pod.podId, seedPlus(5));
		expect(after.counts).toMatchObject({ students: 72, present: 69, absent: 3, late: 0 });
		expect(after.ratio.studentsPresent).toBe(69);
		expect(after.marks.map((m) => m.studentId).toSorted()).toEqual([a, b, c].toSorted());
		expect(after.marks[0]).toMatchObject({ status: 'absent', markedBy: 'Rosa Delgado' });
		const events = await pod.db
			.selectFrom('pod_events')
			.select('kind')
			.where('pod_id', '=', pod.podId)
			.where('seq', '>', seq)
			.execute();
		expect(events.filter((e) => e.kind === 'attendance.changed')).toHaveLength(3);

		// A late arrival is present; marking them again as they are changes nothing.
		await mark(a, 'late', seedPlus(6));
		expect((await attendanceToday(pod.db, pod.podId, seedPlus(7))).counts).toMatchObject({
			present: 70,
			absent: 2,
			late: 1
		});
		expect((await mark(a, 'late', seedPlus(8))).changed).toEqual([]);
	});

	it('leaves absent students out of the suggested groups', async () => {
		const suggested = await podGroupSuggestions(pod.db, pod.podId, seedPlus(10));
		const someone = suggested.flatMap((g) => g.studentIds)[0];
		expect(someone, 'the demo suggests groups from its open flags').toBeDefined();
		await mark(someone, 'absent', seedPlus(10));
		const after = await podGroupSuggestions(pod.db, pod.podId, seedPlus(11));
		expect(after.flatMap((g) => g.studentIds)).not.toContain(someone);
		// The next day they are back in.
		const tomorrow = new Date(SEED_NOW.getTime() + 86_400_000);
		expect((await podGroupSuggestions(pod.db, pod.podId, tomorrow)).flatMap((g) => g.studentIds)).toContain(
			someone
		);
	});

	it('holds under 50 marks of one student at once: one row, one of the statuses asked', async () => {
		const statuses: AttendanceStatus[] = ['absent', 'late', 'present'];
		const studentId = pod.classmateId;
		const support = await callerAs(pod, 'support');
		const day = lastSchoolDay();
		const outcomes = await Promise.allSettled(
			Array.from({ length: 50 }, (_, i) =>
				support.attendance.mark({ podId: pod.podId, day, marks: [{ studentId, status: statuses[i % 3] }] })
			)
		);
		expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
		const rows = await pod.db
			.selectFrom('attendance')
			.select('status')
			.where('student_id', '=', studentId)
			.where('day', '=', day)
			.execute();
		expect(rows).toHaveLength(1);
		expect(statuses).toContain(rows[0].status);
		// Present again, as before: the coverage tests below count today's present students.
		await support.attendance.mark({ podId: pod.podId, day, marks: [{ studentId, status: 'present' }] });
	});

	it('refuses a student of another pod, naming nothing of theirs, and marks none of the others', async () => {
		const southStudent = await pod.db
			.insertInto('users')
			.values({
				id: crypto.randomUUID(),
				kind: 'student',
				given_name: 'Tomas',
				family_name: 'South',
				created_at: new Date().toISOString()
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await pod.db
			.insertInto('pod_students')
			.values({ pod_id: pod.otherPodId, user_id: southStudent.id, grade_level: 7, cohort: null })
			.execute();
		const teacher = await callerAs(pod, 'teacher');
		const before = await databaseDigest(pod.db);
		const refused = await refusalOf(
			teacher.attendance.mark({
				podId: pod.podId,
				day: lastSchoolDay(),
				marks: [
					{ studentId: pod.users.student, status: 'absent' },
					{ studentId: southStudent.id, status: 'absent' }
				]
			})
		);
		expect(refused).toMatchObject({
			code: 'NOT_FOUND',
			message: '1 of those students are not in this pod: nothing was marked.'
		});
		expect(await databaseDigest(pod.db)).toBe(before);
	});
});

describe('the attendance export', () => {
	it('gives the lead one row per mark, audited; a student on no row was present', async () => {
		const lead = await callerAs(pod, 'lead');
		const file = await lead.exports.attendanceCsv({ podId: pod.podId });
		const rows = parse(file.body.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
		expect(Object.keys(rows[0])).toEqual([...ATTENDANCE_CSV_HEADER]);
		expect(rows.length).toBe(file.count);
		expect(rows.some((r) => r.Status === 'absent' && r['Marked by'] === 'Rosa Delgado')).toBe(true);
		expect(file.filename).toMatch(/^pod-north-attendance-\d{4}-\d{2}-\d{2}\.csv$/);
		const audit = await pod.db
			.selectFrom('audit_log')
			.select(['action', 'entity'])
			.where('pod_id', '=', pod.podId)
			.orderBy('at', 'desc')
			.executeTakeFirstOrThrow();
		expect(audit).toEqual({ action: 'export', entity: 'pod_attendance' });
	});
});

describe('the adults in the room and the ratio', () => {
	it('counts the adults in, warns when the pod’s ratio is broken, and says how many more are needed', async () => {
		const at = seedPlus(30);
		const lead = pod.users.lead;
		const teacher2 = (
			await pod.db
				.selectFrom('users')
				.select('id')
				.where('email', '=', 'teacher2@demo.school')
				.executeTakeFirstOrThrow()
		).id;
		await adult(pod.users.support, true, at);
		await adult(pod.users.teacher, true, at);
		let day = await attendanceToday(pod.db, pod.podId, at);
		// The demo pod allows 25 students per adult; some were marked absent above.
		const present = day.counts.present;
		expect(day.ratio).toMatchObject({ adultsIn: 2, limit: 25, broken: present > 50 });
		expect(day.ratio.words).toContain(`${present} students present, 2 adults in`);
		if (present > 50) expect(day.ratio.words).toContain('Ratio broken: one more adult is needed.');

		await adult(teacher2, true, at, lead, true);
		day = await attendanceToday(pod.db, pod.podId, at);
		expect(day.ratio).toMatchObject({ adultsIn: 3, broken: false, adultsShort: 0 });
		expect(day.adults.find((a) => a.id === teacher2)).toMatchObject({ in: true });

		// Out again: the ratio breaks.
		await adult(pod.users.support, false, seedPlus(40));
		day = await attendanceToday(pod.db, pod.podId, seedPlus(41));
		expect(day.ratio.adultsIn).toBe(2);
		expect(day.adults.find((a) => a.id === pod.users.support)).toMatchObject({ in: false });
	});

	it('lets each adult mark only themselves; the lead marks anyone on the team', async () => {
		const support = await callerAs(pod, 'support');
		const before = await databaseDigest(pod.db);
		expect(
			await refusalOf(support.attendance.adult({ podId: pod.podId, userId: pod.users.teacher, inRoom: true }))
		).toMatchObject({
			code: 'FORBIDDEN',
			message: 'Mark yourself in or out; the lead facilitator marks the others.'
		});
		expect(await databaseDigest(pod.db)).toBe(before);
		const lead = await callerAs(pod, 'lead');
		const day = await lead.attendance.adult({ podId: pod.podId, userId: pod.users.teacher, inRoom: true });
		expect(day.adults.find((a) => a.id === pod.users.teacher)?.in).toBe(true);
	});

	it('holds under 50 “I’m in” taps at once: one row, in', async () => {
		const support = await callerAs(pod, 'support');
		await Promise.all(
			Array.from({ length: 50 }, () =>
				support.attendance.adult({ podId: pod.podId, userId: pod.users.support, inRoom: true })
			)
		);
		const rows = await pod.db
			.selectFrom('adults_in')
			.select(['out_at'])
			.where('user_id', '=', pod.users.support)
			.where('day', '=', (await support.attendance.today({ podId: pod.podId })).day)
			.execute();
		expect(rows).toEqual([{ out_at: null }]);
	});
});

describe('who has seen whom today', () => {
	it('lists present students with no adult contact; a hand answered takes one off the list', async () => {
		const { requestId, studentId } = await freshHandUp(pod);
		const before = await coverageToday(pod.db, pod.podId);
		const notSeen = before.notSeen.map((s) => s.studentId);
		expect(notSeen).toContain(studentId);
		// Never seen before now come first, then the longest since.
		const lasts = before.notSeen.map((s) => s.lastContact?.at ?? '');
		expect(lasts).toEqual(lasts.toSorted());

		await (await callerAs(pod, 'support')).help.claim({ podId: pod.podId, requestId, version: 1 });
		const after = await coverageToday(pod.db, pod.podId);
		expect(after.notSeen.map((s) => s.studentId)).not.toContain(studentId);
		expect(after.seen.find((s) => s.studentId === studentId)?.contacts).toMatchObject([
			{ kind: 'help', by: 'Rosa Delgado' }
		]);
	});

	it('counts a group that met as a contact for each of its members', async () => {
		await freshGroup(pod, { id: pod.users.teacher, status: 'in_session' });
		const coverage = await coverageToday(pod.db, pod.podId);
		for (const id of [pod.users.student, pod.classmateId]) {
			expect(coverage.notSeen.map((s) => s.studentId)).not.toContain(id);
			expect(coverage.seen.find((s) => s.studentId === id)?.contacts).toContainEqual(
				expect.objectContaining({ kind: 'group', by: 'Daniel Reyes' })
			);
		}
	});

	it('leaves students marked absent out', async () => {
		const at = seedPlus(60);
		const before = await coverageToday(pod.db, pod.podId, at);
		const [first, second] = before.notSeen;
		await mark(first.studentId, 'absent', at);
		const after = await coverageToday(pod.db, pod.podId, at);
		const listed = [...after.notSeen, ...after.seen].map((s) => s.studentId);
		expect(listed).not.toContain(first.studentId);
		expect(after.notSeen.map((s) => s.studentId)).toContain(second.studentId);
	});
});
