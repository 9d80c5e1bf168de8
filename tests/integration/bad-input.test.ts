import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	callerAs,
	createTestPod,
	databaseDigest,
	listProcedures,
	type Role,
	type TestPod
} from '../support/pod';
import { lastSchoolDay } from '../support/attendance';

// Every procedure that takes input, given input that is wrong in every way we can think of,
// by a caller who is allowed to call it: BAD_REQUEST and no change. (http.test.ts checks
// that the message a person sees over HTTP is a sentence.)

const NOT_A_UUID = 'pod-north';
/** The Sunday before a date 'YYYY-MM-DD'. */
const sundayBefore = (date: string) => {
	const at = new Date(`${date}T12:00:00Z`);
	at.setUTCDate(at.getUTCDate() - (at.getUTCDay() || 7));
	return at.toISOString().slice(0, 10);
};
const huge = 'x'.repeat(100_000);
/** n well-formed ids that name nothing. */
const someIds = (n: number) =>
	Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);

/** Bulk inputs wrong in one way each, around one that would be fine. */
const badBulkInputs = (pod: TestPod) => {
	const fine = {
		podId: pod.podId,
		activityIds: someIds(1),
		priority: 'must',
		target: { by: 'grade', grades: [5] }
	};
	return [
		{ podId: pod.podId },
		{ ...fine, target: undefined },
		{ ...fine, target: { by: 'everyone' } },
		{ ...fine, target: { by: 'grade', grades: [] } },
		{ ...fine, target: { by: 'grade', grades: [5.5] } },
		{ ...fine, target: { by: 'grade', grades: [13] } },
		{ ...fine, target: { by: 'grade', grades: '5' } },
		{ ...fine, target: { by: 'cohort', cohorts: [''] } },
		{ ...fine, target: { by: 'cohort', cohorts: [huge] } },
		{ ...fine, target: { by: 'group', groupId: NOT_A_UUID } },
		{ ...fine, target: { by: 'flag', rule: 'sleepy' } },
		{ ...fine, target: { by: 'students', studentIds: [] } },
		{ ...fine, target: { by: 'students', studentIds: [pod.users.student, pod.users.student] } },
		{ ...fine, target: { by: 'finished' } },
		{ ...fine, activityIds: [] },
		{ ...fine, activityIds: someIds(11) },
		{ ...fine, activityIds: [NOT_A_UUID] },
		{ ...fine, priority: undefined },
		{ ...fine, priority: 'urgent' },
		{ ...fine, dueOn: '2026-13-01' },
		{ ...fine, dueOn: 'next Friday' }
	];
};

/** A library activity that would be fine. */
const fineActivity = (pod: TestPod) => ({
	podId: pod.podId,
	title: 'Quiz: rocks',
	subject: 'science',
	kind: 'assessment',
	skillIds: [],
	gradeLow: 4,
	gradeHigh: 5,
	estimatedMinutes: 15,
	resourceUrl: 'https://example.org/rocks',
	maxScore: 10
});

/** Library activities wrong in one way each, around one that would be fine. */
const badActivityInputs = (pod: TestPod, extra: Record<string, unknown> = {}) => {
	const fine = { ...fineActivity(pod), ...extra };
	return [
		{ podId: pod.podId, ...extra },
		{ ...fine, title: '' },
		{ ...fine, title: '   ' },
		{ ...fine, title: huge },
		{ ...fine, title: 42 },
		{ ...fine, subject: 'art' },
		{ ...fine, kind: 'homework' },
		{ ...fine, kind: 'assessment', maxScore: null },
		{ ...fine, kind: 'assessment', maxScore: undefined },
		{ ...fine, maxScore: 0 },
		{ ...fine, maxScore: 1001 },
		{ ...fine, maxScore: 2.5 },
		{ ...fine, gradeLow: 6, gradeHigh: 4 },
		{ ...fine, gradeLow: -1 },
		{ ...fine, gradeHigh: 13 },
		{ ...fine, gradeLow: '4' },
		{ ...fine, estimatedMinutes: 0 },
		{ ...fine, estimatedMinutes: 241 },
		{ ...fine, estimatedMinutes: Number.NaN },
		{ ...fine, resourceUrl: 'javascript:alert(document.cookie)' },
		{ ...fine, resourceUrl: ' JavaScript:alert(1)' },
		{ ...fine, resourceUrl: 'data:text/html,<script>alert(1)</script>' },
		{ ...fine, resourceUrl: 'ftp://example.org/file' },
		{ ...fine, resourceUrl: 'example.org/no-scheme' },
		{ ...fine, resourceUrl: `https://example.org/${huge}` },
		{ ...fine, skillIds: [NOT_A_UUID] },
		{ ...fine, skillIds: 'all' },
		{ ...fine, skillIds: someIds(31) },
		// Well-formed, but not skills of this pod: refused by name.
		{ ...fine, skillIds: someIds(1) }
	];
};

const badSkillInputs = (pod: TestPod, extra: Record<string, unknown> = {}) => {
	const fine = {
		podId: pod.podId,
		code: 'W.5.2',
		name: 'Informative writing',
		subject: 'writing',
		grade: 5,
		...extra
	};
	return [
		{ podId: pod.podId, ...extra },
		{ ...fine, code: '' },
		{ ...fine, code: '4 NF 1' },
		{ ...fine, code: "4.NF.1' OR 1=1 --" },
		{ ...fine, code: huge },
		{ ...fine, name: '  ' },
		{ ...fine, name: huge },
		{ ...fine, subject: 'art' },
		{ ...fine, grade: 13 },
		{ ...fine, grade: 4.5 },
		{ ...fine, grade: '4' }
	];
};

