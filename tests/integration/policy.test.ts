import { createHash, randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db/seed/demo';
import { USUAL_WEEK } from '../../src/lib/pods/school-week';
import { hashSecret } from '../../src/lib/server/auth/passwords';
import { DEFAULT_THRESHOLDS } from '../../src/lib/server/flags/thresholds';
import type { Policy } from '../../src/lib/server/trpc/init';
import { appTables } from '../support/database';
import { hostileString } from '../support/hostile-values';
import { freshFlag, freshGroup, freshHandUp } from '../support/interventions';
import { checkedAssignment, FIVE_QUESTIONS, RIGHT_ANSWERS } from '../support/checks';
import { freshAssignment } from '../support/playlists';
import { lastSchoolDay } from '../support/attendance';
import { outcomeOf } from '../support/outcomes';
import { freshInvitation, freshStaff } from '../support/staff';
import {
	callerAs,
	createTestPod,
	databaseDigest,
	listProcedures,
	ROLES,
	type Role,
	type TestPod
} from '../support/pod';

type Outcome = 'ok' | 'UNAUTHORIZED' | 'FORBIDDEN';

// What each declared policy means for each kind of caller, written out by hand.
const OUTCOMES: Record<Policy, Record<Role, Outcome>> = {
	public: {
		anonymous: 'ok',
		student: 'ok',
		otherPodTeacher: 'ok',
		support: 'ok',
		teacher: 'ok',
		lead: 'ok',
		admin: 'ok'
	},
	signedIn: {
		anonymous: 'UNAUTHORIZED',
		student: 'ok',
		otherPodTeacher: 'ok',
		support: 'ok',
		teacher: 'ok',
		lead: 'ok',
		admin: 'ok'
	},
	student: {
		anonymous: 'UNAUTHORIZED',
		student: 'ok',
		otherPodTeacher: 'FORBIDDEN',
		support: 'FORBIDDEN',
		teacher: 'FORBIDDEN',
		lead: 'FORBIDDEN',
		admin: 'FORBIDDEN'
	},
	staff: {
		anonymous: 'UNAUTHORIZED',
		student: 'FORBIDDEN',
		otherPodTeacher: 'ok',
		support: 'ok',
		teacher: 'ok',
		lead: 'ok',
		admin: 'ok'
	},
	podStaff: {
		anonymous: 'UNAUTHORIZED',
		student: 'FORBIDDEN',
		otherPodTeacher: 'FORBIDDEN',
		support: 'ok',
		teacher: 'ok',
		lead: 'ok',
		admin: 'ok'
	},
	// Plans, the library, scores and coaching: the teachers', never support staff's.
	podTeacher: {
		anonymous: 'UNAUTHORIZED',
		student: 'FORBIDDEN',
		otherPodTeacher: 'FORBIDDEN',
		support: 'FORBIDDEN',
		teacher: 'ok',
		lead: 'ok',
		admin: 'ok'
	},
	podLead: {
		anonymous: 'UNAUTHORIZED',
		student: 'FORBIDDEN',
		otherPodTeacher: 'FORBIDDEN',
		support: 'FORBIDDEN',
		teacher: 'FORBIDDEN',
		lead: 'ok',
		admin: 'ok'
	},
	admin: {
		anonymous: 'UNAUTHORIZED',
		student: 'FORBIDDEN',
		otherPodTeacher: 'FORBIDDEN',
		support: 'FORBIDDEN',
		teacher: 'FORBIDDEN',
		lead: 'FORBIDDEN',
		admin: 'ok'
	}
};

let created = 0;
/** Who claimed the group or hand a call lets go of: support staff their own, a teacher for the others. */
const claimerFor = (pod: TestPod, role: Role) => (role === 'support' ? pod.users.support : pod.users.teacher);
const firstAssignmentOf = async (pod: TestPod, studentId: string) =>
	(
		await pod.db
			.selectFrom('assignments')
			.select('id')
			.where('student_id', '=', studentId)
			.orderBy('position')
			.executeTakeFirstOrThrow()
	).id;

/** A pod's settings that would be fine, with a name no other pod has. */
const policyPodFields = () => ({
	name: `Policy Pod ${++created}`,
	gradeLow: 4,
	gradeHigh: 6,
	timeZone: 'America/New_York',
	schoolWeek: USUAL_WEEK,
	studentsPerAdult: 25
});

const activityTitled = async (pod: TestPod, title: string) =>
	(
		await pod.db
			.selectFrom('activities')
			.select('id')
			.where('pod_id', '=', pod.podId)
			.where('title', '=', title)
			.executeTakeFirstOrThrow()
	).id;
const bulkInputFor = async (pod: TestPod) => ({
	podId: pod.podId,
	activityIds: [await activityTitled(pod, 'Quiz: food webs')],
	priority: 'should',
	target: { by: 'students', studentIds: [pod.users.student] }
});

/** A library activity or skill made for one call to change, so six callers never collide. */
const freshLibraryActivity = async (pod: TestPod) => {
	const id = randomUUID();
	await pod.db
		.insertInto('activities')
		.values({
			id,
			pod_id: pod.podId,
			title: `To edit ${id}`,
			subject: 'science',
			kind: 'lesson',
			grade_low: 4,
			grade_high: 5,
			estimated_minutes: 15,
			resource_url: null,
			max_score: null,
			archived_at: null,
			created_at: new Date().toISOString()
		})
		.execute();
	return id;
};
const freshSkill = async (pod: TestPod) => {
	const id = randomUUID();
	await pod.db
		.insertInto('skills')
		.values({ id, pod_id: pod.podId, code: `T.${id}`, name: 'To change', subject: 'math', grade: 5 })
		.execute();
	return id;
};
const libraryActivityInput = (pod: TestPod) => ({
	podId: pod.podId,
	title: `Policy test activity ${++created}`,
	subject: 'math',
	kind: 'assessment',
	skillIds: [],
	gradeLow: 4,
	gradeHigh: 6,
	estimatedMinutes: 20,
	resourceUrl: 'https://example.org/policy',
	maxScore: 10
});

/** Two semesters with a week between them: one day off for the calendar to import. */
const POLICY_TERMS = [
	'sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear',
	'y,active,,2030–31,schoolYear,2030-08-26,2031-06-06,,2031',
	'f,active,,Fall,semester,2030-08-26,2031-01-10,y,2031',
	's,active,,Spring,semester,2031-01-20,2031-06-06,y,2031'
].join('\n');

/** A valid input for every procedure; a new procedure must add one here. */
const VALID_INPUT: Record<string, (pod: TestPod, role: Role) => unknown> = {
	'dashboard.heatmap': (pod) => ({ podId: pod.podId }),
	'dashboard.student': (pod) => ({ podId: pod.podId, studentId: pod.users.student }),
	'dashboard.live': (pod) => ({ podId: pod.podId }),
	'playlists.live': () => undefined,
	'progress.record': async (pod) => ({
		events: [
			{
				eventId: randomUUID(),
				assignmentId: await firstAssignmentOf(pod, pod.users.student),
				kind: 'progress',
				occurredAt: new Date().toISOString()
			}
		]
	}),
	'progress.setScore': async (pod) => ({
		podId: pod.podId,
		assignmentId: await firstAssignmentOf(pod, pod.users.student),
		score: 1
	}),
	'auth.me': () => undefined,
	'auth.staffLogin': () => ({ email: 'lead@demo.school', password: DEMO.staffPassword }),
	'auth.joinRoster': () => ({ joinCode: DEMO.joinCode }),
	'auth.studentJoin': (pod) => ({
		joinCode: DEMO.joinCode,
		studentId: pod.users.student,
		pictures: [...DEMO.pictures]
	}),
	'auth.logout': () => undefined,
	'pods.mine': () => undefined,
	'pods.overview': (pod) => ({ podId: pod.podId }),
	'pods.roster': (pod) => ({ podId: pod.podId }),
	'playlists.mine': () => undefined,
	'playlists.forStudent': (pod) => ({ podId: pod.podId, studentId: pod.users.student }),
	'playlists.candidates': (pod) => ({ podId: pod.podId }),
	// Repeatable: the second caller is told the student already has it.
	'playlists.add': async (pod) => ({
		podId: pod.podId,
		studentId: pod.users.student,
		activityIds: [await activityTitled(pod, 'Quiz: food webs')]
	}),
	// A playlist item made for one call to remove, so six callers never collide.
	'playlists.remove': async (pod) => ({
		podId: pod.podId,
		assignmentId: (await freshAssignment(pod, pod.users.student)).id
	}),
	'playlists.reorder': async (pod) => ({
		podId: pod.podId,
		studentId: pod.users.student,
		assignmentIds: (
			await pod.db
				.selectFrom('assignments')
				.select('id')
				.where('student_id', '=', pod.users.student)
				.orderBy('position', 'desc')
				.execute()
		).map((row) => row.id)
	}),
	'playlists.update': async (pod) => ({
		podId: pod.podId,
		assignmentId: await firstAssignmentOf(pod, pod.users.student),
		priority: 'must',
		dueOn: '2026-12-04'
	}),
	'playlists.bulkPreview': bulkInputFor,
	'playlists.bulkAssign': bulkInputFor,
	'library.skills': (pod) => ({ podId: pod.podId }),
	'library.createSkill': (pod) => ({
		podId: pod.podId,
		code: `P.${++created}`,
		name: 'Policy test skill',
		subject: 'math',
		grade: 5
	}),
	'library.updateSkill': async (pod) => ({
		podId: pod.podId,
		skillId: await freshSkill(pod),
		code: `P.${++created}`,
		name: 'Renamed',
		subject: 'reading',
		grade: 6
	}),
	'library.deleteSkill': async (pod) => ({ podId: pod.podId, skillId: await freshSkill(pod) }),
	'library.activities': (pod) => ({ podId: pod.podId, search: 'fraction', grade: 4, archived: 'all' }),
	'library.activity': async (pod) => ({
		podId: pod.podId,
		activityId: await activityTitled(pod, 'Quiz: food webs')
	}),
	'checks.get': async (pod) => ({
		podId: pod.podId,
		activityId: await activityTitled(pod, 'Quiz: food webs')
	}),
	'checks.set': async (pod) => ({
		podId: pod.podId,
		activityId: await freshLibraryActivity(pod),
		check: JSON.stringify(FIVE_QUESTIONS)
	}),
	'checks.analysis': async (pod) => ({
		podId: pod.podId,
		activityId: (await checkedAssignment(pod, pod.users.student)).activityId
	}),
	'mastery.report': (pod) => ({ podId: pod.podId, grade: 5 }),
	'mastery.trends': (pod) => ({ podId: pod.podId, studentId: pod.users.student }),
	'mastery.reportCsv': (pod) => ({ podId: pod.podId, cohort: 'Falcons' }),
	'checks.take': async (pod) => ({ assignmentId: (await checkedAssignment(pod, pod.users.student)).id }),
	'checks.submit': async (pod) => ({
		submissionId: randomUUID(),
		assignmentId: (await checkedAssignment(pod, pod.users.student)).id,
		answers: RIGHT_ANSWERS,
		occurredAt: new Date().toISOString()
	}),
	'library.createActivity': libraryActivityInput,
	'library.updateActivity': async (pod) => ({
		...libraryActivityInput(pod),
		activityId: await freshLibraryActivity(pod)
	}),
	'library.archiveActivity': async (pod) => ({
		podId: pod.podId,
		activityId: await freshLibraryActivity(pod)
	}),
	'library.restoreActivity': async (pod) => ({
		podId: pod.podId,
		activityId: await freshLibraryActivity(pod)
	}),
	'flags.list': (pod) => ({ podId: pod.podId }),
	// A different student each call: one teacher's flag open per student.
	'flags.raise': async (pod) => ({
		podId: pod.podId,
		studentIds: [(await rosterIds(pod))[++created % 60]],
		reason: 'Quiet today; check in'
	}),
	'flags.resolve': async (pod) => ({
		podId: pod.podId,
		flagId: await freshFlag(pod),
		note: 'Talked it through'
	}),
	'flags.thresholds': (pod) => ({ podId: pod.podId }),
	'flags.setThresholds': (pod) => ({ podId: pod.podId, thresholds: DEFAULT_THRESHOLDS }),
	'groups.list': (pod) => ({ podId: pod.podId }),
	'groups.suggestions': (pod) => ({ podId: pod.podId }),
	'groups.create': (pod) => ({ podId: pod.podId, studentIds: [pod.users.student, pod.classmateId] }),
	'groups.claim': async (pod) => ({ podId: pod.podId, ...(await freshGroup(pod)) }),
	'groups.release': async (pod, role) => ({
		podId: pod.podId,
		...(await freshGroup(pod, { id: claimerFor(pod, role), status: 'claimed' }))
	}),
	'groups.handOff': async (pod, role) => ({
		podId: pod.podId,
		...(await freshGroup(pod, { id: claimerFor(pod, role), status: 'claimed' })),
		toTeacherId: pod.users.lead
	}),
	'groups.start': async (pod, role) => ({
		podId: pod.podId,
		...(await freshGroup(pod, { id: claimerFor(pod, role), status: 'claimed' }))
	}),
	'groups.finish': async (pod, role) => ({
		podId: pod.podId,
		...(await freshGroup(pod, { id: claimerFor(pod, role), status: 'in_session' })),
		outcome: 'Three of four can now find equivalent fractions'
	}),
	'help.request': async (pod) => ({ assignmentId: await firstAssignmentOf(pod, pod.users.student) }),
	'help.lower': () => undefined,
	'help.mine': () => undefined,
	'help.queue': (pod) => ({ podId: pod.podId }),
	'team.now': () => undefined,
	'team.observe': (pod) => ({
		podId: pod.podId,
		studentId: pod.classmateId,
		mark: 'partly',
		note: '',
		skillIds: []
	}),
	'team.observations': (pod) => ({ podId: pod.podId, studentId: pod.classmateId }),
	'team.dayNote': (pod) => ({ podId: pod.podId }),
	'team.writeDayNote': (pod) => ({
		podId: pod.podId,
		watchFor: 'Fractions: common denominators',
		checkOn: '',
		assessment: ''
	}),
	'team.acknowledgeDayNote': async (pod) => {
		const note = { id: randomUUID(), writtenAt: new Date().toISOString() };
		await pod.db
			.insertInto('day_notes')
			.values({
				id: note.id,
				pod_id: pod.podId,
				// A day of its own, so each caller's note is new.
				day: `2031-01-${String((++created % 28) + 1).padStart(2, '0')}`,
				watch_for: 'Fractions',
				check_on: '',
				assessment: '',
				written_by: pod.users.lead,
				written_at: note.writtenAt
			})
			.execute();
		return { podId: pod.podId, noteId: note.id, writtenAt: note.writtenAt };
	},
	'staff.setPlace': (pod) => ({
		podId: pod.podId,
		userId: pod.users.teacher,
		teacherOfRecord: false,
		remote: false
	}),
	'attendance.today': (pod) => ({ podId: pod.podId }),
	'attendance.coverage': (pod) => ({ podId: pod.podId }),
	'attendance.mark': (pod) => ({
		podId: pod.podId,
		day: lastSchoolDay(),
		marks: [{ studentId: pod.classmateId, status: 'late' }]
	}),
	// Each marks themselves; the lead and an admin mark a teacher.
	'attendance.adult': (pod, role) => ({
		podId: pod.podId,
		userId: role === 'support' || role === 'teacher' ? pod.users[role] : pod.users.teacher,
		inRoom: true
	}),
	'help.claim': async (pod) => {
		const { requestId, version } = await freshHandUp(pod);
		return { podId: pod.podId, requestId, version };
	},
	'help.release': async (pod, role) => {
		const { requestId, version } = await freshHandUp(pod, claimerFor(pod, role));
		return { podId: pod.podId, requestId, version };
	},
	'help.resolve': async (pod) => ({
		podId: pod.podId,
		requestId: (await freshHandUp(pod)).requestId,
		note: 'Showed a number line'
	}),
	'duties.week': (pod) => ({ podId: pod.podId }),
	'duties.generate': (pod) => ({ podId: pod.podId, weekOf: '2026-11-16' }),
	'duties.set': async (pod) => ({
		podId: pod.podId,
		weekOf: '2026-11-16',
		blockId: await firstBlock(pod),
		teacherId: pod.users.teacher,
		duty: 'conferences'
	}),
	// The seed generated the week of SEED_NOW, so both have a duty in every block to trade.
	'duties.swap': async (pod) => ({
		podId: pod.podId,
		weekOf: '2026-11-16',
		blockId: await firstBlock(pod),
		teacherIds: [pod.users.teacher, pod.users.lead]
	}),
	'duties.setAway': async (pod) => ({
		podId: pod.podId,
		weekOf: '2026-11-23',
		blockId: await firstBlock(pod),
		teacherId: pod.users.teacher,
		away: true
	}),
	'duties.saveDay': (pod) => ({
		podId: pod.podId,
		weekday: 5,
		blocks: [{ startsAt: '08:30', endsAt: '11:30', label: 'Friday morning', studentsIn: true }]
	}),
	'huddle.agenda': (pod) => ({ podId: pod.podId }),
	'coaching.list': (pod) => ({ podId: pod.podId }),
	'coaching.record': (pod) => ({
		podId: pod.podId,
		teacherId: pod.users.teacher,
		focus: 'Wait time after questions',
		evidence: 'About a second before calling on someone',
		nextStep: 'Count to five in your head',
		followUpOn: '2026-12-04'
	}),
	'coaching.update': async (pod) => {
		const noteId = randomUUID();
		const at = new Date().toISOString();
		await pod.db
			.insertInto('coaching_notes')
			.values({
				id: noteId,
				pod_id: pod.podId,
				lead_id: pod.users.lead,
				teacher_id: pod.users.teacher,
				focus: 'Pacing',
				evidence: 'Ran over',
				next_step: 'A timer',
				follow_up_on: null,
				reflection: null,
				created_at: at,
				updated_at: at
			})
			.execute();
		return { podId: pod.podId, noteId, focus: 'Pacing the launch' };
	},
	// Only the teacher a cycle is about writes its reflection, and a cycle may be about anyone now
	// on the staff (a lead coached back when a team teacher): so a fresh cycle about whoever
	// callerAs has just signed in, the newest session.
	// Only the teacher a note is about may reflect on it: a fresh note about whoever calls.
	'coaching.reflect': async (pod, role) => {
		const noteId = randomUUID();
		const at = new Date().toISOString();
		await pod.db
			.insertInto('coaching_notes')
			.values({
				id: noteId,
				pod_id: pod.podId,
				lead_id: pod.users.admin,
				teacher_id: role === 'anonymous' ? pod.users.teacher : pod.users[role],
				focus: 'Questioning',
				evidence: 'Mostly yes/no',
				next_step: 'Plan open questions',
				follow_up_on: null,
				reflection: null,
				created_at: at,
				updated_at: at
			})
			.execute();
		return { podId: pod.podId, noteId, reflection: 'I will write the questions down first' };
	},
	// A new card changes its student's pictures, which other calls sign in with: a fresh student each time.
	'cards.list': (pod) => ({ podId: pod.podId }),
	'cards.issue': async (pod) => ({
		podId: pod.podId,
		studentIds: [await (await import('../support/cards')).freshStudent(pod)]
	}),
	'cards.void': async (pod) => ({
		podId: pod.podId,
		studentId: (await (await import('../support/cards')).studentWithCard(pod)).studentId
	}),
	'exports.progressCsv': (pod) => ({ podId: pod.podId }),
	'exports.attendanceCsv': (pod) => ({ podId: pod.podId }),
	'exports.progressXapi': (pod) => ({ podId: pod.podId }),
	'studentData.profile': (pod) => ({ podId: pod.podId, studentId: pod.users.student }),
	'studentData.everything': (pod) => ({ podId: pod.podId, studentId: pod.users.student }),
	// A correction and an erasure each get a student of their own, so six callers never collide.
	'studentData.correct': async (pod) => {
		const { id } = await (await import('../support/students')).freshStudent(pod);
		return { podId: pod.podId, studentId: id, givenName: 'Corrected', grade: 6, cohort: '' };
	},
	'studentData.erase': async (pod) => {
		const { id, name } = await (await import('../support/students')).freshStudent(pod);
		return { podId: pod.podId, studentId: id, confirmName: name };
	},
	// The school calendar of Pod North's school: a day of its own each call.
	'calendar.today': (pod) => ({ podId: pod.podId }),
	'calendar.list': async (pod) => ({ schoolId: await (await import('../support/schools')).schoolOf(pod) }),
	'calendar.add': async (pod) => ({
		schoolId: await (await import('../support/schools')).schoolOf(pod),
		firstDay: new Date(Date.UTC(2031, 0, ++created)).toISOString().slice(0, 10),
		name: 'Policy day off'
	}),
	'calendar.remove': async (pod) => {
		const schoolId = await (await import('../support/schools')).schoolOf(pod);
		const dayOffId = randomUUID();
		await pod.db
			.insertInto('school_days_off')
			.values({
				id: dayOffId,
				school_id: schoolId,
				first_day: '2032-01-05',
				last_day: '2032-01-05',
				name: 'To remove',
				source: 'hand',
				source_key: null,
				created_at: new Date().toISOString()
			})
			.execute();
		return { schoolId, dayOffId };
	},
	'calendar.previewTerms': async (pod) => ({
		schoolId: await (await import('../support/schools')).schoolOf(pod),
		files: [{ name: 'academicSessions.csv', encoding: 'text', content: POLICY_TERMS }]
	}),
	// The first allowed caller imports the break; the next finds nothing to change.
	'calendar.importTerms': async (pod) => ({
		schoolId: await (await import('../support/schools')).schoolOf(pod),
		files: [{ name: 'academicSessions.csv', encoding: 'text', content: POLICY_TERMS }]
	}),
	// Students by hand: a name of its own each call; a move takes a fresh student to a fresh pod of
	// the school that the lead leads too (so the lead and an admin may).
	'students.add': (pod) => ({ podId: pod.podId, name: `Pat Byhand${++created}`, grade: 5 }),
	'students.choices': (pod) => ({ podId: pod.podId }),
	'students.move': async (pod) => {
		const { freshPod } = await import('../support/schools');
		const { freshStudent } = await import('../support/students');
		const to = await freshPod(pod);
		await pod.db
			.insertInto('pod_staff')
			.values({ pod_id: to.id, user_id: pod.users.lead, role: 'lead' })
			.execute();
		return { podId: pod.podId, studentId: (await freshStudent(pod)).id, toPodId: to.id };
	},
	// A one-line plain list: the first allowed caller adds the student, the next finds nothing to do.
	'rosterImport.preview': (pod) => ({
		podId: pod.podId,
		files: [{ name: 'students.csv', encoding: 'text', content: 'name,grade\nPolicy Pupil,5\n' }]
	}),
	'rosterImport.commit': (pod) => ({
		podId: pod.podId,
		files: [{ name: 'students.csv', encoding: 'text', content: 'name,grade\nPolicy Pupil,5\n' }]
	}),
	'audit.list': (pod) => ({ podId: pod.podId, action: 'raise', limit: 10 }),
	// Schools and pods: each call gets a name, a school or a pod of its own.
	'schools.list': () => undefined,
	'schools.create': () => ({ name: `Policy School ${++created}` }),
	'schools.rename': async (pod) => ({
		schoolId: await (await import('../support/schools')).freshSchool(pod),
		name: `Renamed School ${++created}`
	}),
	'pods.formChoices': () => undefined,
	'pods.settings': (pod) => ({ podId: pod.podId }),
	'pods.create': async (pod) => ({
		school: { id: await (await import('../support/schools')).schoolOf(pod) },
		...policyPodFields()
	}),
	'pods.update': async (pod) => ({
		podId: (await (await import('../support/schools')).freshPod(pod)).id,
		schoolId: await (await import('../support/schools')).schoolOf(pod),
		...policyPodFields()
	}),
	'pods.archive': async (pod) => ({ podId: (await (await import('../support/schools')).freshPod(pod)).id }),
	'pods.restore': async (pod) => ({
		podId: (await (await import('../support/schools')).freshPod(pod, { archived: true })).id
	}),
	// The lead's (and an admin's) new code for Pod North; nothing after this in the walk signs in by code.
	'pods.newJoinCode': (pod) => ({ podId: pod.podId }),
	// Staff and invitations: each change gets a staff member (or a link) of its own.
	'staff.list': () => undefined,
	'staff.member': (pod) => ({ userId: pod.users.teacher }),
	'staff.team': (pod) => ({ podId: pod.podId }),
	'staff.create': () => ({ name: 'Noor Haddad', email: `new-staff-${++created}@demo.school` }),
	'staff.addToPod': (pod) => ({
		podId: pod.podId,
		name: 'Sam Lee',
		email: `added-${++created}@demo.school`,
		role: 'teacher'
	}),
	'staff.putOnPod': async (pod) => ({
		podId: pod.podId,
		userId: await freshStaff(pod),
		role: 'teacher'
	}),
	'staff.setRole': async (pod) => ({
		podId: pod.podId,
		userId: await freshStaff(pod, { on: { podId: pod.podId, role: 'teacher' } }),
		role: 'lead'
	}),
	'staff.removeFromPod': async (pod) => ({
		podId: pod.podId,
		userId: await freshStaff(pod, { on: { podId: pod.podId, role: 'teacher' } })
	}),
	'staff.moveToPod': async (pod) => ({
		fromPodId: pod.podId,
		toPodId: pod.otherPodId,
		userId: await freshStaff(pod, { on: { podId: pod.podId, role: 'teacher' } }),
		role: 'teacher'
	}),
	'staff.invite': async (pod) => ({ userId: await freshStaff(pod) }),
	'staff.deactivate': async (pod) => ({ userId: await freshStaff(pod) }),
	'staff.reactivate': async (pod) => ({
		userId: await freshStaff(pod, { active: false })
	}),
	'staff.setAdmin': async (pod) => ({
		userId: await freshStaff(pod),
		isAdmin: true
	}),
	'auth.invitation': async (pod) => ({
		token: (await freshInvitation(pod)).token
	}),
	'auth.acceptInvitation': async (pod) => ({
		token: (await freshInvitation(pod)).token,
		password: 'a long enough password'
	}),
	// The caller's password is set to a known one first, and changed back to the demo's: the walk
	// signs in with the demo password again after this.
	'auth.changePassword': async (pod, role) => {
		if (role !== 'anonymous') {
			await pod.db
				.updateTable('users')
				.set({ password_hash: await hashSecret('policy-current-password') })
				.where('id', '=', pod.users[role])
				.execute();
		}
		return { currentPassword: 'policy-current-password', newPassword: DEMO.staffPassword };
	},
	// Without SMTP_URL nothing is looked up or sent: the answer only says email is off.
	'auth.requestPasswordReset': () => ({ email: `nobody-${++created}@demo.school` }),
	'signInLocks.list': (pod) => ({ podId: pod.podId }),
	'signInLocks.unlock': (pod) => ({ podId: pod.podId, studentId: pod.classmateId })
};

/** Monday's first block: a Monday is never changed by these calls (saveDay sets out Friday). */
const firstBlock = async (pod: TestPod) =>
	(
		await pod.db
			.selectFrom('duty_blocks')
			.select('id')
			.where('pod_id', '=', pod.podId)
			.where('weekday', '=', 1)
			.orderBy('starts_at')
			.executeTakeFirstOrThrow()
	).id;

const rosterIds = async (pod: TestPod) =>
	(
		await pod.db
			.selectFrom('pod_students')
			.select('user_id')
			.where('pod_id', '=', pod.podId)
			.orderBy('user_id')
			.execute()
	).map((row) => row.user_id);

const procedures = listProcedures();

describe('every procedure declares who may call it', () => {
	it('the router has procedures to check', () => {
		expect(procedures.length).toBeGreaterThan(5);
	});

	it.each(procedures.map(({ path, policy }) => [path, policy]))(
		'%s declares a policy (%s)',
		(_path, policy) => {
			expect(Object.keys(OUTCOMES)).toContain(policy);
		}
	);

	it.each(procedures.map(({ path }) => [path]))('%s has a valid input in this test', (path) => {
		expect(VALID_INPUT[path], `add a valid input for ${path} to VALID_INPUT`).toBeTypeOf('function');
	});
});

describe('each procedure × each kind of caller', () => {
	let pod: TestPod;
	beforeAll(async () => {
		pod = await createTestPod();
	});
	afterAll(() => pod.db.destroy());

	// A procedure without a policy fails above; here it is held to the strictest one.
	const cases = procedures.flatMap(({ path, policy }) =>
		ROLES.map((role) => [path, role, OUTCOMES[policy ?? 'admin'][role]] as const)
	);

	it.each(cases)('%s as %s → %s', async (path, role, expected) => {
		const caller = await callerAs(pod, role);
		const { call } = procedures.find((p) => p.path === path)!;
		const outcome = await call(caller, await VALID_INPUT[path](pod, role)).then(
			() => 'ok',
			(error: unknown) => (error instanceof TRPCError ? error.code : String(error))
		);
		expect(outcome).toBe(expected);
	});
});

describe("support staff's refused changes", () => {
	let pod: TestPod;
	beforeAll(async () => {
		pod = await createTestPod();
	});
	afterAll(() => pod.db.destroy());

	const teachersOnly = procedures.filter(
		(p) => p.kind === 'mutation' && (p.policy === 'podTeacher' || p.policy === 'podLead')
	);

	it('cover playlists, the library, scores, checks and coaching', () => {
		expect(teachersOnly.map((p) => p.path)).toEqual(
			expect.arrayContaining([
				'playlists.add',
				'playlists.reorder',
				'library.createActivity',
				'progress.setScore',
				'checks.set',
				'coaching.record',
				'flags.setThresholds',
				'duties.set'
			])
		);
	});

	it.each(teachersOnly.map(({ path }) => [path]))(
		'%s as support staff is FORBIDDEN and changes nothing',
		async (path) => {
			const caller = await callerAs(pod, 'support');
			const input = await VALID_INPUT[path](pod, 'support');
			const before = await databaseDigest(pod.db);
			expect(await outcomeOf(teachersOnly.find((p) => p.path === path)!.call(caller, input))).toBe(
				'FORBIDDEN'
			);
			expect(await databaseDigest(pod.db)).toBe(before);
		}
	);
});

describe('an archived pod is read-only', () => {
	let pod: TestPod;
	beforeAll(async () => {
		pod = await createTestPod();
		const admin = await callerAs(pod, 'admin');
		await admin.pods.archive({ podId: pod.podId });
	});
	afterAll(() => pod.db.destroy());

	// Every change a pod's team makes, by the lead (an admin's own pod changes refuse in the domain).
	const podWrites = procedures.filter(
		(p) =>
			p.kind === 'mutation' &&
			(p.policy === 'podStaff' || p.policy === 'podTeacher' || p.policy === 'podLead')
	);

	it('there are pod writes to check', () => {
		expect(podWrites.length).toBeGreaterThan(20);
	});

	it.each(podWrites.map(({ path }) => [path]))('%s refuses, saying so, and changes nothing', async (path) => {
		const caller = await callerAs(pod, 'lead');
		const input = await VALID_INPUT[path](pod, 'lead');
		const before = await databaseDigest(pod.db);
		const outcome = await podWrites
			.find((p) => p.path === path)!
			.call(caller, input)
			.then(
				() => 'ok',
				(error: unknown) => error
			);
		if (path === 'studentData.erase') {
			// Its data stays until erased: erasing is the one change an archived pod still takes.
			return expect(outcome).toBe('ok');
		}
		expect(outcome).toBeInstanceOf(TRPCError);
		expect((outcome as TRPCError).code).toBe('FORBIDDEN');
		expect((outcome as TRPCError).message).toBe(
			`${DEMO.podName} is archived, so it is read-only: nothing was changed. A school admin can restore it on the admin page.`
		);
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it("ends its students' sessions: a student's calls are signed out", async () => {
		const caller = await callerAs(pod, 'student');
		const outcome = await caller.playlists.mine().then(
			() => 'ok',
			(error: unknown) => (error instanceof TRPCError ? error.code : String(error))
		);
		expect(outcome).toBe('UNAUTHORIZED');
	});

	it("is off the pod lists, the admin's and the lead's", async () => {
		for (const role of ['admin', 'lead'] as const) {
			const pods = await (await callerAs(pod, role)).pods.mine();
			expect(pods.map((p) => p.name)).not.toContain(DEMO.podName);
		}
	});
});

/** Someone the policy lets in: a query is checked where it answers, not where it is refused. */
const ALLOWED: Record<Policy, Role> = {
	public: 'anonymous',
	signedIn: 'student',
	student: 'student',
	staff: 'teacher',
	podStaff: 'support',
	podTeacher: 'teacher',
	podLead: 'lead',
	admin: 'admin'
};

/**
 * Every row of every table, except the audit log's "read" entries: reading a student's whole
 * record is written down on purpose (who read whose record, when). Nothing else may change.
 */
async function digestBesidesReads(pod: TestPod): Promise<string> {
	const hash = createHash('sha256');
	for (const name of await appTables(pod.db)) {
		const rows =
			name === 'audit_log'
				? await sql`select * from audit_log where action != 'read'`.execute(pod.db)
				: await sql`select * from ${sql.table(name)}`.execute(pod.db);
		hash.update(
			`${name}\n${rows.rows
				.map((row) => JSON.stringify(row))
				.sort()
				.join('\n')}\n`
		);
	}
	return hash.digest('hex');
}

describe('queries never change state', () => {
	let pod: TestPod;
	beforeAll(async () => {
		pod = await createTestPod();
	});
	afterAll(() => pod.db.destroy());

	const queries = procedures.filter((p) => p.kind === 'query');

	it('the router has queries to check', () => {
		expect(queries.length).toBeGreaterThan(10);
	});

	it.each(queries.map(({ path, policy }) => [path, ALLOWED[policy ?? 'admin']] as const))(
		'%s as %s answers and writes nothing',
		async (path, role) => {
			// The caller's session and the input's own rows are made first: they are the test's writes.
			const caller = await callerAs(pod, role);
			const input = await VALID_INPUT[path](pod, role);
			const before = await digestBesidesReads(pod);
			await expect(queries.find((q) => q.path === path)!.call(caller, input)).resolves.not.toThrow();
			expect(await digestBesidesReads(pod)).toBe(before);
		}
	);
});

/** Where a value holds text: the paths of its strings, in objects and lists, with a setter each. */
function textFields(value: unknown, at: (string | number)[] = []): (string | number)[][] {
	if (typeof value === 'string') return [at];
	if (Array.isArray(value)) return value.flatMap((item, i) => textFields(item, [...at, i]));
	if (value && typeof value === 'object')
		return Object.entries(value).flatMap(([key, item]) => textFields(item, [...at, key]));
	return [];
}
function withText(value: unknown, path: (string | number)[], text: string): unknown {
	if (path.length === 0) return text;
	const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<
		string | number,
		unknown
	>;
	copy[path[0]] = withText(copy[path[0]], path.slice(1), text);
	return copy;
}

describe('hostile text in an otherwise valid input', () => {
	let pod: TestPod;
	beforeAll(async () => {
		pod = await createTestPod();
	});
	afterAll(() => pod.db.destroy());

	// The schemas let much through (a flag's reason, a note, a title): what gets in must be
	// stored as text or refused in words, never end in a server error.
	const callable = procedures.filter((p) => p.kind !== 'subscription' && p.takesInput);

	it.each(callable.map(({ path, policy }) => [path, ALLOWED[policy ?? 'admin']] as const))(
		'%s as %s answers or refuses in words',
		async (path, role) => {
			const { call } = callable.find((p) => p.path === path)!;
			const caller = await callerAs(pod, role);
			const fieldsOf = textFields(await VALID_INPUT[path](pod, role));
			if (fieldsOf.length === 0) return expect(fieldsOf).toEqual([]); // nothing textual to spoil
			await fc.assert(
				fc.asyncProperty(fc.nat(), hostileString, async (pick, text) => {
					// A fresh valid input each run: some are used up by the call (a card, a hand up).
					const input = await VALID_INPUT[path](pod, role);
					const fields = textFields(input);
					const outcome = await call(caller, withText(input, fields[pick % fields.length], text)).then(
						() => 'ok',
						(error: unknown) => error
					);
					if (outcome === 'ok') return;
					expect(outcome).toBeInstanceOf(TRPCError);
					expect((outcome as TRPCError).code).not.toBe('INTERNAL_SERVER_ERROR');
					expect((outcome as TRPCError).message.length).toBeGreaterThan(5);
				}),
				{ numRuns: 25, seed: 42 }
			);
		}
	);
});
