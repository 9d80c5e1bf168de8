import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/server/ids';
import type { LibraryActivity } from '../../src/lib/server/library/activities';
import { callerAs, createTestPod, databaseDigest, type TestPod } from '../support/pod';
import { answerOf } from '../support/outcomes';

// The activity library through the API, as the pod's team uses it.

let pod: TestPod;
let teacher: Awaited<ReturnType<typeof callerAs>>;
beforeAll(async () => {
	pod = await createTestPod();
	teacher = await callerAs(pod, 'teacher');
});
afterAll(() => pod.db.destroy());

let made = 0;
/** A valid new activity; each call gets a title no other test uses. */
const newActivity = (overrides: Record<string, unknown> = {}) => ({
	podId: pod.podId,
	title: `Library test activity ${++made}`,
	subject: 'math' as const,
	kind: 'practice' as const,
	skillIds: [] as string[],
	gradeLow: 4,
	gradeHigh: 5,
	estimatedMinutes: 20,
	resourceUrl: null as string | null,
	maxScore: null as number | null,
	...overrides
});

const skillId = async (code: string) =>
	(
		await pod.db
			.selectFrom('skills')
			.select('id')
			.where('pod_id', '=', pod.podId)
			.where('code', '=', code)
			.executeTakeFirstOrThrow()
	).id;

const activityId = async (title: string) =>
	(
		await pod.db
			.selectFrom('activities')
			.select('id')
			.where('pod_id', '=', pod.podId)
			.where('title', '=', title)
			.executeTakeFirstOrThrow()
	).id;

const auditFor = (entityId: string) =>
	pod.db
		.selectFrom('audit_log')
		.select(['action', 'entity', 'actor_id', 'pod_id', 'detail'])
		.where('entity_id', '=', entityId)
		.orderBy('at')
		.execute();

const titles = (activities: LibraryActivity[]) => activities.map((activity) => activity.title);

describe('an activity from creation to archive and back', () => {
	it('is created, read, edited, archived and restored, with an audit entry for each step', async () => {
		const fractions = await skillId('4.NF.1');
		const input = newActivity({
			title: 'Exit ticket: equivalent fractions',
			kind: 'assessment',
			skillIds: [fractions],
			gradeLow: 4,
			gradeHigh: 4,
			estimatedMinutes: 10,
			resourceUrl: 'https://example.org/math/exit-ticket',
			maxScore: 5
		});
		const created = await teacher.library.createActivity(input);
		expect(created).toMatchObject({
			title: 'Exit ticket: equivalent fractions',
			subject: 'math',
			kind: 'assessment',
			gradeLow: 4,
			gradeHigh: 4,
			estimatedMinutes: 10,
			resourceUrl: 'https://example.org/math/exit-ticket',
			maxScore: 5,
			archivedAt: null,
			studentsAssigned: 0,
			skills: [{ id: fractions, code: '4.NF.1', name: 'Equivalent fractions' }]
		});
		expect(await teacher.library.activity({ podId: pod.podId, activityId: created.id })).toEqual(created);

		const edited = await teacher.library.updateActivity({
			...input,
			activityId: created.id,
			title: 'Exit ticket: fractions',
			skillIds: []
		});
		expect(edited).toMatchObject({ title: 'Exit ticket: fractions', skills: [], maxScore: 5 });

		const archived = await teacher.library.archiveActivity({ podId: pod.podId, activityId: created.id });
		expect(archived.archivedAt).not.toBeNull();
		const active = await teacher.library.activities({ podId: pod.podId });
		expect(titles(active)).not.toContain('Exit ticket: fractions');
		const inArchive = await teacher.library.activities({ podId: pod.podId, archived: 'archived' });
		expect(titles(inArchive)).toContain('Exit ticket: fractions');

		const restored = await teacher.library.restoreActivity({ podId: pod.podId, activityId: created.id });
		expect(restored.archivedAt).toBeNull();
		expect(titles(await teacher.library.activities({ podId: pod.podId }))).toContain(
			'Exit ticket: fractions'
		);

		const entries = await auditFor(created.id);
		expect(entries.map((entry) => [entry.action, entry.entity])).toEqual([
			['create', 'activity'],
			['update', 'activity'],
			['archive', 'activity'],
			['restore', 'activity']
		]);
		expect(entries.every((entry) => entry.actor_id === pod.users.teacher && entry.pod_id === pod.podId)).toBe(
			true
		);
		expect(JSON.parse(entries[1].detail).changes).toEqual({
			title: { from: 'Exit ticket: equivalent fractions', to: 'Exit ticket: fractions' },
			skills: { from: ['4.NF.1'], to: [] }
		});
	});

	it('answers an update that changes nothing, and audits it as no change', async () => {
		const input = newActivity();
		const created = await teacher.library.createActivity(input);
		const same = await teacher.library.updateActivity({ ...input, activityId: created.id });
		expect(same).toEqual(created);
		const entries = await auditFor(created.id);
		expect(JSON.parse(entries.at(-1)!.detail)).toEqual({ title: input.title, changes: {} });
	});

	it('archives twice and restores twice without complaint', async () => {
		const { id } = await teacher.library.createActivity(newActivity());
		const first = await teacher.library.archiveActivity({ podId: pod.podId, activityId: id });
		const second = await teacher.library.archiveActivity({ podId: pod.podId, activityId: id });
		expect(second.archivedAt).toBe(first.archivedAt);
		await teacher.library.restoreActivity({ podId: pod.podId, activityId: id });
		expect(
			(await teacher.library.restoreActivity({ podId: pod.podId, activityId: id })).archivedAt
		).toBeNull();
	});

	it('counts the students who have an activity on their playlist', async () => {
		const id = await activityId('Fractions practice 1');
		const assigned = await pod.db
			.selectFrom('assignments')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('activity_id', '=', id)
			.executeTakeFirstOrThrow();
		expect(Number(assigned.n)).toBeGreaterThan(0);
		expect((await teacher.library.activity({ podId: pod.podId, activityId: id })).studentsAssigned).toBe(
			Number(assigned.n)
		);
	});
});

