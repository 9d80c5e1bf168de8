import { readFileSync } from 'node:fs';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db/seed/demo';
import { signInStudent } from '../../src/lib/server/auth/sign-in';
import { podToday } from '../../src/lib/server/calendar/calendar';
import { sweepFlags } from '../../src/lib/server/flags/engine';
import { getPodEventBus } from '../../src/lib/server/live/app-bus';
import type { PodEvent } from '../../src/lib/server/live/bus';
import { localParts } from '../../src/lib/server/pods/clock';
import { addDays } from '../../src/lib/server/calendar/school-days';
import { callerAs, createTestPod, databaseDigest, SEED_NOW, type TestPod } from '../support/pod';
import { freshPod, schoolOf } from '../support/schools';

// The school calendar: an admin's days off (or a OneRoster export's terms), and what follows
// them: no idle, pace or hand-up flags that day, no duties, the board's "No school today", and a
// student's sign-in that ends two hours on rather than with a school day that is not happening.

let pod: TestPod;
let schoolId: string;
beforeAll(async () => {
	pod = await createTestPod();
	schoolId = await schoolOf(pod);
});
afterAll(() => pod.db.destroy());

const refusal = (call: Promise<unknown>) =>
	call.then(
		() => 'ok',
		(e: unknown) => (e instanceof TRPCError ? `${e.code}: ${e.message}` : String(e))
	);

// SEED_NOW is Wednesday 18 November 2026, 13:00 in New York: the demo's last school day.
const WEDNESDAY = '2026-11-18';
const minutesAfterSeed = (minutes: number) => new Date(SEED_NOW.getTime() + minutes * 60_000);

const admin = () => callerAs(pod, 'admin');