/** Pod settings wrong in one way each (the domain's checks too: a span upside down, a made-up zone). */
const badPodFields = (extra: Record<string, unknown>) => {
	const fine = {
		name: 'Pod West',
		gradeLow: 4,
		gradeHigh: 6,
		timeZone: 'America/New_York',
		schoolWeek: [{ weekday: 1, start: '08:30', end: '15:00' }],
		studentsPerAdult: 25,
		...extra
	};
	const day = (start: string, end: string, weekday = 1) => [{ weekday, start, end }];
	return [
		{ ...extra },
		{ ...fine, name: '' },
		{ ...fine, name: '   ' },
		{ ...fine, name: huge },
		{ ...fine, gradeLow: -1 },
		{ ...fine, gradeHigh: 13 },
		{ ...fine, gradeLow: 4.5 },
		{ ...fine, gradeLow: '4' },
		{ ...fine, gradeLow: 7, gradeHigh: 5 },
		{ ...fine, timeZone: 'Mars/Olympus_Mons' },
		{ ...fine, timeZone: "America/New_York' OR 1=1 --" },
		{ ...fine, timeZone: '+05:00' },
		{ ...fine, timeZone: '' },
		{ ...fine, timeZone: huge },
		{ ...fine, schoolWeek: [] },
		{ ...fine, schoolWeek: 'Monday to Friday' },
		{ ...fine, schoolWeek: day('15:00', '08:30') },
		{ ...fine, schoolWeek: day('08:30', '08:30') },
		{ ...fine, schoolWeek: [...day('08:30', '15:00'), ...day('09:00', '14:00')] },
		{ ...fine, schoolWeek: day('08:30', '15:00', 8) },
		{ ...fine, schoolWeek: day('08:30', '15:00', 0) },
		{ ...fine, schoolWeek: day('8:30', '15:00') },
		{ ...fine, schoolWeek: day('08:30', '24:00') },
		{ ...fine, schoolWeek: [1, 2, 3, 4, 5, 6, 7, 1].map((weekday) => day('08:30', '15:00', weekday)[0]) },
		{ ...fine, studentsPerAdult: 0 },
		{ ...fine, studentsPerAdult: 101 },
		{ ...fine, studentsPerAdult: 2.5 },
		{ ...fine, studentsPerAdult: '25' }
	];
};