describe('archiving never deletes history', () => {
	it('keeps every assignment and progress event of an archived activity', async () => {
		const id = await activityId('Quiz: equivalent fractions');
		const history = async () => ({
			assignments: await pod.db.selectFrom('assignments').selectAll().where('activity_id', '=', id).execute(),
			events: await pod.db
				.selectFrom('progress_events')
				.innerJoin('assignments', 'assignments.id', 'progress_events.assignment_id')
				.selectAll('progress_events')
				.where('assignments.activity_id', '=', id)
				.execute()
		});
		const before = await history();
		expect(before.assignments.length).toBeGreaterThan(0);
		expect(before.events.length).toBeGreaterThan(0);

		await teacher.library.archiveActivity({ podId: pod.podId, activityId: id });
		expect(await history()).toEqual(before);
		const archived = await teacher.library.activity({ podId: pod.podId, activityId: id });
		expect(archived.studentsAssigned).toBe(before.assignments.length);
		await teacher.library.restoreActivity({ podId: pod.podId, activityId: id });
	});

	it('counts only unarchived activities per skill, and still refuses to delete a skill archived ones use', async () => {
		const skill = await skillId('MS-ESS1-1');
		const count = async () =>
			(await teacher.library.skills({ podId: pod.podId })).find((s) => s.id === skill)!;
		const before = await count();
		expect(before).toMatchObject({ code: 'MS-ESS1-1', activityCount: 2, archivedActivityCount: 0 });

		const ids = await Promise.all(['Moon phases journal', 'Quiz: moon phases'].map(activityId));
		for (const id of ids) await teacher.library.archiveActivity({ podId: pod.podId, activityId: id });
		expect(await count()).toMatchObject({ activityCount: 0, archivedActivityCount: 2 });
		const refused = await answerOf(teacher.library.deleteSkill({ podId: pod.podId, skillId: skill }));
		expect(refused).toEqual({
			code: 'CONFLICT',
			message: 'Skill MS-ESS1-1 is used by 2 activities; take it off them before deleting it.'
		});
		for (const id of ids) await teacher.library.restoreActivity({ podId: pod.podId, activityId: id });
	});
});