describe('an admin keeps the school’s days off', () => {
	it('adds a day and a break, lists them in date order, and takes one off again; each audited', async () => {
		const api = await admin();
		const winter = await api.calendar.add({
			schoolId,
			firstDay: '2026-12-21',
			lastDay: '2027-01-01',
			name: ' Winter break '
		});
		const teacherDay = await api.calendar.add({ schoolId, firstDay: '2026-12-04', name: 'Teacher work day' });
		expect(teacherDay).toMatchObject({
			firstDay: '2026-12-04',
			lastDay: '2026-12-04',
			name: 'Teacher work day',
			source: 'hand'
		});
		const listed = await api.calendar.list({ schoolId });
		expect(listed.school.name).toBe('Northside Demo School');
		const names = listed.daysOff.map((d) => d.name);
		expect(names.indexOf('Teacher work day')).toBeLessThan(names.indexOf('Winter break'));

		await api.calendar.remove({ schoolId, dayOffId: teacherDay.id });
		expect((await api.calendar.list({ schoolId })).daysOff.map((d) => d.id)).toEqual(
			expect.not.arrayContaining([teacherDay.id])
		);
		const audit = await pod.db
			.selectFrom('audit_log')
			.select(['action', 'entity', 'actor_id'])
			.where('entity', '=', 'day_off')
			.where('entity_id', 'in', [winter.id, teacherDay.id])
			.orderBy('at')
			.execute();
		expect(audit).toEqual([
			{ action: 'create', entity: 'day_off', actor_id: pod.users.admin },
			{ action: 'create', entity: 'day_off', actor_id: pod.users.admin },
			{ action: 'delete', entity: 'day_off', actor_id: pod.users.admin }
		]);
	});

	it.each([
		[
			'a last day before the first',
			{ firstDay: '2026-12-10', lastDay: '2026-12-09' },
			'BAD_REQUEST: The last day (2026-12-09) is before the first (2026-12-10)'
		],
		[
			'a break of more than 200 days',
			{ firstDay: '2026-06-01', lastDay: '2027-06-01' },
			'BAD_REQUEST: 2026-06-01 to 2027-06-01 is longer than 200 days'
		],
		['a date that is not one', { firstDay: '2026-02-30' }, 'BAD_REQUEST: '],
		['no name', { name: '  ' }, 'BAD_REQUEST: ']
	])('refuses %s, and changes nothing', async (_what, change, expected) => {
		const api = await admin();
		const before = await databaseDigest(pod.db);
		const answer = await refusal(
			api.calendar.add({ schoolId, firstDay: '2026-12-11', name: 'A day', ...change })
		);
		expect(answer.startsWith(expected), answer).toBe(true);
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('adds the same day once, however many times it is sent at once', async () => {
		const api = await admin();
		const answers = await Promise.all(
			Array.from({ length: 10 }, () =>
				refusal(api.calendar.add({ schoolId, firstDay: '2027-02-15', name: 'Presidents’ Day' }))
			)
		);
		expect(answers.filter((a) => a === 'ok')).toHaveLength(1);
		expect(answers.filter((a) => a.startsWith('CONFLICT: Northside Demo School'))).toHaveLength(9);
	});

	it('every pod of the school hears a change, and no other school’s', async () => {
		const nextDoor = await freshPod(pod);
		const heard: PodEvent[] = [];
		const stops = [pod.podId, nextDoor.id, pod.otherPodId].map((id) =>
			getPodEventBus().subscribe(id, (event) => heard.push(event))
		);
		const api = await admin();
		const day = await api.calendar.add({ schoolId, firstDay: '2027-03-15', name: 'Heard day' });
		await api.calendar.remove({ schoolId, dayOffId: day.id });
		stops.forEach((stop) => stop());
		const kinds = (podId: string) => heard.filter((e) => e.podId === podId).map((e) => e.kind);
		expect(kinds(pod.podId)).toEqual(['calendar.changed', 'calendar.changed']);
		expect(kinds(nextDoor.id)).toEqual(['calendar.changed', 'calendar.changed']);
		expect(kinds(pod.otherPodId)).toEqual([]);
	});

	it('is the admin’s: a lead is refused', async () => {
		const lead = await callerAs(pod, 'lead');
		expect(await refusal(lead.calendar.add({ schoolId, firstDay: '2027-03-01', name: 'Snow day' }))).toMatch(
			/^FORBIDDEN:/
		);
	});
});

describe('a holiday', () => {
	it('raises no idle, pace or hand-up flag in the sweep; the next school day does', async () => {
		const api = await admin();
		const holiday = await api.calendar.add({ schoolId, firstDay: WEDNESDAY, name: 'Snow day' });
		// A hand goes up on the holiday, and nobody comes.
		const student = pod.users.student;
		await pod.db
			.insertInto('help_requests')
			.values({
				id: crypto.randomUUID(),
				pod_id: pod.podId,
				student_id: student,
				assignment_id: null,
				asked_at: minutesAfterSeed(1).toISOString(),
				claimed_by: null,
				claimed_at: null,
				resolved_at: null,
				resolved_by: null,
				resolution_note: null,
				open_key: student
			})
			.onConflict((oc) => oc.doNothing())
			.execute();
		const raisedAt = (at: Date) =>
			pod.db
				.selectFrom('flags')
				.select('rule')
				.where('pod_id', '=', pod.podId)
				.where('created_at', '=', at.toISOString())
				.where('rule', 'in', ['idle', 'behind_pace', 'hand_up'])
				.execute();

		const onTheHoliday = minutesAfterSeed(40);
		await sweepFlags(pod.db, onTheHoliday);
		expect(await raisedAt(onTheHoliday)).toEqual([]);

		// The same moment as a school day: the room has gone quiet, and the hand is still up.
		await api.calendar.remove({ schoolId, dayOffId: holiday.id });
		const asASchoolDay = minutesAfterSeed(41);
		await sweepFlags(pod.db, asASchoolDay);
		const rules = new Set((await raisedAt(asASchoolDay)).map((f) => f.rule));
		expect(rules).toContain('idle');
		expect(rules).toContain('hand_up');
	});

	it('has no duties: the week is generated without it, and a duty set by hand there is refused', async () => {
		const api = await admin();
		const thursday = '2026-11-19';
		await api.calendar.add({ schoolId, firstDay: thursday, name: 'Thanksgiving practice' });
		const lead = await callerAs(pod, 'lead');
		await lead.duties.generate({ podId: pod.podId, weekOf: '2026-11-16' });
		const week = await lead.duties.week({ podId: pod.podId, weekOf: '2026-11-16' });
		const offBlocks = week.blocks.filter((b) => b.date === thursday);
		expect(offBlocks.length).toBeGreaterThan(0);
		expect(offBlocks.every((b) => b.dayOff === 'Thanksgiving practice')).toBe(true);
		expect(week.blocks.filter((b) => b.date !== thursday).every((b) => b.dayOff === null)).toBe(true);
		const offIds = new Set(offBlocks.map((b) => b.id));
		expect(week.duties.filter((d) => offIds.has(d.blockId))).toEqual([]);
		expect(week.duties.length).toBeGreaterThan(0);
		// The workload counts only days with school.
		const minutes = week.workload.reduce((sum, w) => sum + w.minutes, 0);
		const schoolMinutes = week.blocks
			.filter((b) => !offIds.has(b.id))
			.reduce(
				(sum, b) =>
					sum +
					(Number(b.endsAt.slice(0, 2)) * 60 +
						Number(b.endsAt.slice(3)) -
						Number(b.startsAt.slice(0, 2)) * 60 -
						Number(b.startsAt.slice(3))),
				0
			);
		// Everyone in the room has a duty in every block; the remote teacher of record none.
		expect(minutes).toBe(schoolMinutes * week.team.filter((member) => !member.remote).length);

		expect(
			await refusal(
				lead.duties.set({
					podId: pod.podId,
					weekOf: '2026-11-16',
					blockId: offBlocks[0].id,
					teacherId: pod.users.teacher,
					duty: 'floor'
				})
			)
		).toBe(
			`BAD_REQUEST: Thanksgiving practice is on the school calendar on ${thursday}: there is no school, so no duties, that day.`
		);
	});

	it('is "no school today" on the board, with the next school day', async () => {
		const api = await admin();
		const friday = '2026-11-20';
		await api.calendar.add({ schoolId, firstDay: '2026-11-20', lastDay: '2026-11-23', name: 'Long weekend' });
		const today = await podToday(pod.db, pod.podId, new Date('2026-11-20T15:00:00Z'));
		expect(today).toEqual({
			date: friday,
			school: false,
			hours: null,
			dayOff: { name: 'Long weekend', firstDay: friday, lastDay: '2026-11-23' },
			next: { date: '2026-11-24', words: 'Tuesday 24 November', start: '08:30', end: '15:00' }
		});

		// The board's own question, asked today (whenever the test runs): a day off around it.
		const date = localParts(new Date(), 'America/New_York').date;
		await api.calendar.add({
			schoolId,
			firstDay: addDays(date, -1),
			lastDay: addDays(date, 1),
			name: 'Board holiday'
		});
		const teacher = await callerAs(pod, 'teacher');
		expect(await teacher.calendar.today({ podId: pod.podId })).toMatchObject({
			date,
			school: false,
			dayOff: { name: 'Board holiday' }
		});
	});

	it('ends a student’s sign-in two hours on, not with a school day that is not happening', async () => {
		const api = await admin();
		const signIn = (now: Date) =>
			signInStudent(
				pod.db,
				{
					joinCode: DEMO.joinCode,
					studentId: pod.classmateId,
					pictures: [...DEMO.pictures],
					address: '10.9.9.9'
				},
				now
			);
		const tuesday = new Date('2026-11-10T14:00:00Z'); // 09:00 in New York
		expect((await signIn(tuesday)).expiresAt).toEqual(new Date('2026-11-10T20:30:00Z')); // 15:30
		await api.calendar.add({ schoolId, firstDay: '2026-11-10', name: 'Veterans Day (observed)' });
		expect((await signIn(tuesday)).expiresAt).toEqual(new Date('2026-11-10T16:00:00Z'));
	});

	it('is one school’s: a day off at Southside School is a school day at Pod North', async () => {
		const south = await schoolOf(pod, pod.otherPodId);
		const api = await admin();
		await api.calendar.add({ schoolId: south, firstDay: '2026-11-12', name: 'Southside fair' });
		expect((await podToday(pod.db, pod.podId, new Date('2026-11-12T15:00:00Z'))).school).toBe(true);
		expect((await podToday(pod.db, pod.otherPodId, new Date('2026-11-12T15:00:00Z'))).school).toBe(false);
	});
});

describe('the terms of a OneRoster export', () => {
	const sessions = readFileSync('tests/fixtures/oneroster/sis-export/academicSessions.csv', 'utf8');
	const upload = (content: string) => [{ name: 'academicSessions.csv', encoding: 'text' as const, content }];

	it('previews, imports, and imports again to no change; days added by hand stay', async () => {
		const api = await admin();
		const preview = await api.calendar.previewTerms({ schoolId, files: upload(sessions) });
		expect(preview.add.map(({ firstDay, lastDay, name }) => [firstDay, lastDay, name])).toEqual([
			['2027-01-16', '2027-01-18', 'Between Fall 2026 and Spring 2027']
		]);
		const handDays = (await api.calendar.list({ schoolId })).daysOff.filter(
			(d) => d.source === 'hand'
		).length;
		await api.calendar.importTerms({ schoolId, files: upload(sessions), fingerprint: preview.fingerprint });
		const after = await api.calendar.list({ schoolId });
		expect(after.daysOff.filter((d) => d.source === 'oneroster').map((d) => d.name)).toEqual([
			'Between Fall 2026 and Spring 2027'
		]);
		expect(after.daysOff.filter((d) => d.source === 'hand')).toHaveLength(handDays);

		const before = await databaseDigest(pod.db);
		const again = await api.calendar.importTerms({ schoolId, files: upload(sessions) });
		expect(again).toMatchObject({ add: [], change: [], remove: [], unchanged: 1 });
		expect(await databaseDigest(pod.db)).toBe(before);

		// Next year's export moves spring's start: the day off moves with it.
		const moved = await api.calendar.importTerms({
			schoolId,
			files: upload(sessions.replace('"2027-01-19"', '"2027-01-20"'))
		});
		expect(moved.change.map((c) => [c.firstDay, c.lastDay])).toEqual([['2027-01-16', '2027-01-19']]);
		const entries = await pod.db
			.selectFrom('audit_log')
			.select('detail')
			.where('entity', '=', 'calendar')
			.execute();
		expect(entries.map((e) => JSON.parse(e.detail))).toEqual([
			{ via: 'academicSessions.csv', add: 1, change: 0, remove: 0, unchanged: 0 },
			{ via: 'academicSessions.csv', add: 0, change: 1, remove: 0, unchanged: 0 }
		]);
	});

	it('refuses a preview that is out of date, a file with errors, and a file without terms; nothing changes', async () => {
		const api = await admin();
		const preview = await api.calendar.previewTerms({ schoolId, files: upload(sessions) });
		await api.calendar.add({ schoolId, firstDay: '2027-04-05', name: 'Spring break' });
		const before = await databaseDigest(pod.db);
		const stale = sessions.replace('"2027-01-19"', '"2027-01-21"');
		expect(
			await refusal(
				api.calendar.importTerms({ schoolId, files: upload(stale), fingerprint: preview.fingerprint })
			)
		).toBe(
			"CONFLICT: The school's calendar changed since this preview. Look at the new preview, then import again."
		);
		expect(
			await refusal(
				api.calendar.importTerms({ schoolId, files: upload(sessions.replace('"2027-06-04"', '"June 4"')) })
			)
		).toMatch(
			/^BAD_REQUEST: The calendar cannot be read: academicSessions.csv line \d: endDate 'June 4' is not a date like 2026-08-24/
		);
		const header = sessions.split('\n')[0];
		expect(await refusal(api.calendar.previewTerms({ schoolId, files: upload(`${header}\n`) }))).toBe(
			'BAD_REQUEST: academicSessions.csv has no school years, semesters or terms: there are no days off to read from it.'
		);
		expect(await databaseDigest(pod.db)).toBe(before);
	});
});