const BAD_INPUTS: Record<string, { role: Role; inputs: (pod: TestPod) => unknown[] }> = {
	'schools.create': {
		role: 'admin',
		inputs: () => [undefined, {}, { name: '' }, { name: '   ' }, { name: huge }, { name: 42 }]
	},
	'schools.rename': {
		role: 'admin',
		inputs: (pod) => [
			{ name: 'Renamed' },
			{ schoolId: NOT_A_UUID, name: 'Renamed' },
			{ schoolId: pod.podId, name: '' },
			{ schoolId: pod.podId, name: huge }
		]
	},
	'pods.settings': { role: 'admin', inputs: () => [undefined, {}, { podId: NOT_A_UUID }] },
	'pods.create': {
		role: 'admin',
		inputs: () => [
			...badPodFields({}),
			...badPodFields({ school: { name: 'A School Made For Nothing' } }),
			{ ...badPodFields({})[1], name: 'Pod West', school: { id: NOT_A_UUID } },
			{ ...badPodFields({})[1], name: 'Pod West', school: { name: '' } },
			{ ...badPodFields({})[1], name: 'Pod West', school: { name: huge } },
			{ ...badPodFields({})[1], name: 'Pod West', school: 'Lincoln' }
		]
	},
	'pods.update': {
		role: 'admin',
		inputs: (pod) => [
			...badPodFields({ podId: pod.podId, schoolId: pod.podId }),
			{ ...badPodFields({ podId: pod.podId })[1], name: 'Pod West' },
			{ ...badPodFields({ podId: NOT_A_UUID, schoolId: pod.podId })[1], name: 'Pod West' }
		]
	},
	'pods.archive': { role: 'admin', inputs: () => [undefined, {}, { podId: NOT_A_UUID }] },
	'pods.restore': { role: 'admin', inputs: () => [undefined, {}, { podId: NOT_A_UUID }] },
	'pods.newJoinCode': { role: 'lead', inputs: () => [undefined, {}, { podId: NOT_A_UUID }, { podId: 7 }] },
	'dashboard.heatmap': { role: 'lead', inputs: () => [undefined, { podId: NOT_A_UUID }] },
	'dashboard.student': {
		role: 'teacher',
		inputs: (pod) => [{ podId: pod.podId }, { podId: pod.podId, studentId: NOT_A_UUID }]
	},
	'dashboard.live': {
		role: 'lead',
		inputs: (pod) => [
			{ podId: pod.podId, lastEventId: 'latest' },
			{ podId: pod.podId, lastEventId: -5 }
		]
	},
	'playlists.live': {
		role: 'student',
		inputs: () => [{ lastEventId: 'abc' }, { lastEventId: -1 }, { lastEventId: '1'.repeat(40) }]
	},
	'progress.record': {
		role: 'student',
		inputs: () => [undefined, {}, { events: 'start' }, { events: [] }, { events: [{ kind: 'start' }] }]
	},
	'checks.get': {
		role: 'teacher',
		inputs: (pod) => [{ podId: pod.podId }, { podId: pod.podId, activityId: NOT_A_UUID }]
	},
	'checks.set': {
		role: 'teacher',
		inputs: (pod) => [
			{ podId: pod.podId, activityId: NOT_A_UUID, check: null },
			{ podId: pod.podId, activityId: someIds(1)[0] },
			{ podId: pod.podId, activityId: someIds(1)[0], check: { format: 'podboard-check' } },
			{ podId: pod.podId, activityId: someIds(1)[0], check: huge.repeat(3) }
		]
	},
	'checks.analysis': {
		role: 'teacher',
		inputs: (pod) => [{ podId: pod.podId }, { podId: pod.podId, activityId: NOT_A_UUID }]
	},
	'mastery.report': {
		role: 'teacher',
		inputs: (pod) => [
			{ podId: pod.podId, grade: 'five' },
			{ podId: pod.podId, grade: 4.5 },
			{ podId: pod.podId, grade: 99 },
			{ podId: pod.podId, cohort: huge }
		]
	},
	'mastery.trends': {
		role: 'teacher',
		inputs: (pod) => [{ podId: pod.podId }, { podId: pod.podId, studentId: NOT_A_UUID }]
	},
	'mastery.reportCsv': {
		role: 'teacher',
		inputs: (pod) => [
			{ podId: pod.podId, grade: -5 },
			{ podId: pod.podId, cohort: 7 }
		]
	},
	'checks.take': {
		role: 'student',
		inputs: () => [undefined, {}, { assignmentId: NOT_A_UUID }]
	},
	'checks.submit': {
		role: 'student',
		inputs: () => {
			const fine = {
				submissionId: someIds(1)[0],
				assignmentId: someIds(2)[1],
				answers: [[0], 'x'],
				occurredAt: '2026-11-23T10:15:00Z'
			};
			return [
				{ ...fine, submissionId: NOT_A_UUID },
				{ ...fine, answers: 'all of them' },
				{ ...fine, answers: [{ pick: 0 }] },
				{ ...fine, answers: [[-1]] },
				{ ...fine, answers: [[0.5]] },
				{ ...fine, answers: [huge] },
				{ ...fine, answers: Array(41).fill('x') },
				{ ...fine, occurredAt: 'today' }
			];
		}
	},
	'progress.setScore': {
		role: 'teacher',
		inputs: (pod) => [
			{ podId: pod.podId },
			{ podId: pod.podId, assignmentId: NOT_A_UUID, score: 1 },
			{ podId: pod.podId, assignmentId: pod.podId, score: -1 },
			{ podId: pod.podId, assignmentId: pod.podId, score: 2.5 },
			{ podId: pod.podId, assignmentId: pod.podId, score: '10' }
		]
	},
	'auth.staffLogin': {
		role: 'anonymous',
		inputs: () => [
			undefined,
			null,
			42,
			{},
			{ email: 'lead@demo.school' },
			{ email: 'not-an-email', password: 'x' },
			{ email: 'lead@demo.school', password: '' },
			{ email: huge, password: 'x' },
			{ email: 'lead@demo.school', password: huge },
			{ email: ['lead@demo.school'], password: 'x' }
		]
	},
	'auth.joinRoster': {
		role: 'anonymous',
		inputs: () => [
			undefined,
			{},
			{ joinCode: '' },
			{ joinCode: 'D' },
			{ joinCode: "DEMO42' OR 1=1 --" },
			{ joinCode: huge },
			{ joinCode: 42 }
		]
	},
	'auth.studentJoin': {
		role: 'anonymous',
		inputs: (pod) => [
			{},
			{ joinCode: 'DEMO42', studentId: pod.users.student },
			{ joinCode: 'DEMO42', studentId: pod.users.student, pictures: ['cat', 'sun'] },
			{ joinCode: 'DEMO42', studentId: pod.users.student, pictures: ['cat', 'sun', 'tree', 'fish'] },
			{ joinCode: 'DEMO42', studentId: pod.users.student, pictures: ['cat', 'sun', 'dragon'] },
			{ joinCode: 'DEMO42', studentId: NOT_A_UUID, pictures: ['cat', 'sun', 'tree'] },
			{ joinCode: 'DEMO42', studentId: pod.users.student, pictures: 'cat sun tree' }
		]
	},
	'pods.overview': {
		role: 'lead',
		inputs: () => [undefined, {}, { podId: NOT_A_UUID }, { podId: 7 }, { podId: huge }]
	},
	'pods.roster': { role: 'lead', inputs: () => [undefined, { podId: '' }, { podId: null }] },
	'playlists.forStudent': {
		role: 'lead',
		inputs: (pod) => [
			{ podId: pod.podId },
			{ podId: pod.podId, studentId: NOT_A_UUID },
			{ podId: NOT_A_UUID, studentId: pod.users.student }
		]
	},
	'playlists.candidates': { role: 'teacher', inputs: () => [undefined, {}, { podId: NOT_A_UUID }] },
	'playlists.add': {
		role: 'teacher',
		inputs: (pod) => [
			{ podId: pod.podId },
			{ podId: pod.podId, studentId: NOT_A_UUID, activityIds: someIds(1) },
			{ podId: pod.podId, studentId: pod.users.student, activityIds: [] },
			{ podId: pod.podId, studentId: pod.users.student, activityIds: 'all of them' },
			{ podId: pod.podId, studentId: pod.users.student, activityIds: [...someIds(1), ...someIds(1)] },
			{ podId: pod.podId, studentId: pod.users.student, activityIds: someIds(21) },
			{ podId: pod.podId, studentId: pod.users.student, activityIds: [NOT_A_UUID] },
			{ podId: pod.podId, studentId: pod.users.student, activityIds: someIds(1), priority: 'urgent' },
			{ podId: pod.podId, studentId: pod.users.student, activityIds: someIds(1), dueOn: '2026-02-30' },
			{ podId: pod.podId, studentId: pod.users.student, activityIds: someIds(1), dueOn: 'tomorrow' }
		]
	},
	'playlists.remove': {
		role: 'teacher',
		inputs: (pod) => [
			{ podId: pod.podId },
			{ podId: pod.podId, assignmentId: NOT_A_UUID },
			{ podId: pod.podId, assignmentId: 42 },
			{ podId: pod.podId, assignmentId: someIds(1)[0], force: 'yes' }
		]
	},
	'playlists.reorder': {
		role: 'teacher',
		inputs: (pod) => [
			{ podId: pod.podId, studentId: pod.users.student },
			{ podId: pod.podId, studentId: pod.users.student, assignmentIds: [] },
			{ podId: pod.podId, studentId: pod.users.student, assignmentIds: [...someIds(2), ...someIds(1)] },
			{ podId: pod.podId, studentId: pod.users.student, assignmentIds: [NOT_A_UUID] },
			{ podId: pod.podId, studentId: pod.users.student, assignmentIds: someIds(501) },
			{ podId: pod.podId, studentId: NOT_A_UUID, assignmentIds: someIds(2) }
		]
	},
	'playlists.update': {
		role: 'teacher',
		inputs: (pod) => [
			{ podId: pod.podId, assignmentId: someIds(1)[0] },
			{ podId: pod.podId, assignmentId: NOT_A_UUID, priority: 'must' },
			{ podId: pod.podId, assignmentId: someIds(1)[0], priority: 'top' },
			{ podId: pod.podId, assignmentId: someIds(1)[0], dueOn: '12/03/2026' },
			{ podId: pod.podId, assignmentId: someIds(1)[0], dueOn: 20261203 }
		]
	},
	'playlists.bulkPreview': { role: 'teacher', inputs: badBulkInputs },
	'playlists.bulkAssign': { role: 'teacher', inputs: badBulkInputs },
	'library.skills': { role: 'teacher', inputs: () => [undefined, {}, { podId: NOT_A_UUID }] },
	'library.createSkill': { role: 'teacher', inputs: (pod) => badSkillInputs(pod) },
	'library.updateSkill': {
		role: 'teacher',
		inputs: (pod) => [
			{ podId: pod.podId, code: 'W.5.2', name: 'Informative writing', subject: 'writing', grade: 5 },
			...badSkillInputs(pod, { skillId: NOT_A_UUID }),
			...badSkillInputs(pod, { skillId: someIds(1)[0] })
		]
	},
	'library.deleteSkill': {
		role: 'teacher',
		inputs: (pod) => [
			{ podId: pod.podId },
			{ podId: pod.podId, skillId: NOT_A_UUID },
			{ podId: pod.podId, skillId: 7 }
		]
	},
	'library.activities': {
		role: 'teacher',
		inputs: (pod) => [
			undefined,
			{ podId: pod.podId, subject: 'art' },
			{ podId: pod.podId, kind: 'homework' },
			{ podId: pod.podId, grade: 13 },
			{ podId: pod.podId, grade: '4' },
			{ podId: pod.podId, skillId: NOT_A_UUID },
			{ podId: pod.podId, archived: 'deleted' },
			{ podId: pod.podId, search: huge },
			{ podId: pod.podId, search: 42 }
		]
	},
	'library.activity': {
		role: 'teacher',
		inputs: (pod) => [
			{ podId: pod.podId },
			{ podId: pod.podId, activityId: NOT_A_UUID },
			{ activityId: someIds(1)[0] }
		]
	},
	'library.createActivity': { role: 'teacher', inputs: (pod) => badActivityInputs(pod) },
	'library.updateActivity': {
		role: 'teacher',
		inputs: (pod) => [
			...badActivityInputs(pod, { activityId: NOT_A_UUID }),
			// Every field fine but the activity id, which is missing.
			fineActivity(pod)
		]
	},
	'library.archiveActivity': {
		role: 'teacher',
		inputs: (pod) => [
			{ podId: pod.podId },
			{ podId: pod.podId, activityId: NOT_A_UUID },
			{ podId: pod.podId, activityId: [] }
		]
	},
	'library.restoreActivity': {
		role: 'teacher',
		inputs: (pod) => [
			{ podId: pod.podId },
			{ podId: pod.podId, activityId: NOT_A_UUID },
			{ podId: pod.podId, activityId: null }
		]
	},
	'flags.list': {
		role: 'teacher',
		inputs: (pod) => [undefined, { podId: pod.podId, studentId: NOT_A_UUID }]
	},
	'flags.raise': {
		role: 'teacher',
		inputs: (pod) => [
			{ podId: pod.podId },
			{ podId: pod.podId, studentIds: [], reason: 'Quiet today' },
			{ podId: pod.podId, studentIds: [NOT_A_UUID], reason: 'Quiet today' },
			{ podId: pod.podId, studentIds: someIds(81), reason: 'Quiet today' },
			{ podId: pod.podId, studentIds: [pod.users.student], reason: '   ' },
			{ podId: pod.podId, studentIds: [pod.users.student], reason: huge },
			{ podId: pod.podId, studentIds: [pod.users.student], reason: 'Quiet', assignmentId: NOT_A_UUID }
		]
	},
	'flags.resolve': {
		role: 'teacher',
		inputs: (pod) => [
			{ podId: pod.podId, flagId: NOT_A_UUID, note: 'Done' },
			{ podId: pod.podId, flagId: someIds(1)[0], note: '' },
			{ podId: pod.podId, flagId: someIds(1)[0], note: huge },
			{ podId: pod.podId, flagId: someIds(1)[0] }
		]
	},
	'flags.thresholds': { role: 'teacher', inputs: () => [undefined, { podId: NOT_A_UUID }] },
	'flags.setThresholds': {
		role: 'lead',
		inputs: (pod) => {
			const fine = {
				stuckMinutes: 20,
				idleMinutes: 10,
				lowScorePercent: {},
				behindPaceRatio: 0.7,
				handUpMinutes: 5
			};
			return [
				{ podId: pod.podId },
				{ podId: pod.podId, thresholds: { ...fine, stuckMinutes: 0 } },
				{ podId: pod.podId, thresholds: { ...fine, idleMinutes: 2.5 } },
				{ podId: pod.podId, thresholds: { ...fine, idleMinutes: '10' } },
				{ podId: pod.podId, thresholds: { ...fine, lowScorePercent: { practice: 101 } } },
				{ podId: pod.podId, thresholds: { ...fine, behindPaceRatio: 2 } },
				{ podId: pod.podId, thresholds: { ...fine, handUpMinutes: undefined } },
				{ podId: pod.podId, thresholds: { ...fine, noContactMinutes: 0 } },
				{ podId: pod.podId, thresholds: { ...fine, helpAvoidanceTimes: 1 } },
				{ podId: pod.podId, thresholds: { ...fine, streakResults: 11 } }
			];
		}
	},
	'groups.list': { role: 'teacher', inputs: () => [undefined, { podId: NOT_A_UUID }] },
	'groups.suggestions': { role: 'teacher', inputs: () => [undefined, {}] },
	'groups.create': {
		role: 'teacher',
		inputs: (pod) => [
			{ podId: pod.podId, studentIds: [NOT_A_UUID] },
			{ podId: pod.podId, studentIds: someIds(81) },
			{ podId: pod.podId, flagIds: 'all' },
			{ podId: pod.podId, studentIds: [pod.users.student], plannedStart: '25:00' },
			{ podId: pod.podId, studentIds: [pod.users.student], plannedOn: 'tomorrow' },
			{ podId: pod.podId, studentIds: [pod.users.student], focusSkillId: NOT_A_UUID },
			{ podId: pod.podId, studentIds: [pod.users.student], title: huge }
		]
	},
	...Object.fromEntries(
		['groups.claim', 'groups.release', 'groups.start'].map((path) => [
			path,
			{
				role: 'teacher' as const,
				inputs: (pod: TestPod) => [
					{ podId: pod.podId },
					{ podId: pod.podId, groupId: NOT_A_UUID, version: 1 },
					{ podId: pod.podId, groupId: someIds(1)[0] },
					{ podId: pod.podId, groupId: someIds(1)[0], version: 0 },
					{ podId: pod.podId, groupId: someIds(1)[0], version: 1.5 },
					{ podId: pod.podId, groupId: someIds(1)[0], version: '1' }
				]
			}
		])
	),
	'groups.handOff': {
		role: 'teacher',
		inputs: (pod) => [
			{ podId: pod.podId, groupId: someIds(1)[0], version: 1 },
			{ podId: pod.podId, groupId: someIds(1)[0], version: 1, toTeacherId: NOT_A_UUID }
		]
	},
	'groups.finish': {
		role: 'teacher',
		inputs: (pod) => [
			{ podId: pod.podId, groupId: someIds(1)[0], version: 1 },
			{ podId: pod.podId, groupId: someIds(1)[0], version: 1, outcome: '  ' },
			{ podId: pod.podId, groupId: someIds(1)[0], version: 1, outcome: huge }
		]
	},
	'help.request': {
		role: 'student',
		inputs: () => [{ assignmentId: NOT_A_UUID }, { assignmentId: 42 }, 'help']
	},
	'help.queue': { role: 'teacher', inputs: () => [undefined, { podId: NOT_A_UUID }] },
	...Object.fromEntries(
		['help.claim', 'help.release'].map((path) => [
			path,
			{
				role: 'teacher' as const,
				inputs: (pod: TestPod) => [
					{ podId: pod.podId },
					{ podId: pod.podId, requestId: NOT_A_UUID, version: 1 },
					{ podId: pod.podId, requestId: someIds(1)[0], version: -1 },
					{ podId: pod.podId, requestId: someIds(1)[0], version: 'latest' }
				]
			}
		])
	),
	'help.resolve': {
		role: 'teacher',
		inputs: (pod) => [
			{ podId: pod.podId },
			{ podId: pod.podId, requestId: NOT_A_UUID },
			{ podId: pod.podId, requestId: someIds(1)[0], note: huge }
		]
	},
	'duties.week': {
		role: 'teacher',
		inputs: (pod) => [
			undefined,
			{ podId: pod.podId, weekOf: 'this week' },
			{ podId: pod.podId, weekOf: '2026-11-18' }
		]
	},
	'duties.generate': {
		role: 'lead',
		inputs: (pod) => [
			{ podId: pod.podId },
			{ podId: pod.podId, weekOf: '2026-11-17' },
			{ podId: pod.podId, weekOf: 5 }
		]
	},
	'duties.set': {
		role: 'lead',
		inputs: (pod) => [
			{ podId: pod.podId, weekOf: '2026-11-16' },
			{
				podId: pod.podId,
				weekOf: '2026-11-16',
				blockId: NOT_A_UUID,
				teacherId: pod.users.teacher,
				duty: 'floor'
			},
			{
				podId: pod.podId,
				weekOf: '2026-11-16',
				blockId: someIds(1)[0],
				teacherId: pod.users.teacher,
				duty: 'recess'
			}
		]
	},
	'duties.swap': {
		role: 'lead',
		inputs: (pod) => [
			{ podId: pod.podId, weekOf: '2026-11-16', blockId: someIds(1)[0], teacherIds: [pod.users.teacher] },
			{
				podId: pod.podId,
				weekOf: '2026-11-16',
				blockId: someIds(1)[0],
				teacherIds: [pod.users.teacher, pod.users.teacher]
			}
		]
	},
	'duties.setAway': {
		role: 'lead',
		inputs: (pod) => [
			{ podId: pod.podId, weekOf: '2026-11-16', blockId: someIds(1)[0], teacherId: pod.users.teacher },
			{
				podId: pod.podId,
				weekOf: '2026-11-16',
				blockId: someIds(1)[0],
				teacherId: pod.users.teacher,
				away: 'yes'
			}
		]
	},
	'duties.saveDay': {
		role: 'lead',
		inputs: (pod) => {
			const block = { startsAt: '08:30', endsAt: '10:00', label: 'Morning', studentsIn: true };
			return [
				{ podId: pod.podId, weekday: 6, blocks: [block] },
				{ podId: pod.podId, weekday: 1, blocks: [{ ...block, startsAt: '8:30am' }] },
				{ podId: pod.podId, weekday: 1, blocks: [{ ...block, label: ' ' }] },
				{ podId: pod.podId, weekday: 1, blocks: Array.from({ length: 13 }, () => block) },
				// Well-formed, but a block that ends before it starts, and two that overlap.
				{ podId: pod.podId, weekday: 1, blocks: [{ ...block, endsAt: '08:00' }] },
				{ podId: pod.podId, weekday: 1, blocks: [block, { ...block, startsAt: '09:30', endsAt: '11:00' }] }
			];
		}
	},
	'attendance.today': { role: 'support', inputs: () => [undefined, {}, { podId: NOT_A_UUID }] },
	'attendance.coverage': { role: 'support', inputs: () => [undefined, {}, { podId: NOT_A_UUID }] },
	'attendance.mark': {
		role: 'support',
		inputs: (pod) => {
			const mark = { studentId: pod.users.student, status: 'absent' };
			return [
				{ podId: pod.podId },
				{ podId: pod.podId, marks: [] },
				{ podId: pod.podId, marks: [{ ...mark, studentId: NOT_A_UUID }] },
				{ podId: pod.podId, marks: [{ ...mark, status: 'gone' }] },
				{ podId: pod.podId, marks: Array.from({ length: 201 }, () => mark) },
				{ podId: pod.podId, marks: [mark], day: '2026-13-01' },
				// Not yet, and long ago: a mark is for today or a correction of the past week.
				{ podId: pod.podId, marks: [mark], day: '2999-01-04' },
				{ podId: pod.podId, marks: [mark], day: '2020-01-06' },
				// A Sunday: no school.
				{ podId: pod.podId, marks: [mark], day: sundayBefore(lastSchoolDay()) }
			];
		}
	},
	'attendance.adult': {
		role: 'support',
		inputs: (pod) => [
			{ podId: pod.podId },
			{ podId: pod.podId, userId: NOT_A_UUID, inRoom: true },
			{ podId: pod.podId, userId: pod.users.support, inRoom: 'yes' }
		]
	},
	'team.observe': {
		role: 'support',
		inputs: (pod) => {
			const fine = { podId: pod.podId, studentId: pod.classmateId, mark: 'got_it', note: '', skillIds: [] };
			return [
				{ podId: pod.podId },
				{ ...fine, studentId: NOT_A_UUID },
				{ ...fine, mark: 'great' },
				// Neither a mark nor a note: nothing seen.
				{ ...fine, mark: null, note: '   ' },
				{ ...fine, note: 'x'.repeat(501) },
				{ ...fine, skillIds: [NOT_A_UUID] },
				{ ...fine, skillIds: Array.from({ length: 6 }, () => crypto.randomUUID()) }
			];
		}
	},
	'team.observations': {
		role: 'support',
		inputs: (pod) => [{ podId: pod.podId }, { podId: pod.podId, studentId: NOT_A_UUID }]
	},
	'team.dayNote': {
		role: 'support',
		inputs: (pod) => [{ podId: NOT_A_UUID }, { podId: pod.podId, day: 'tomorrow' }]
	},
	'team.writeDayNote': {
		role: 'teacher',
		inputs: (pod) => {
			const fine = { podId: pod.podId, watchFor: 'Fractions', checkOn: '', assessment: '' };
			return [
				{ podId: pod.podId },
				{ ...fine, watchFor: 5 },
				// A note that says nothing.
				{ ...fine, watchFor: '  ' },
				{ ...fine, checkOn: 'x'.repeat(1001) },
				{ ...fine, day: '2026-02-30' },
				{ ...fine, day: '2020-01-06' },
				{ ...fine, day: '2999-01-04' }
			];
		}
	},
	'team.acknowledgeDayNote': {
		role: 'support',
		inputs: (pod) => [
			{ podId: pod.podId },
			{ podId: pod.podId, noteId: NOT_A_UUID, writtenAt: '2026-12-07T12:00:00.000Z' },
			{ podId: pod.podId, noteId: pod.podId, writtenAt: 7 }
		]
	},
	'huddle.agenda': { role: 'teacher', inputs: () => [undefined, {}, { podId: NOT_A_UUID }, { podId: 7 }] },
	'coaching.list': {
		role: 'lead',
		inputs: (pod) => [undefined, { podId: NOT_A_UUID }, { podId: pod.podId, teacherId: NOT_A_UUID }]
	},
	'coaching.record': {
		role: 'lead',
		inputs: (pod) => {
			const fine = {
				podId: pod.podId,
				teacherId: pod.users.teacher,
				focus: 'Wait time',
				evidence: 'About a second',
				nextStep: 'Count to five'
			};
			return [
				{ ...fine, teacherId: undefined },
				{ ...fine, teacherId: NOT_A_UUID },
				{ ...fine, focus: '   ' },
				{ ...fine, evidence: undefined },
				{ ...fine, nextStep: huge },
				{ ...fine, followUpOn: '2026-02-30' },
				{ ...fine, followUpOn: 'next Friday' },
				// Well-formed, but nobody the lead coaches: themself, a student.
				{ ...fine, teacherId: pod.users.lead },
				{ ...fine, teacherId: pod.users.student }
			];
		}
	},
	'coaching.update': {
		role: 'lead',
		inputs: (pod) => [
			{ podId: pod.podId, noteId: someIds(1)[0] },
			{ podId: pod.podId, noteId: NOT_A_UUID, focus: 'Pacing' },
			{ podId: pod.podId, noteId: someIds(1)[0], focus: '  ' },
			{ podId: pod.podId, noteId: someIds(1)[0], evidence: huge },
			{ podId: pod.podId, noteId: someIds(1)[0], followUpOn: '2026-13-01' }
		]
	},
	'coaching.reflect': {
		role: 'teacher',
		inputs: (pod) => [
			{ podId: pod.podId, noteId: someIds(1)[0] },
			{ podId: pod.podId, noteId: NOT_A_UUID, reflection: 'Went well' },
			{ podId: pod.podId, noteId: someIds(1)[0], reflection: '  ' },
			{ podId: pod.podId, noteId: someIds(1)[0], reflection: huge }
		]
	},
	'cards.list': { role: 'lead', inputs: () => [{}, { podId: NOT_A_UUID }, { podId: 42 }] },
	'signInLocks.list': { role: 'teacher', inputs: () => [undefined, {}, { podId: NOT_A_UUID }] },
	'signInLocks.unlock': {
		role: 'lead',
		inputs: (pod) => [
			{},
			{ podId: pod.podId, studentId: NOT_A_UUID },
			{ podId: pod.podId, studentId: [pod.users.student] },
			{ podId: pod.podId, studentId: huge },
			{ podId: NOT_A_UUID, studentId: pod.users.student }
		]
	},
	'cards.issue': {
		role: 'lead',
		inputs: (pod) => [
			{ podId: pod.podId },
			{ podId: pod.podId, studentIds: [] },
			{ podId: pod.podId, studentIds: [NOT_A_UUID] },
			{ podId: pod.podId, studentIds: pod.users.student },
			{ podId: pod.podId, studentIds: [pod.users.student, pod.users.student] },
			{ podId: pod.podId, studentIds: someIds(121) },
			{ podId: NOT_A_UUID, studentIds: [pod.users.student] }
		]
	},
	'cards.void': {
		role: 'lead',
		inputs: (pod) => [
			{ podId: pod.podId },
			{ podId: pod.podId, studentId: NOT_A_UUID },
			{ podId: pod.podId, studentId: [pod.users.student] },
			{ podId: pod.podId, studentId: huge }
		]
	},
	'exports.progressCsv': { role: 'lead', inputs: () => [undefined, {}, { podId: NOT_A_UUID }] },
	'exports.attendanceCsv': { role: 'lead', inputs: () => [undefined, {}, { podId: NOT_A_UUID }] },
	'exports.progressXapi': { role: 'lead', inputs: () => [undefined, { podId: 42 }, { podId: huge }] },
	'studentData.profile': {
		role: 'lead',
		inputs: (pod) => [{ podId: pod.podId }, { podId: pod.podId, studentId: NOT_A_UUID }]
	},
	'studentData.everything': {
		role: 'lead',
		inputs: (pod) => [{ podId: pod.podId }, { podId: pod.podId, studentId: [pod.users.student] }]
	},
	'studentData.correct': {
		role: 'lead',
		inputs: (pod) => {
			const who = { podId: pod.podId, studentId: pod.users.student };
			return [
				who,
				{ ...who, studentId: NOT_A_UUID, grade: 5 },
				{ ...who, givenName: '  ' },
				{ ...who, familyName: huge },
				{ ...who, grade: 13 },
				{ ...who, grade: 4.5 },
				{ ...who, grade: '5' },
				{ ...who, cohort: huge },
				{ ...who, cohort: 7 }
			];
		}
	},
	'studentData.erase': {
		role: 'lead',
		inputs: (pod) => [
			{ podId: pod.podId, studentId: pod.users.student },
			{ podId: pod.podId, studentId: pod.users.student, confirmName: '   ' },
			{ podId: pod.podId, studentId: NOT_A_UUID, confirmName: 'Anyone' },
			// Well-formed, but not the student's name: nothing is deleted.
			{ podId: pod.podId, studentId: pod.users.student, confirmName: 'Somebody Else' }
		]
	},
	// The school calendar: any school id will do, the dates and files are refused before it is looked up.
	'calendar.today': { role: 'lead', inputs: () => [{}, { podId: NOT_A_UUID }] },
	'calendar.list': { role: 'admin', inputs: () => [{}, { schoolId: NOT_A_UUID }, { schoolId: 42 }] },
	'calendar.add': {
		role: 'admin',
		inputs: () => {
			const fine = {
				schoolId: someIds(1)[0],
				firstDay: '2026-12-21',
				lastDay: '2027-01-01',
				name: 'Winter break'
			};
			return [
				{ schoolId: fine.schoolId },
				{ ...fine, schoolId: NOT_A_UUID },
				{ ...fine, firstDay: 'next Monday' },
				{ ...fine, firstDay: '2026-02-30' },
				{ ...fine, lastDay: '2027-13-01' },
				{ ...fine, name: '' },
				{ ...fine, name: huge },
				{ ...fine, name: 7 },
				// Well-formed, but the dates are the wrong way round, or a year apart.
				{ ...fine, lastDay: '2026-12-20' },
				{ ...fine, lastDay: '2027-12-31' }
			];
		}
	},
	'calendar.remove': {
		role: 'admin',
		inputs: () => [{ schoolId: someIds(1)[0] }, { schoolId: someIds(1)[0], dayOffId: NOT_A_UUID }]
	},
	...Object.fromEntries(
		['calendar.previewTerms', 'calendar.importTerms'].map((path) => [
			path,
			{
				role: 'admin' as const,
				inputs: () => {
					const schoolId = someIds(1)[0];
					const file = (content: string, encoding = 'text') => [
						{ name: 'academicSessions.csv', encoding, content }
					];
					return [
						{ schoolId },
						{ schoolId, files: [] },
						{ schoolId: NOT_A_UUID, files: file('sourcedId\n') },
						{ schoolId, files: file('x', 'gzip') },
						{ schoolId, files: file('not base64!', 'base64') },
						{ schoolId, files: file(huge.repeat(41)) },
						...(path === 'calendar.importTerms'
							? [
									{ schoolId, files: file('sourcedId\n'), fingerprint: 'abc' },
									// Well-formed, but no terms in it, or a date that is not one: refused, nothing written.
									{
										schoolId,
										files: file('sourcedId,status,dateLastModified,title,type,startDate,endDate,schoolYear\n')
									},
									{
										schoolId,
										files: file(
											'sourcedId,status,dateLastModified,title,type,startDate,endDate,schoolYear\ny,active,,Year,schoolYear,2026-08-24,June 4,2027\n'
										)
									}
								]
							: [])
					];
				}
			}
		])
	),
	// Refused by the schema, or by the domain's checks (one word, a grade the pod does not teach).
	'students.add': {
		role: 'lead',
		inputs: (pod) => {
			const fine = { podId: pod.podId, name: 'Ana Byhand', grade: 5 };
			return [
				{ podId: pod.podId },
				{ ...fine, name: '' },
				{ ...fine, name: '   ' },
				{ ...fine, name: huge },
				{ ...fine, name: 42 },
				{ ...fine, name: 'Ana' },
				{ ...fine, grade: 13 },
				{ ...fine, grade: -1 },
				{ ...fine, grade: 4.5 },
				{ ...fine, grade: '5' },
				{ ...fine, grade: 8 },
				{ ...fine, cohort: huge },
				{ ...fine, cohort: 7 }
			];
		}
	},
	'students.choices': { role: 'lead', inputs: () => [{}, { podId: NOT_A_UUID }, { podId: 42 }] },
	'students.move': {
		role: 'admin',
		inputs: (pod) => {
			const fine = { podId: pod.podId, studentId: pod.users.student, toPodId: pod.otherPodId, grade: 7 };
			return [
				{ podId: pod.podId, studentId: pod.users.student },
				{ ...fine, studentId: NOT_A_UUID },
				{ ...fine, toPodId: NOT_A_UUID },
				{ ...fine, grade: 13 },
				{ ...fine, grade: 6.5 },
				{ ...fine, cohort: huge },
				// Well-formed, but Pod South is at another school; or the pod they are in.
				fine,
				{ ...fine, toPodId: pod.podId, grade: 5 }
			];
		}
	},
	...Object.fromEntries(
		['rosterImport.preview', 'rosterImport.commit'].map((path) => [
			path,
			{
				role: 'lead' as const,
				inputs: (pod: TestPod) => {
					const file = { name: 'students.csv', encoding: 'text', content: 'name,grade\nAna Ruiz,4\n' };
					return [
						{ podId: pod.podId },
						{ podId: pod.podId, files: [] },
						{ podId: pod.podId, files: 'students.csv' },
						{ podId: pod.podId, files: Array.from({ length: 13 }, () => file) },
						{ podId: pod.podId, files: [{ ...file, name: '' }] },
						{ podId: pod.podId, files: [{ ...file, encoding: 'utf-16' }] },
						{ podId: pod.podId, files: [{ ...file, encoding: 'base64', content: 'not base64!' }] },
						{ podId: pod.podId, files: [{ ...file, content: 'x'.repeat(4_000_001) }] },
						{ podId: pod.podId, files: [file], skipClasses: 'class-4a' },
						{ podId: pod.podId, files: [file], fingerprint: 'latest' },
						...(path === 'rosterImport.commit'
							? [
									// Well-formed, but files with errors: nothing is applied.
									{ podId: pod.podId, files: [{ ...file, content: 'name,grade\nAna Ruiz,14\n' }] },
									{ podId: pod.podId, files: [{ ...file, name: 'users.pdf' }] }
								]
							: [])
					];
				}
			}
		])
	),
	'staff.member': { role: 'admin', inputs: () => [undefined, {}, { userId: NOT_A_UUID }, { userId: 7 }] },
	'staff.team': { role: 'admin', inputs: () => [undefined, {}, { podId: NOT_A_UUID }] },
	'staff.create': {
		role: 'admin',
		inputs: () => {
			const fine = { name: 'Noor Haddad', email: 'noor@demo.school' };
			return [
				{},
				{ ...fine, name: '' },
				{ ...fine, name: '   ' },
				{ ...fine, name: huge },
				{ ...fine, email: 'nope' },
				{ ...fine, email: huge },
				{ ...fine, email: undefined },
				{ ...fine, isAdmin: 'yes' }
			];
		}
	},
	'staff.setPlace': {
		role: 'admin',
		inputs: (pod) => [
			{ podId: pod.podId, userId: pod.users.teacher, teacherOfRecord: 'yes', remote: false },
			{ podId: pod.podId, userId: pod.users.teacher, teacherOfRecord: true },
			{ podId: NOT_A_UUID, userId: pod.users.teacher, teacherOfRecord: true, remote: true }
		]
	},
	'staff.addToPod': {
		role: 'admin',
		inputs: (pod) => {
			const fine = { podId: pod.podId, name: 'Noor Haddad', email: 'noor@demo.school', role: 'teacher' };
			return [
				{ ...fine, role: undefined },
				{ ...fine, role: 'boss' },
				{ ...fine, role: 'aide' },
				{ ...fine, podId: NOT_A_UUID },
				{ ...fine, name: ' ' },
				{ ...fine, email: 'noor at school' }
			];
		}
	},
	...Object.fromEntries(
		['staff.putOnPod', 'staff.setRole'].map((path) => [
			path,
			{
				role: 'admin' as const,
				inputs: (pod: TestPod) => [
					{ podId: pod.podId, userId: pod.users.teacher },
					{ podId: pod.podId, userId: NOT_A_UUID, role: 'teacher' },
					{ podId: pod.podId, userId: pod.users.teacher, role: 'admin' },
					{ podId: NOT_A_UUID, userId: pod.users.teacher, role: 'lead' }
				]
			}
		])
	),
	'staff.removeFromPod': {
		role: 'admin',
		inputs: (pod) => [
			{ podId: pod.podId },
			{ podId: pod.podId, userId: NOT_A_UUID },
			{ podId: pod.podId, userId: [pod.users.teacher] }
		]
	},
	'staff.moveToPod': {
		role: 'admin',
		inputs: (pod) => {
			const fine = {
				fromPodId: pod.podId,
				toPodId: pod.otherPodId,
				userId: pod.users.teacher,
				role: 'teacher'
			};
			return [
				{ ...fine, toPodId: undefined },
				{ ...fine, toPodId: NOT_A_UUID },
				{ ...fine, userId: huge },
				{ ...fine, role: 'observer' }
			];
		}
	},
	...Object.fromEntries(
		['staff.invite', 'staff.deactivate', 'staff.reactivate'].map((path) => [
			path,
			{
				role: 'admin' as const,
				inputs: (pod: TestPod) => [undefined, {}, { userId: NOT_A_UUID }, { userId: [pod.users.teacher] }]
			}
		])
	),
	'staff.setAdmin': {
		role: 'admin',
		inputs: (pod) => [
			{ userId: pod.users.teacher },
			{ userId: pod.users.teacher, isAdmin: 'yes' },
			{ userId: NOT_A_UUID, isAdmin: true }
		]
	},
	'auth.invitation': {
		role: 'anonymous',
		inputs: () => [undefined, {}, { token: '' }, { token: huge }, { token: 42 }]
	},
	'auth.acceptInvitation': {
		role: 'anonymous',
		inputs: () => {
			const fine = { token: 'x'.repeat(43), password: 'a long enough password' };
			return [
				{},
				{ ...fine, password: undefined },
				{ ...fine, password: 'short' },
				{ ...fine, password: huge },
				{ ...fine, token: '' },
				{ ...fine, token: huge }
			];
		}
	},
	'auth.changePassword': {
		role: 'teacher',
		inputs: () => [
			{},
			{ currentPassword: '', newPassword: 'a long enough password' },
			{ currentPassword: 'podboard-demo', newPassword: 'short' },
			{ currentPassword: 'podboard-demo', newPassword: huge },
			{ currentPassword: huge, newPassword: 'a long enough password' },
			// Well-formed, but the same password again: refused before anything is counted.
			{ currentPassword: 'a long enough password', newPassword: 'a long enough password' }
		]
	},
	'auth.requestPasswordReset': {
		role: 'anonymous',
		inputs: () => [undefined, {}, { email: '' }, { email: 'nobody' }, { email: huge }, { email: ['a@b.c'] }]
	},
	'audit.list': {
		role: 'lead',
		inputs: (pod) => [
			undefined,
			{ podId: pod.podId, action: "raise' OR 1=1" },
			{ podId: pod.podId, actorId: 'lead' },
			{ podId: pod.podId, before: 'yesterday' },
			{ podId: pod.podId, limit: 501 },
			{ podId: pod.podId, limit: 0 }
		]
	}
};

const procedures = listProcedures();

let pod: TestPod;
beforeAll(async () => {
	pod = await createTestPod();
});
afterAll(() => pod.db.destroy());

describe('bad input', () => {
	it.each(procedures.filter((p) => p.takesInput).map(({ path }) => [path]))(
		'%s has bad inputs listed in this test',
		(path) => {
			expect(BAD_INPUTS[path], `add bad inputs for ${path}`).toBeDefined();
		}
	);

	it.each(Object.entries(BAD_INPUTS))(
		'%s answers BAD_REQUEST and changes nothing',
		async (path, { role, inputs }) => {
			const caller = await callerAs(pod, role);
			const { call } = procedures.find((p) => p.path === path)!;
			const before = await databaseDigest(pod.db);
			for (const input of inputs(pod)) {
				const error = await call(caller, input).then(
					() => null,
					(e: unknown) => e
				);
				expect(error, JSON.stringify(input)?.slice(0, 80)).toBeInstanceOf(TRPCError);
				expect((error as TRPCError).code).toBe('BAD_REQUEST');
			}
			expect(await databaseDigest(pod.db)).toBe(before);
		}
	);
});