describe('finding activities', () => {
	let all: LibraryActivity[];
	beforeAll(async () => {
		all = await teacher.library.activities({ podId: pod.podId, archived: 'all' });
	});

	// Each filter against the same rule written as a plain predicate over the whole library.
	const has = (code: string) => (a: LibraryActivity) => a.skills.some((skill) => skill.code === code);
	it.each([
		[
			'title words, any case',
			{ search: 'FRACTION STRIPS' },
			(a: LibraryActivity) => /fraction strips/i.test(a.title)
		],
		[
			'a skill code',
			{ search: '4.nf.1' },
			(a: LibraryActivity) => has('4.NF.1')(a) || a.title.toLowerCase().includes('4.nf.1')
		],
		[
			'a skill name',
			{ search: 'theme and summary' },
			(a: LibraryActivity) =>
				/theme and summary/i.test(a.title) || a.skills.some((s) => /theme and summary/i.test(s.name))
		],
		['% is a letter, not a wildcard', { search: '%' }, (a: LibraryActivity) => a.title.includes('%')],
		['_ is a letter, not a wildcard', { search: 'a_e' }, (a: LibraryActivity) => a.title.includes('a_e')],
		['subject', { subject: 'science' as const }, (a: LibraryActivity) => a.subject === 'science'],
		['grade band containing 6', { grade: 6 }, (a: LibraryActivity) => a.gradeLow <= 6 && 6 <= a.gradeHigh],
		['grade band containing 4', { grade: 4 }, (a: LibraryActivity) => a.gradeLow <= 4 && 4 <= a.gradeHigh],
		['kind', { kind: 'assessment' as const }, (a: LibraryActivity) => a.kind === 'assessment'],
		[
			'subject, kind and grade together',
			{ subject: 'reading' as const, kind: 'lesson' as const, grade: 5 },
			(a: LibraryActivity) =>
				a.subject === 'reading' && a.kind === 'lesson' && a.gradeLow <= 5 && 5 <= a.gradeHigh
		]
	])('by %s', async (_name, filters, expected) => {
		const found = await teacher.library.activities({ podId: pod.podId, archived: 'all', ...filters });
		expect(titles(found)).toEqual(titles(all.filter(expected)));
	});

	it('by skill', async () => {
		const found = await teacher.library.activities({ podId: pod.podId, skillId: await skillId('5.NF.1') });
		expect(titles(found).sort()).toEqual([
			'Adding unlike fractions with area models',
			'Fractions practice 2',
			'Fractions practice 3',
			'Quiz: adding fractions'
		]);
	});

	it('finds an activity by a skill name that is not in its title', async () => {
		const found = await teacher.library.activities({ podId: pod.podId, search: 'theme and summary' });
		expect(titles(found)).toContain('Summarizing a story');
	});

	describe('by archived state', () => {
		let active: string;
		let archived: string;
		beforeAll(async () => {
			active = (await teacher.library.createActivity(newActivity({ subject: 'social_studies' }))).title;
			const old = await teacher.library.createActivity(newActivity({ subject: 'social_studies' }));
			await teacher.library.archiveActivity({ podId: pod.podId, activityId: old.id });
			archived = old.title;
		});

		it.each([
			['active', true, false],
			['archived', false, true],
			['all', true, true]
		] as const)('shows %s activities', async (view, showsActive, showsArchived) => {
			const found = await teacher.library.activities({
				podId: pod.podId,
				archived: view,
				subject: 'social_studies'
			});
			expect(titles(found).includes(active)).toBe(showsActive);
			expect(titles(found).includes(archived)).toBe(showsArchived);
			expect(found.every((a) => (a.archivedAt === null ? showsActive : showsArchived))).toBe(true);
		});

		it('shows active activities when no view is named', async () => {
			const found = await teacher.library.activities({ podId: pod.podId, subject: 'social_studies' });
			expect(titles(found)).toEqual([active]);
		});
	});

	it('never shows another pod’s activities', async () => {
		const south = await callerAs(pod, 'otherPodTeacher');
		const theirs = await south.library.createActivity(
			newActivity({ podId: pod.otherPodId, title: 'Pod South only', gradeLow: 7, gradeHigh: 8 })
		);
		const ours = await teacher.library.activities({ podId: pod.podId, archived: 'all' });
		expect(ours.map((a) => a.id)).not.toContain(theirs.id);
		expect(ours.length).toBeGreaterThanOrEqual(41);
	});
});

