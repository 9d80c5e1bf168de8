import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoNow, newId } from '../../src/lib/server/ids';
import { callerAs, createTestPod, databaseDigest, type TestPod } from '../support/pod';
import { refusalOf } from '../support/outcomes';
import { fixtureUpload, fixtureZipBase64 } from '../support/oneroster';

let pod: TestPod;
beforeAll(async () => {
	pod = await createTestPod();
});
afterAll(() => pod.db.destroy());

const lead = () => callerAs(pod, 'lead');
const importedStudents = () =>
	pod.db
		.selectFrom('pod_students')
		.innerJoin('users', 'users.id', 'pod_students.user_id')
		.select([
			'users.source_id',
			'users.status',
			'users.given_name',
			'users.picture_password_hash',
			'pod_students.grade_level',
			'pod_students.cohort'
		])
		.where('pod_students.pod_id', '=', pod.podId)
		.where('users.source_id', 'is not', null)
		.orderBy('users.source_id')
		.execute();

// Each new student's picture password is hashed with scrypt (~50–80 ms each on two cores).
describe('a OneRoster import into Pod North', { timeout: 60_000 }, () => {
	it('previews the school: 56 students and 3 teachers to add, both classes into the pod, nothing written', async () => {
		const api = await lead();
		const before = await databaseDigest(pod.db);
		const preview = await api.rosterImport.preview({ podId: pod.podId, files: fixtureUpload('school') });
		expect(preview.errors).toEqual([]);
		expect(preview.counts).toEqual({
			students: { add: 56, update: 0, deactivate: 0 },
			staff: { add: 3, update: 0, deactivate: 0 }
		});
		expect(preview.classes.map((c) => [c.title, c.students, c.teachers, c.included])).toEqual([
			['Room 4A', 28, 2, true],
			['Room 5B', 28, 2, true]
		]);
		// The district administrator teaches no class: not part of the pod.
		expect(preview.outside).toBe(1);
		expect(preview.pod.name).toBe('Pod North');
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('refuses a plan that changed since its preview', async () => {
		const api = await lead();
		const before = await databaseDigest(pod.db);
		const error = await refusalOf(
			api.rosterImport.commit({
				podId: pod.podId,
				files: fixtureUpload('school'),
				fingerprint: '0'.repeat(64)
			})
		);
		expect(error.code).toBe('CONFLICT');
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('refuses the malformed variant with the exact line, and changes nothing', async () => {
		const api = await lead();
		const before = await databaseDigest(pod.db);
		const preview = await api.rosterImport.preview({ podId: pod.podId, files: fixtureUpload('malformed') });
		expect(preview.errors.map((e) => e.text)).toEqual([
			"users.csv line 14: role 'studnt' is not a OneRoster role"
		]);
		expect(preview.errors[0]).toMatchObject({ file: 'users.csv', line: 14, column: 'role' });
		const error = await refusalOf(
			api.rosterImport.commit({ podId: pod.podId, files: fixtureUpload('malformed') })
		);
		expect(error.code).toBe('BAD_REQUEST');
		expect(error.message).toContain("users.csv line 14: role 'studnt' is not a OneRoster role");
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('imports cleanly in one go: students with grades, cohorts and picture passwords, teachers on the team', async () => {
		const api = await lead();
		const preview = await api.rosterImport.preview({ podId: pod.podId, files: fixtureUpload('school') });
		const result = await api.rosterImport.commit({
			podId: pod.podId,
			files: fixtureUpload('school'),
			fingerprint: preview.fingerprint
		});
		expect(result.applied).toBe(true);
		const students = await importedStudents();
		expect(students).toHaveLength(56);
		expect(
			students.every((s) => s.status === 'active' && s.picture_password_hash?.startsWith('scrypt$'))
		).toBe(true);
		expect(students.find((s) => s.source_id === 's-001')).toMatchObject({
			given_name: 'Adele',
			grade_level: 4,
			cohort: 'Room 4A'
		});
		expect(students.find((s) => s.source_id === 's-056')).toMatchObject({
			grade_level: 5,
			cohort: 'Room 5B'
		});
		// Each student their own pictures: no two hashes of the same secret share a salt.
		expect(new Set(students.map((s) => s.picture_password_hash)).size).toBe(56);
		const team = await pod.db
			.selectFrom('pod_staff')
			.innerJoin('users', 'users.id', 'pod_staff.user_id')
			.select(['users.email', 'pod_staff.role', 'users.password_hash'])
			.where('pod_staff.pod_id', '=', pod.podId)
			.where('users.source_id', 'is not', null)
			.orderBy('users.email')
			.execute();
		expect(team).toEqual([
			{ email: 'bokafor@maplewood.school', role: 'teacher', password_hash: null },
			{ email: 'cmbeki@maplewood.school', role: 'teacher', password_hash: null },
			{ email: 'hwhitaker@maplewood.school', role: 'teacher', password_hash: null }
		]);
		const audit = await pod.db
			.selectFrom('audit_log')
			.select(['action', 'entity', 'detail'])
			.where('pod_id', '=', pod.podId)
			.where('detail', 'like', '%roster import page%')
			.execute();
		expect(audit.filter((a) => a.entity === 'user')).toHaveLength(59);
		expect(audit.find((a) => a.entity === 'roster')?.action).toBe('import');
		// The audit keeps which fields changed, never the names.
		expect(audit.some((a) => a.detail.includes('Adele'))).toBe(false);
		const event = await pod.db
			.selectFrom('pod_events')
			.select('kind')
			.where('pod_id', '=', pod.podId)
			.orderBy('seq', 'desc')
			.executeTakeFirstOrThrow();
		expect(event.kind).toBe('roster.changed');
	});

	it('re-imports the same files as a no-op, as text or as a zip', async () => {
		const api = await lead();
		const before = await databaseDigest(pod.db);
		const again = await api.rosterImport.commit({ podId: pod.podId, files: fixtureUpload('school') });
		expect(again.applied).toBe(false);
		expect(again.unchanged).toEqual({ students: 56, staff: 3 });
		const zipped = await api.rosterImport.commit({
			podId: pod.podId,
			files: [{ name: 'maplewood.zip', encoding: 'base64', content: fixtureZipBase64('school') }]
		});
		expect(zipped.applied).toBe(false);
		expect(zipped.changes).toEqual([]);
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('deactivates a student marked tobedeleted in a delta, keeping their place and history', async () => {
		const api = await lead();
		const preview = await api.rosterImport.preview({
			podId: pod.podId,
			files: fixtureUpload('delta-tobedeleted')
		});
		expect(preview.changes.map((c) => [c.action, c.name])).toEqual([['deactivate', 'Gideon Gallagher']]);
		await api.rosterImport.commit({
			podId: pod.podId,
			files: fixtureUpload('delta-tobedeleted'),
			fingerprint: preview.fingerprint
		});
		const gideon = (await importedStudents()).find((s) => s.source_id === 's-007');
		expect(gideon).toMatchObject({ status: 'inactive', grade_level: 4 });
		expect(await importedStudents()).toHaveLength(56);
		// The delta again: nothing more to do.
		const before = await databaseDigest(pod.db);
		expect(
			(await api.rosterImport.commit({ podId: pod.podId, files: fixtureUpload('delta-tobedeleted') })).applied
		).toBe(false);
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('a later bulk file that lists the student as active brings them back, and one without them deactivates', async () => {
		const api = await lead();
		const back = await api.rosterImport.preview({ podId: pod.podId, files: fixtureUpload('school') });
		expect(back.changes.map((c) => [c.action, c.name, c.changes])).toEqual([
			['update', 'Gideon Gallagher', ['active again']]
		]);
		const without = fixtureUpload('school').map((file) =>
			file.name === 'users.csv'
				? { ...file, content: file.content.replace(/^s-056,.*\n/m, '') }
				: file.name === 'enrollments.csv'
					? { ...file, content: file.content.replace(/^e-s-056,.*\n/m, '') }
					: file
		);
		const gone = await api.rosterImport.preview({ podId: pod.podId, files: without });
		expect(gone.changes.filter((c) => c.action === 'deactivate').map((c) => c.sourcedId)).toEqual(['s-056']);
	});

	it('leaves a skipped class out of the pod', async () => {
		const fresh = await createTestPod();
		try {
			const api = await callerAs(fresh, 'admin');
			const preview = await api.rosterImport.preview({
				podId: fresh.otherPodId,
				files: fixtureUpload('school'),
				skipClasses: ['class-5b']
			});
			expect(preview.counts.students.add).toBe(28);
			expect(preview.changes.filter((c) => c.kind === 'staff').map((c) => c.email)).toEqual([
				'hwhitaker@maplewood.school',
				'cmbeki@maplewood.school'
			]);
		} finally {
			await fresh.db.destroy();
		}
	});
});

describe('a plain list of students', { timeout: 30_000 }, () => {
	const list = (content: string) => [{ name: 'students.csv', encoding: 'text' as const, content }];

	it('adds students by name and grade, re-imports as a no-op, and updates a changed grade', async () => {
		const api = await lead();
		const first = await api.rosterImport.commit({
			podId: pod.podId,
			files: list('name,grade,cohort\nAstrid Fallowfield,4,Birch\n"Pennywhistle, Oona",5,\n')
		});
		expect(first.format).toBe('students-csv');
		expect(first.changes.map((c) => [c.action, c.name, c.grade])).toEqual([
			['add', 'Astrid Fallowfield', 4],
			['add', 'Oona Pennywhistle', 5]
		]);
		const before = await databaseDigest(pod.db);
		const again = await api.rosterImport.commit({
			podId: pod.podId,
			files: list('name,grade,cohort\nAstrid Fallowfield,4,Birch\n"Pennywhistle, Oona",5,\n')
		});
		expect(again.applied).toBe(false);
		expect(await databaseDigest(pod.db)).toBe(before);
		const moved = await api.rosterImport.preview({
			podId: pod.podId,
			files: list('name,grade,cohort\nAstrid Fallowfield,5,Birch\n')
		});
		expect(moved.changes.map((c) => [c.action, c.changes])).toEqual([['update', ['grade 4 → 5']]]);
	});

	it('says which line is wrong and changes nothing', async () => {
		const api = await lead();
		const before = await databaseDigest(pod.db);
		const error = await refusalOf(
			api.rosterImport.commit({ podId: pod.podId, files: list('name,grade\nAstrid Fallowfield,4\nBo,14\n') })
		);
		expect(error.message).toContain("students.csv line 3: name 'Bo' needs a given and a family name");
		expect(error.message).toContain("students.csv line 3: grade '14' is not a grade from K to 12");
		expect(await databaseDigest(pod.db)).toBe(before);
	});
});

/** A small OneRoster 1.1 bulk export: one class of Pod North, and the users.csv lines given. */
function exportWith(users: string[], enrollments: string[]) {
	const files: Record<string, string> = {
		'manifest.csv':
			'propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\nfile.academicSessions,absent\nfile.classes,bulk\nfile.courses,absent\nfile.enrollments,bulk\nfile.orgs,bulk\nfile.users,bulk\n',
		'orgs.csv':
			'sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\norg-school,,,Maplewood Elementary,school,,\n',
		'classes.csv':
			'sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods\nclass-n,,,Room N,05,course-n,N,homeroom,,org-school,term-2027,,,\n',
		'users.csv': `sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password\n${users.join('\n')}\n`,
		'enrollments.csv': `sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\n${enrollments.join('\n')}\n`
	};
	return Object.entries(files).map(([name, content]) => ({ name, encoding: 'text' as const, content }));
}

describe("an import reaches only its own pod's people", { timeout: 60_000 }, () => {
	let shared: TestPod;
	let south: { student: string; teacher: string; lead: string };
	// Pod South's student (by sourcedId), its lead (by email, deactivated) and a teacher (by
	// sourcedId, joining North's team); the school admin (by email, deactivated); one new student.
	const files = exportWith(
		[
			'south-s-1,,,true,org-school,student,sol,,Sol,Reyez,,,,,,,05,',
			'olu-1,,,false,org-school,teacher,olu,,Olu,Banks,,,teacher@south.school,,,,,',
			'south-t-2,,,true,org-school,teacher,tamsin,,Tamsin,Gray,,,tamsin@south.school,,,,,',
			'admin-1,,,false,org-school,teacher,admin,,Ada,Admin,,,admin@demo.school,,,,,',
			'north-s-9,,,true,org-school,student,nia,,Nia,Northcott,,,,,,,05,'
		],
		[
			'e-1,,,class-n,org-school,south-s-1,student,,,',
			'e-2,,,class-n,org-school,south-t-2,teacher,,,',
			'e-3,,,class-n,org-school,north-s-9,student,,,'
		]
	);
	const person = (id: string) =>
		shared.db
			.selectFrom('users')
			.select(['given_name', 'family_name', 'status', 'source_id', 'picture_password_hash'])
			.where('id', '=', id)
			.executeTakeFirstOrThrow();

	beforeAll(async () => {
		shared = await createTestPod();
		const add = async (kind: 'student' | 'staff', given: string, family: string, sourceId: string | null) => {
			const id = newId();
			await shared.db
				.insertInto('users')
				.values({
					id,
					kind,
					given_name: given,
					family_name: family,
					email: kind === 'staff' ? `${given.toLowerCase()}@south.school` : null,
					password_hash: null,
					picture_password_hash: kind === 'student' ? 'scrypt$south$pictures' : null,
					source_id: sourceId,
					created_at: isoNow()
				})
				.execute();
			return id;
		};
		const student = await add('student', 'Sol', 'Reyes', 'south-s-1');
		await shared.db
			.insertInto('pod_students')
			.values({ pod_id: shared.otherPodId, user_id: student, grade_level: 7, cohort: null })
			.execute();
		const teacher = await add('staff', 'Tamsin', 'Gray', 'south-t-2');
		await shared.db
			.insertInto('pod_staff')
			.values({ pod_id: shared.otherPodId, user_id: teacher, role: 'teacher' })
			.execute();
		south = { student, teacher, lead: shared.users.otherPodTeacher };
	});
	afterAll(() => shared.db.destroy());

	it("refuses a lead's import that matches another pod's student and teachers, naming each line, and changes nothing", async () => {
		const api = await callerAs(shared, 'lead');
		const before = await databaseDigest(shared.db);
		const preview = await api.rosterImport.preview({ podId: shared.podId, files });
		expect(preview.errors.map((e) => e.text)).toEqual([
			'users.csv line 2: Sol Reyez belongs to another pod; ask an admin to import this',
			'users.csv line 3: Olu Banks belongs to another pod; ask an admin to import this',
			'users.csv line 4: Tamsin Gray belongs to another pod; ask an admin to import this'
		]);
		expect(preview.errors.map((e) => e.column)).toEqual(['sourcedId', 'email', 'sourcedId']);
		const error = await refusalOf(
			api.rosterImport.commit({ podId: shared.podId, files, fingerprint: preview.fingerprint })
		);
		expect(error.code).toBe('BAD_REQUEST');
		expect(error.message).toContain('users.csv line 2: Sol Reyez belongs to another pod; ask an admin');
		expect(await databaseDigest(shared.db)).toBe(before);
	});

	it('shows an admin the same changes, saying they touch Pod South, and applies them with audit entries in both pods', async () => {
		const api = await callerAs(shared, 'admin');
		const preview = await api.rosterImport.preview({ podId: shared.podId, files });
		expect(preview.errors).toEqual([]);
		expect(preview.changes.map((c) => [c.action, c.name, c.changes])).toEqual([
			['update', 'Sol Reyes', ['name Sol Reyes → Sol Reyez', 'joins Pod North', 'also in Pod South']],
			['deactivate', 'Olu Banks', ['deactivated: cannot sign in; their history stays', 'also in Pod South']],
			['update', 'Tamsin Gray', ['joins the team of Pod North', 'also in Pod South']],
			['add', 'Nia Northcott', ['new student']]
		]);
		const result = await api.rosterImport.commit({
			podId: shared.podId,
			files,
			fingerprint: preview.fingerprint
		});
		expect(result.applied).toBe(true);
		expect(await person(south.student)).toMatchObject({
			family_name: 'Reyez',
			// Joining North by import gives no new pictures: the student's own still open the door.
			picture_password_hash: 'scrypt$south$pictures'
		});
		expect(await person(south.lead)).toMatchObject({ status: 'inactive' });
		const places = await shared.db
			.selectFrom('pod_students')
			.select('pod_id')
			.where('user_id', '=', south.student)
			.execute();
		expect(places.map((p) => p.pod_id).sort()).toEqual([shared.podId, shared.otherPodId].sort());
		const audit = await shared.db
			.selectFrom('audit_log')
			.select(['pod_id', 'entity_id', 'action'])
			.where('entity', '=', 'user')
			.where('entity_id', 'in', [south.student, south.lead, south.teacher])
			.execute();
		for (const [id, action] of [
			[south.student, 'update'],
			[south.lead, 'deactivate'],
			[south.teacher, 'update']
		]) {
			expect(
				audit
					.filter((a) => a.entity_id === id && a.action === action)
					.map((a) => a.pod_id)
					.sort()
			).toEqual([shared.podId, shared.otherPodId].sort());
		}
		const southEvent = await shared.db
			.selectFrom('pod_events')
			.select('kind')
			.where('pod_id', '=', shared.otherPodId)
			.orderBy('seq', 'desc')
			.executeTakeFirstOrThrow();
		expect(southEvent.kind).toBe('roster.changed');
	});

	it("never deactivates, renames or relinks an admin account, even in an admin's import, and says so", async () => {
		for (const role of ['lead', 'admin'] as const) {
			const api = await callerAs(shared, role);
			const preview = await api.rosterImport.preview({ podId: shared.podId, files });
			expect(preview.changes.some((c) => c.email === 'admin@demo.school')).toBe(false);
			expect(preview.kept).toEqual([
				expect.objectContaining({
					name: 'Ada Admin',
					email: 'admin@demo.school',
					why: 'a Podboard admin account: an import never deactivates, renames or relinks it',
					from: { file: 'users.csv', line: 5 }
				})
			]);
		}
		expect(await person(shared.users.admin)).toMatchObject({ status: 'active', source_id: null });
		expect((await person(shared.users.admin)).given_name).not.toBe('Ada');
	});
});

describe("a school information system's own OneRoster 1.1 export", { timeout: 60_000 }, () => {
	it('imports as the system wrote it: every field quoted, CRLF, a BOM, with courses.csv, academicSessions.csv and demographics.csv', async () => {
		const fresh = await createTestPod();
		try {
			const api = await callerAs(fresh, 'lead');
			const files = [
				{
					name: 'riverbend-oneroster.zip',
					encoding: 'base64' as const,
					content: fixtureZipBase64('sis-export')
				}
			];
			const preview = await api.rosterImport.preview({ podId: fresh.podId, files });
			expect(preview.errors).toEqual([]);
			expect(preview.counts).toEqual({
				students: { add: 8, update: 0, deactivate: 0 },
				staff: { add: 2, update: 0, deactivate: 0 }
			});
			expect(preview.classes.map((c) => [c.title, c.students, c.teachers])).toEqual([
				['Homeroom 4 - Alvarez', 4, 1],
				['Homeroom 5 - Nakamura', 4, 1]
			]);
			// The district administrator and a guardian are in users.csv but not in a pod's room.
			expect(preview.outside).toBe(2);
			const result = await api.rosterImport.commit({
				podId: fresh.podId,
				files,
				fingerprint: preview.fingerprint
			});
			expect(result.applied).toBe(true);
			const chloe = await fresh.db
				.selectFrom('users')
				.innerJoin('pod_students', 'pod_students.user_id', 'users.id')
				.select(['users.given_name', 'pod_students.grade_level', 'pod_students.cohort'])
				.where('users.source_id', '=', 'stu-400121')
				.executeTakeFirstOrThrow();
			expect(chloe).toEqual({ given_name: 'Chloé', grade_level: 4, cohort: 'Homeroom 4 - Alvarez' });
		} finally {
			await fresh.db.destroy();
		}
	});
});
