// What an adult saw on the floor: recorded by anyone on the team (support staff too), about a
// student and skills of the pod only; a contact with an adult, and on the huddle agenda.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coverageToday } from '../../src/lib/server/attendance/coverage';
import { huddleAgenda } from '../../src/lib/server/huddle/agenda';
import type { FlagRule } from '../../src/lib/domain';
import { evaluateFlags, openFlagCounts } from '../../src/lib/server/flags/engine';
import { writeWithEvents } from '../../src/lib/server/live/log';
import { recordObservation } from '../../src/lib/server/team/observations';
import { refusalOf } from '../support/outcomes';
import { callerAs, createTestPod, databaseDigest, SEED_NOW, type TestPod } from '../support/pod';

let pod: TestPod;
beforeAll(async () => {
	pod = await createTestPod();
});
afterAll(() => pod.db.destroy());

const skillOf = async (podId: string) =>
	await pod.db
		.selectFrom('skills')
		.select(['id', 'code'])
		.where('pod_id', '=', podId)
		.orderBy('code')
		.executeTakeFirstOrThrow();

describe('observations from the floor', () => {
	it('are recorded by support staff with a mark, a note and a skill; the student has had an adult today', async () => {
		const support = await callerAs(pod, 'support');
		const skill = await skillOf(pod.podId);
		const studentId = pod.users.student;
		expect((await coverageToday(pod.db, pod.podId)).notSeen.map((s) => s.studentId)).toContain(studentId);
		await support.team.observe({
			podId: pod.podId,
			studentId,
			mark: 'not_yet',
			note: 'Adds the denominators',
			skillIds: [skill.id]
		});
		await support.team.observe({ podId: pod.podId, studentId, mark: 'got_it', note: '', skillIds: [] });
		const seen = await support.team.observations({ podId: pod.podId, studentId });
		expect(seen.map((o) => [o.mark, o.note, o.by])).toEqual([
			['got_it', '', 'Rosa Delgado'],
			['not_yet', 'Adds the denominators', 'Rosa Delgado']
		]);
		expect(seen[1].skills).toEqual([skill]);
		const coverage = await coverageToday(pod.db, pod.podId);
		expect(coverage.notSeen.map((s) => s.studentId)).not.toContain(studentId);
		expect(coverage.seen.find((s) => s.studentId === studentId)?.contacts[0]).toMatchObject({
			kind: 'observation',
			by: 'Rosa Delgado'
		});
		// The huddle puts what was not yet got first.
		const agenda = await huddleAgenda(pod.db, pod.podId, { id: pod.users.lead, role: 'lead' });
		expect(agenda.observations.map((o) => o.mark)).toEqual(['not_yet', 'got_it']);
	});

	it('count as a teacher’s evidence on the skills they name: the student’s mastery moves', async () => {
		const lead = await callerAs(pod, 'lead');
		const skill = await skillOf(pod.podId);
		const studentId = pod.classmateId;
		const trendOf = async () =>
			(await lead.mastery.trends({ podId: pod.podId, studentId })).trends.find(
				(t) => t.skill.id === skill.id
			);
		const before = (await trendOf())?.points.length ?? 0;
		for (const mark of ['got_it', 'got_it', 'partly'] as const) {
			await lead.team.observe({ podId: pod.podId, studentId, mark, note: '', skillIds: [skill.id] });
		}
		const trend = await trendOf();
		expect(trend?.points.length).toBe(before + 3);
		expect(trend?.points.slice(-3).map((p) => p.result)).toEqual([100, 100, 50]);
		const kept = await pod.db
			.selectFrom('skill_mastery')
			.select(['percent'])
			.where('student_id', '=', studentId)
			.where('skill_id', '=', skill.id)
			.executeTakeFirstOrThrow();
		// The mean of the last three, (100 + 100 + 50) / 3, kept as a whole percent.
		expect(kept.percent).toBe(83);
	});

	it('refuse a student or a skill of another pod, changing nothing', async () => {
		const support = await callerAs(pod, 'support');
		const southSkill = randomUUID();
		await pod.db
			.insertInto('skills')
			.values({
				id: southSkill,
				pod_id: pod.otherPodId,
				code: 'S.7',
				name: 'South only',
				subject: 'math',
				grade: 7
			})
			.execute();
		const before = await databaseDigest(pod.db);
		expect(
			await refusalOf(
				support.team.observe({
					podId: pod.podId,
					studentId: pod.classmateId,
					mark: 'partly',
					note: '',
					skillIds: [southSkill]
				})
			)
		).toMatchObject({ code: 'NOT_FOUND', message: 'A skill named is not one of this pod’s.' });
		expect(
			await refusalOf(
				support.team.observe({
					podId: pod.podId,
					studentId: pod.users.lead,
					mark: 'partly',
					note: '',
					skillIds: []
				})
			)
		).toMatchObject({ code: 'NOT_FOUND', message: 'That student is not in this pod.' });
		expect(await databaseDigest(pod.db)).toBe(before);
	});
});