describe('skills are a managed list per pod', () => {
	it('adds, renames and deletes an unused skill, each audited', async () => {
		const created = await teacher.library.createSkill({
			podId: pod.podId,
			code: 'W.4.1',
			name: 'Opinion writing',
			subject: 'writing',
			grade: 4
		});
		const listed = await teacher.library.skills({ podId: pod.podId });
		expect(listed.find((s) => s.id === created.id)).toMatchObject({ code: 'W.4.1', activityCount: 0 });

		const renamed = await teacher.library.updateSkill({
			podId: pod.podId,
			skillId: created.id,
			code: 'W.4.1',
			name: 'Opinion pieces',
			subject: 'writing',
			grade: 4
		});
		expect(renamed.name).toBe('Opinion pieces');
		await teacher.library.deleteSkill({ podId: pod.podId, skillId: created.id });
		expect((await teacher.library.skills({ podId: pod.podId })).map((s) => s.id)).not.toContain(created.id);

		const entries = await auditFor(created.id);
		expect(entries.map((entry) => [entry.action, entry.entity])).toEqual([
			['create', 'skill'],
			['update', 'skill'],
			['delete', 'skill']
		]);
		expect(JSON.parse(entries[1].detail).changes).toEqual({
			name: { from: 'Opinion writing', to: 'Opinion pieces' }
		});
	});

	it('lists skills by subject, grade and code', async () => {
		const skills = await teacher.library.skills({ podId: pod.podId });
		const keys = skills.map((s) => [s.subject, s.grade, s.code].join('|'));
		expect(keys).toEqual(
			[...skills]
				.sort((a, b) =>
					a.subject !== b.subject
						? a.subject < b.subject
							? -1
							: 1
						: a.grade - b.grade || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
				)
				.map((s) => [s.subject, s.grade, s.code].join('|'))
		);
		expect(skills.find((s) => s.code === '4.NF.1')).toMatchObject({ activityCount: 4 });
	});

	it.each([
		['the same code', '4.NF.1'],
		['the same code in other letters', '4.nf.1']
	])('refuses %s twice in one pod, and changes nothing', async (_name, code) => {
		const before = await databaseDigest(pod.db);
		const outcome = await answerOf(
			teacher.library.createSkill({ podId: pod.podId, code, name: 'Again', subject: 'math', grade: 4 })
		);
		expect(outcome).toEqual({ code: 'CONFLICT', message: "Skill code 4.NF.1 is already in this pod's list" });
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('refuses renaming a skill to a code the pod already has', async () => {
		const outcome = await answerOf(
			teacher.library.updateSkill({
				podId: pod.podId,
				skillId: await skillId('4.NF.7'),
				code: '4.NF.1',
				name: 'Comparing decimals',
				subject: 'math',
				grade: 4
			})
		);
		expect(outcome).toEqual({ code: 'CONFLICT', message: "Skill code 4.NF.1 is already in this pod's list" });
	});

	it('lets another pod use the same code', async () => {
		const south = await callerAs(pod, 'otherPodTeacher');
		const theirs = await south.library.createSkill({
			podId: pod.otherPodId,
			code: '4.NF.1',
			name: 'Equivalent fractions',
			subject: 'math',
			grade: 7
		});
		expect(theirs.code).toBe('4.NF.1');
	});

	it('refuses to delete a skill activities use, saying how many', async () => {
		const before = await databaseDigest(pod.db);
		const outcome = await answerOf(
			teacher.library.deleteSkill({ podId: pod.podId, skillId: await skillId('5.NF.1') })
		);
		expect(outcome).toEqual({
			code: 'CONFLICT',
			message: 'Skill 5.NF.1 is used by 4 activities; take it off them before deleting it.'
		});
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('keeps a skill an intervention group focuses on', async () => {
		const skill = await teacher.library.createSkill({
			podId: pod.podId,
			code: 'SL.5.1',
			name: 'Collaborative discussions',
			subject: 'reading',
			grade: 5
		});
		const now = new Date().toISOString();
		await pod.db
			.insertInto('intervention_groups')
			.values({
				id: newId(),
				pod_id: pod.podId,
				title: 'Discussion circle',
				focus_skill_id: skill.id,
				owner_id: null,
				planned_block_id: null,
				planned_on: null,
				outcome_note: null,
				created_by: pod.users.lead,
				created_at: now,
				updated_at: now
			})
			.execute();
		const outcome = await answerOf(teacher.library.deleteSkill({ podId: pod.podId, skillId: skill.id }));
		expect(outcome).toEqual({
			code: 'CONFLICT',
			message: 'Skill SL.5.1 is the focus of 1 intervention group, so it stays in the list.'
		});
	});
});

describe('refusals', () => {
	it('refuses skills from another pod by name, and changes nothing', async () => {
		const theirs = await pod.db
			.insertInto('skills')
			.values({
				id: newId(),
				pod_id: pod.otherPodId,
				code: 'RL.7.1',
				name: 'Citing evidence',
				subject: 'reading',
				grade: 7
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const existing = await activityId('Fractions practice 2');
		const before = await databaseDigest(pod.db);
		const ours = await skillId('4.NF.1');
		// One call at a time: a refusal that comes before its turn to be awaited would go unhandled.
		for (const call of [
			() => teacher.library.createActivity(newActivity({ skillIds: [ours, theirs.id] })),
			() =>
				teacher.library.updateActivity({ ...newActivity({ skillIds: [theirs.id] }), activityId: existing })
		]) {
			const outcome = await answerOf(call());
			expect(outcome.code).toBe('BAD_REQUEST');
			expect(outcome.message).toContain(theirs.id);
		}
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it.each([
		[
			'an assessment without a max score',
			{ kind: 'assessment', maxScore: null },
			'An assessment needs a max score'
		],
		['a javascript: link', { resourceUrl: 'javascript:alert(document.cookie)' }, 'must be a web address'],
		['a data: link', { resourceUrl: 'data:text/html,<script>alert(1)</script>' }, 'must be a web address'],
		['an empty title', { title: '   ' }, 'Give the activity a title'],
		['a title over 120 characters', { title: 'x'.repeat(121) }, '120 characters'],
		['grades the wrong way round', { gradeLow: 6, gradeHigh: 4 }, 'cannot be below the lowest grade'],
		['grade 13', { gradeHigh: 13 }, 'Highest grade must be a grade from K to 12'],
		['no minutes', { estimatedMinutes: 0 }, 'whole number from 1 to 240'],
		['a whole day', { estimatedMinutes: 241 }, 'whole number from 1 to 240'],
		['an unknown subject', { subject: 'art' }, 'Choose a subject'],
		['an unknown kind', { kind: 'homework' }, 'Choose a kind']
	])('refuses %s with a message for a person', async (_name, overrides, message) => {
		const before = await databaseDigest(pod.db);
		const outcome = await answerOf(teacher.library.createActivity(newActivity(overrides) as never));
		expect(outcome.code).toBe('BAD_REQUEST');
		expect(outcome.message).toContain(message);
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('keeps an empty resource link as none, and a max score on a practice', async () => {
		const created = await teacher.library.createActivity(newActivity({ resourceUrl: '', maxScore: 12 }));
		expect(created).toMatchObject({ resourceUrl: null, maxScore: 12 });
	});

	it.each(['skills', 'activities', 'createActivity', 'createSkill', 'archiveActivity'] as const)(
		'a teacher of another pod is refused library.%s',
		async (procedure) => {
			const south = await callerAs(pod, 'otherPodTeacher');
			const id = await activityId('Fractions practice 3');
			const inputs = {
				skills: { podId: pod.podId },
				activities: { podId: pod.podId },
				createActivity: newActivity(),
				createSkill: { podId: pod.podId, code: 'X.1', name: 'X', subject: 'math', grade: 4 },
				archiveActivity: { podId: pod.podId, activityId: id }
			};
			const call = south.library[procedure] as (input: unknown) => Promise<unknown>;
			const outcome = await answerOf(call(inputs[procedure]));
			expect(outcome).toEqual({ code: 'FORBIDDEN', message: 'You are not on the team of Pod North.' });
		}
	);

	it('answers NOT_FOUND for another pod’s activity or skill named through this pod', async () => {
		const south = await callerAs(pod, 'otherPodTeacher');
		const theirs = await south.library.createActivity(
			newActivity({ podId: pod.otherPodId, gradeLow: 7, gradeHigh: 8 })
		);
		const theirSkill = newId();
		await pod.db
			.insertInto('skills')
			.values({
				id: theirSkill,
				pod_id: pod.otherPodId,
				code: 'SL.8.1',
				name: 'Discussions',
				subject: 'reading',
				grade: 8
			})
			.execute();
		const before = await databaseDigest(pod.db);
		const outcomes = await Promise.all([
			answerOf(teacher.library.activity({ podId: pod.podId, activityId: theirs.id })),
			answerOf(teacher.library.updateActivity({ ...newActivity(), activityId: theirs.id })),
			answerOf(teacher.library.archiveActivity({ podId: pod.podId, activityId: theirs.id })),
			answerOf(teacher.library.restoreActivity({ podId: pod.podId, activityId: theirs.id })),
			answerOf(teacher.library.deleteSkill({ podId: pod.podId, skillId: theirSkill })),
			answerOf(
				teacher.library.updateSkill({
					podId: pod.podId,
					skillId: theirSkill,
					code: 'Z.1',
					name: 'Z',
					subject: 'math',
					grade: 4
				})
			)
		]);
		expect(outcomes.map((o) => o.code)).toEqual(Array(6).fill('NOT_FOUND'));
		expect(await databaseDigest(pod.db)).toBe(before);
	});
});
