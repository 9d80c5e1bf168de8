import { Migrator, sql, type Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../db/migrations';
import { DEMO } from '../../db/seed/demo';
import { USUAL_WEEK } from '../../src/lib/pods/school-week';
import { createSession, resolveSession } from '../../src/lib/server/auth/sessions';
import { signInWithCard } from '../../src/lib/server/cards/sign-in';
import { createDb, migrateToLatest, type Database } from '../../src/lib/server/db';
import { podTime } from '../../src/lib/server/pods/clock';
import { tokenOf, studentWithCard } from '../support/cards';
import { freshDatabaseUrl } from '../support/database';
import { callerAs, createTestPod, databaseDigest, sessionAs, type TestPod } from '../support/pod';
import { outcomeOf, refusalOf } from '../support/outcomes';
import { freshPod, freshSchool, schoolOf } from '../support/schools';

const podWest = {
	name: 'Pod West',
	gradeLow: 3,
	gradeHigh: 5,
	timeZone: 'America/Chicago',
	schoolWeek: [
		{ weekday: 1, start: '08:00', end: '15:00' },
		{ weekday: 2, start: '08:00', end: '15:00' },
		{ weekday: 3, start: '08:00', end: '15:00' },
		{ weekday: 4, start: '08:00', end: '15:00' },
		{ weekday: 5, start: '08:00', end: '12:30' }
	],
	studentsPerAdult: 22
};

const UNAMBIGUOUS_CODE = /^[ACEFGHJKMNPRTWXY34679]{6}$/;

let pod: TestPod;
beforeEach(async () => {
	pod = await createTestPod();
});
afterEach(() => pod.db.destroy());

const auditOf = (action: string, entity: string) =>
	pod.db
		.selectFrom('audit_log')
		.select(['actor_id', 'pod_id', 'entity_id', 'detail'])
		.where('action', '=', action)
		.where('entity', '=', entity)
		.execute();

describe('an admin sets up schools and pods', () => {
	it('creates a school, then a pod in it with a code of six unambiguous characters, on every list', async () => {
		const admin = await callerAs(pod, 'admin');
		const school = await admin.schools.create({ name: '  Lincoln Elementary ' });
		expect(school.name).toBe('Lincoln Elementary');
		const created = await admin.pods.create({ ...podWest, school: { id: school.id } });
		expect(created.joinCode).toMatch(UNAMBIGUOUS_CODE);

		const schools = await admin.schools.list();
		expect(schools.find((s) => s.id === school.id)?.pods).toEqual([
			{
				id: created.id,
				name: 'Pod West',
				grades: 'Grades 3–5',
				joinCode: created.joinCode,
				studentCount: 0,
				archived: false
			}
		]);
		expect((await admin.pods.mine()).map((p) => p.name)).toContain('Pod West');
		const settings = await admin.pods.settings({ podId: created.id });
		expect(settings).toMatchObject({
			school: { id: school.id, name: 'Lincoln Elementary' },
			timeZone: 'America/Chicago',
			schoolWeek: podWest.schoolWeek,
			week: 'Mon–Thu 08:00–15:00; Fri 08:00–12:30',
			studentsPerAdult: 22,
			archivedAt: null
		});
		expect(await auditOf('create', 'school')).toEqual([
			expect.objectContaining({ actor_id: pod.users.admin, entity_id: school.id })
		]);
		expect(await auditOf('create', 'pod')).toEqual([
			expect.objectContaining({ actor_id: pod.users.admin, entity_id: created.id })
		]);
	});

	it("keeps the new pod's clock: in session on its Friday morning, out on its Friday afternoon", async () => {
		const admin = await callerAs(pod, 'admin');
		const { id } = await admin.pods.create(podWest);
		const row = await pod.db
			.selectFrom('pods')
			.select(['timezone', 'school_week'])
			.where('id', '=', id)
			.executeTakeFirstOrThrow();
		// Friday 2026-11-20 in Chicago (UTC−6): 11:00 and 13:00.
		expect(podTime(row, new Date('2026-11-20T17:00:00Z')).inSession).toBe(true);
		expect(podTime(row, new Date('2026-11-20T19:00:00Z')).inSession).toBe(false);
	});

	it('puts a pod whose school is left unnamed into a new school named after it', async () => {
		const admin = await callerAs(pod, 'admin');
		const created = await admin.pods.create(podWest);
		expect(created.school).toMatchObject({ name: 'School of Pod West', created: true });
		const schools = await admin.schools.list();
		expect(schools.find((s) => s.name === 'School of Pod West')?.pods.map((p) => p.id)).toEqual([created.id]);
	});

	it('refuses a grade span upside down, a time zone no clock knows and hours that end first, changing nothing', async () => {
		const admin = await callerAs(pod, 'admin');
		const before = await databaseDigest(pod.db);
		const wrong = [
			{ ...podWest, gradeLow: 6, gradeHigh: 4, school: { name: 'Never Made' } },
			{ ...podWest, timeZone: 'Mars/Olympus_Mons', school: { name: 'Never Made' } },
			{
				...podWest,
				schoolWeek: [{ weekday: 1, start: '15:00', end: '08:00' }],
				school: { name: 'Never Made' }
			}
		];
		const refusals = await Promise.all(wrong.map((input) => refusalOf(admin.pods.create(input))));
		expect(refusals.map((r) => [r.code, r.message])).toEqual([
			[
				'BAD_REQUEST',
				'The lowest grade (6) is above the highest (4): swap them, or make them the same for a one-grade pod.'
			],
			['BAD_REQUEST', '“Mars/Olympus_Mons” is not a time zone. Choose one from the list.'],
			['BAD_REQUEST', 'Monday ends at 08:00, before it starts at 15:00: school must end after it starts.']
		]);
		const { id } = await freshPod(pod);
		const afterFresh = await databaseDigest(pod.db);
		const edit = await refusalOf(
			admin.pods.update({ ...podWest, podId: id, schoolId: await schoolOf(pod), timeZone: 'Nowhere/Town' })
		);
		expect(edit.code).toBe('BAD_REQUEST');
		expect(await databaseDigest(pod.db)).toBe(afterFresh);
		expect(before).not.toBe(afterFresh);
	});

	it('stores a time zone as its own spelling', async () => {
		const admin = await callerAs(pod, 'admin');
		const { id } = await admin.pods.create({ ...podWest, timeZone: 'america/chicago' });
		expect((await admin.pods.settings({ podId: id })).timeZone).toBe('America/Chicago');
	});

	it('refuses a school of a name that is taken, case aside: of many asked at once, exactly one is made', async () => {
		const admin = await callerAs(pod, 'admin');
		const outcomes = await Promise.all(
			['Lincoln Elementary', 'LINCOLN ELEMENTARY', ...Array(8).fill('lincoln elementary')].map((name) =>
				outcomeOf(admin.schools.create({ name }))
			)
		);
		expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
		expect(outcomes.filter((o) => o === 'CONFLICT')).toHaveLength(9);
		const made = await pod.db
			.selectFrom('schools')
			.select('name')
			.where(sql<string>`lower(name)`, '=', 'lincoln elementary')
			.execute();
		expect(made).toHaveLength(1);
	});

	it('gives pods made at once a code each, and refuses a second pod of one name in one school', async () => {
		const admin = await callerAs(pod, 'admin');
		const schoolId = await schoolOf(pod);
		const made = await Promise.all(
			Array.from({ length: 10 }, (_, i) =>
				admin.pods.create({ ...podWest, name: `Pod ${i}`, school: { id: schoolId } })
			)
		);
		expect(new Set(made.map((p) => p.joinCode)).size).toBe(10);
		made.forEach((p) => expect(p.joinCode).toMatch(UNAMBIGUOUS_CODE));

		const before = await databaseDigest(pod.db);
		const again = await refusalOf(
			admin.pods.create({ ...podWest, name: 'Pod North', school: { id: schoolId } })
		);
		expect([again.code, again.message]).toEqual([
			'CONFLICT',
			`${DEMO.schoolName} already has a pod named Pod North. Choose another name.`
		]);
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('edits a pod: saves what changed and logs the difference; the same settings again log nothing', async () => {
		const admin = await callerAs(pod, 'admin');
		const { id } = await freshPod(pod);
		const otherSchool = await freshSchool(pod, 'Roosevelt Middle');
		const answer = await admin.pods.update({ ...podWest, podId: id, schoolId: otherSchool });
		expect(answer).toEqual({ id, changed: true });
		expect(await admin.pods.settings({ podId: id })).toMatchObject({
			name: 'Pod West',
			school: { id: otherSchool, name: 'Roosevelt Middle' },
			gradeLow: 3,
			gradeHigh: 5,
			studentsPerAdult: 22
		});
		const [entry] = await auditOf('update', 'pod');
		expect(entry.pod_id).toBe(id);
		expect(JSON.parse(entry.detail)).toMatchObject({
			grade_low: [4, 3],
			students_per_adult: [20, 22],
			school_id: [await schoolOf(pod), otherSchool]
		});

		const same = await admin.pods.update({ ...podWest, podId: id, schoolId: otherSchool });
		expect(same).toEqual({ id, changed: false });
		expect(await auditOf('update', 'pod')).toHaveLength(1);
	});

	it('refuses to put a pod in a school that is not there, changing nothing', async () => {
		const admin = await callerAs(pod, 'admin');
		const { id } = await freshPod(pod);
		const before = await databaseDigest(pod.db);
		const refusal = await refusalOf(
			admin.pods.update({ ...podWest, podId: id, schoolId: '00000000-0000-4000-8000-000000000001' })
		);
		expect(refusal.code).toBe('NOT_FOUND');
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('renames a school, and refuses a name another school has', async () => {
		const admin = await callerAs(pod, 'admin');
		const schoolId = await schoolOf(pod);
		await admin.schools.rename({ schoolId, name: 'Northside Elementary' });
		expect((await admin.pods.overview({ podId: pod.podId })).school).toBe('Northside Elementary');
		const before = await databaseDigest(pod.db);
		const refusal = await refusalOf(admin.schools.rename({ schoolId, name: 'southside school' }));
		expect([refusal.code, refusal.message]).toEqual([
			'CONFLICT',
			'There is already a school named “Southside School”. Choose another name, or put the pod in that school.'
		]);
		expect(await databaseDigest(pod.db)).toBe(before);
	});
});

describe('archiving a pod', () => {
	it("takes it off the lists, ends its students' sessions, and its code and cards open nothing; restoring brings it back", async () => {
		const admin = await callerAs(pod, 'admin');
		const anonymous = await callerAs(pod, 'anonymous');
		const student = await sessionAs(pod, 'student');
		const { link } = await studentWithCard(pod);

		expect(await admin.pods.archive({ podId: pod.podId })).toEqual({ id: pod.podId, changed: true });

		for (const role of ['admin', 'lead', 'teacher'] as const) {
			expect((await (await callerAs(pod, role)).pods.mine()).map((p) => p.name)).not.toContain(DEMO.podName);
		}
		expect(
			(await admin.schools.list()).flatMap((s) => s.pods).find((p) => p.id === pod.podId)?.archived
		).toBe(true);
		expect(student?.podId).toBe(pod.podId);
		const left = await pod.db
			.selectFrom('sessions')
			.select('token_hash')
			.where('pod_id', '=', pod.podId)
			.execute();
		expect(left).toEqual([]);
		expect(await outcomeOf(anonymous.auth.joinRoster({ joinCode: DEMO.joinCode }))).toBe('NOT_FOUND');
		expect(await signInWithCard(pod.db, { token: tokenOf(link), address: '10.0.0.9' })).toEqual({
			ok: false,
			why: 'ended'
		});
		// Read-only, not gone: the team can still read it.
		const lead = await callerAs(pod, 'lead');
		expect((await lead.pods.overview({ podId: pod.podId })).archived).toBe(true);
		expect(await outcomeOf(lead.dashboard.heatmap({ podId: pod.podId }))).toBe('ok');

		expect(await admin.pods.restore({ podId: pod.podId })).toEqual({ id: pod.podId, changed: true });
		expect((await lead.pods.mine()).map((p) => p.name)).toContain(DEMO.podName);
		expect(await outcomeOf(anonymous.auth.joinRoster({ joinCode: DEMO.joinCode }))).toBe('ok');
		expect(
			await outcomeOf(
				lead.library.createSkill({
					podId: pod.podId,
					code: 'W.5.2',
					name: 'Writing',
					subject: 'writing',
					grade: 5
				})
			)
		).toBe('ok');
	});

	it('logs once when asked twice, and refuses to edit the pod or change its code until restored', async () => {
		const admin = await callerAs(pod, 'admin');
		await Promise.all([admin.pods.archive({ podId: pod.podId }), admin.pods.archive({ podId: pod.podId })]);
		expect(await auditOf('archive', 'pod')).toHaveLength(1);

		const before = await databaseDigest(pod.db);
		const edit = await refusalOf(
			admin.pods.update({ ...podWest, podId: pod.podId, schoolId: await schoolOf(pod) })
		);
		const archived = `${DEMO.podName} is archived, so it is read-only: nothing was changed. A school admin can restore it on the admin page.`;
		expect([edit.code, edit.message]).toEqual(['CONFLICT', archived]);
		const code = await refusalOf(admin.pods.newJoinCode({ podId: pod.podId }));
		expect([code.code, code.message]).toEqual(['FORBIDDEN', archived]);
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it("ends a student's session that outlived the archiving (a sign-in that landed just after it)", async () => {
		const { token } = await createSession(pod.db, {
			userId: pod.users.student,
			podId: pod.podId,
			idleMinutes: 60,
			expiresAt: new Date(Date.now() + 3_600_000)
		});
		expect(await resolveSession(pod.db, token)).not.toBeNull();
		// The pod archived without ending the session: as if the sign-in committed in between.
		await pod.db
			.updateTable('pods')
			.set({ archived_at: new Date().toISOString() })
			.where('id', '=', pod.podId)
			.execute();
		expect(await resolveSession(pod.db, token)).toBeNull();
		const left = await pod.db
			.selectFrom('sessions')
			.select('token_hash')
			.where('user_id', '=', pod.users.student)
			.execute();
		expect(left).toEqual([]);
	});
});

describe("a pod's code", () => {
	it('changes for the lead at once: the old code opens nothing, the new one opens the pod; a teacher may not', async () => {
		const lead = await callerAs(pod, 'lead');
		const anonymous = await callerAs(pod, 'anonymous');
		const { joinCode } = await lead.pods.newJoinCode({ podId: pod.podId });
		expect(joinCode).toMatch(UNAMBIGUOUS_CODE);
		expect(await outcomeOf(anonymous.auth.joinRoster({ joinCode: DEMO.joinCode }))).toBe('NOT_FOUND');
		expect((await anonymous.auth.joinRoster({ joinCode: joinCode.toLowerCase() })).pod.id).toBe(pod.podId);
		const [entry] = await auditOf('newJoinCode', 'pod');
		expect(JSON.parse(entry.detail)).toEqual({ joinCode: [DEMO.joinCode, joinCode] });

		const teacher = await callerAs(pod, 'teacher');
		const before = await databaseDigest(pod.db);
		expect(await outcomeOf(teacher.pods.newJoinCode({ podId: pod.podId }))).toBe('FORBIDDEN');
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('asked for many times at once ends as one of the codes given, each different', async () => {
		const admin = await callerAs(pod, 'admin');
		const codes = await Promise.all(
			Array.from({ length: 8 }, () => admin.pods.newJoinCode({ podId: pod.podId }))
		);
		expect(new Set(codes.map((c) => c.joinCode)).size).toBe(8);
		const { join_code } = await pod.db
			.selectFrom('pods')
			.select('join_code')
			.where('id', '=', pod.podId)
			.executeTakeFirstOrThrow();
		expect(codes.map((c) => c.joinCode)).toContain(join_code);
	});
});

describe('the schools-and-pods migration, on a database that already holds pods', () => {
	let db: Kysely<Database>;
	let remove: () => void;
	const BEFORE = '2026-12-06-0001-sign-in-throttle';

	beforeAll(async () => {
		const fresh = await freshDatabaseUrl();
		remove = fresh.remove;
		db = createDb(fresh.url);
	});
	afterAll(async () => {
		await db.destroy();
		remove();
	});

	it('gives the pods that were there one school named after them, keeps their hours on Monday to Friday, and they keep working', async () => {
		const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
		const { error } = await migrator.migrateTo(BEFORE);
		expect(error).toBeUndefined();
		// Rows as the schema stood before: one session_start/session_end per pod.
		// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the old schema has no type
		const old = db as unknown as Kysely<any>;
		const pods = [
			['11111111-1111-4111-8111-111111111111', 'Pod North', 'NORTH4', '08:30', '15:00', '2026-09-01'],
			['22222222-2222-4222-8222-222222222222', 'Pod East', 'EAST55', '09:00', '14:30', '2026-09-02']
		];
		for (const [id, name, code, start, end, createdOn] of pods) {
			await old
				.insertInto('pods')
				.values({
					id,
					name,
					grade_low: 4,
					grade_high: 6,
					join_code: code,
					timezone: 'America/New_York',
					session_start: start,
					session_end: end,
					flag_thresholds: '{}',
					created_at: `${createdOn}T12:00:00.000Z`
				})
				.execute();
		}

		await migrateToLatest(db);

		const schools = await db.selectFrom('schools').selectAll().execute();
		expect(schools).toHaveLength(1);
		expect(schools[0].name).toBe('School of Pod North and Pod East');
		const after = await db.selectFrom('pods').selectAll().orderBy('name', 'desc').execute();
		expect(after.map((p) => [p.name, p.school_id, p.archived_at, p.students_per_adult])).toEqual([
			['Pod North', schools[0].id, null, null],
			['Pod East', schools[0].id, null, null]
		]);
		expect(JSON.parse(after[0].school_week)).toEqual(USUAL_WEEK);
		expect(JSON.parse(after[1].school_week)).toEqual(
			[1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '14:30' }))
		);
		// Its clock reads the new shape: Pod East is out at 14:45 on a Wednesday, North is in.
		const wednesday = new Date('2026-11-18T19:45:00Z');
		expect(after.map((p) => podTime(p, wednesday).inSession)).toEqual([true, false]);
	});
});