describe('the team’s own flag rules', () => {
	const seedPlus = (minutes: number) => new Date(SEED_NOW.getTime() + minutes * 60_000);
	const openOf = async (rule: FlagRule) =>
		(
			await pod.db
				.selectFrom('flags')
				.select('student_id')
				.where('pod_id', '=', pod.podId)
				.where('rule', '=', rule)
				.where('status', '=', 'open')
				.execute()
		).map((f) => f.student_id);
	const evaluate = (now: Date) =>
		writeWithEvents(pod.db, (trx, record) => evaluateFlags(trx, pod.podId, record, { now }));

	it('flag no adult contact once the lead turns it on; an observation clears it', async () => {
		const row = await pod.db
			.selectFrom('pods')
			.select('flag_thresholds')
			.where('id', '=', pod.podId)
			.executeTakeFirstOrThrow();
		expect(await openOf('no_contact')).toEqual([]);
		await pod.db
			.updateTable('pods')
			.set({
				flag_thresholds: JSON.stringify({
					...JSON.parse(row.flag_thresholds),
					noContactMinutes: 60,
					streakResults: 3
				})
			})
			.where('id', '=', pod.podId)
			.execute();
		await evaluate(seedPlus(1));
		const alone = await openOf('no_contact');
		// The demo's Wednesday afternoon: most of the room has had no adult since the bell.
		expect(alone.length).toBeGreaterThan(30);
		const [first] = alone;
		await writeWithEvents(pod.db, (trx, record) =>
			recordObservation(
				trx,
				{
					podId: pod.podId,
					studentId: first,
					byId: pod.users.support,
					mark: 'got_it',
					note: '',
					skillIds: []
				},
				record,
				seedPlus(2)
			)
		);
		await evaluate(seedPlus(3));
		expect(await openOf('no_contact')).not.toContain(first);
		const cleared = await pod.db
			.selectFrom('flags')
			.select('resolution_note')
			.where('student_id', '=', first)
			.where('rule', '=', 'no_contact')
			.executeTakeFirstOrThrow();
		expect(cleared.resolution_note).toMatch(/^Cleared by itself: an adult was with them at /);
	});

	it('counts a streak as good news: a flag to show, not one on the student’s row', async () => {
		const streaks = await openOf('on_streak');
		expect(streaks.length, 'the demo has students with three good results in a row').toBeGreaterThan(0);
		const counts = await openFlagCounts(pod.db, pod.podId, streaks);
		const all = await pod.db
			.selectFrom('flags')
			.select(['student_id', 'rule'])
			.where('pod_id', '=', pod.podId)
			.where('student_id', 'in', streaks)
			.where('status', 'in', ['open', 'grouped'])
			.execute();
		for (const id of streaks) {
			expect(counts[id]).toBe(all.filter((f) => f.student_id === id && f.rule !== 'on_streak').length);
		}
	});
});
