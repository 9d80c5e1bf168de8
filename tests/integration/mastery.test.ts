// Mastery per student × skill, over time: evidence is stored with the work it comes from (a check's
// tagged items, a marked score), counted by the pod's rules, and read into the Skills report (this
// week against last) and a student's trends; it stays in its pod and goes with an erase.
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weekBeginning } from '../../src/lib/server/mastery/mastery';
import { readReportCell, summarizeReport } from '../../src/lib/mastery/report-cell';
import { DEFAULT_MASTERY_THRESHOLDS, masteryOf } from '../../src/lib/mastery/model';
import { latestSeq, podEventsSince } from '../../src/lib/server/live/log';
import { SKILLS_CSV_HEADER } from '../../src/lib/server/mastery/csv';
import { callerAs, createTestPod, type TestPod } from '../support/pod';
import { FIVE_QUESTIONS, RIGHT_ANSWERS, checkedAssignment } from '../support/checks';
import { freshActivity, freshAssignment } from '../support/playlists';

let pod: TestPod;
beforeAll(async () => {
	pod = await createTestPod();
});
afterAll(() => pod.db.destroy());

let made = 0;
/** A new skill on the pod's list. */
async function freshSkill(podId = pod.podId) {
	const id = randomUUID();
	const code = `M.${++made}.${id.slice(0, 4)}`;
	await pod.db
		.insertInto('skills')
		.values({ id, pod_id: podId, code, name: `Mastery test skill ${made}`, subject: 'math', grade: 5 })
		.execute();
	return { id, code };
}

const evidenceOf = (studentId: string, skillId: string) =>
	pod.db
		.selectFrom('skill_evidence')
		.select(['percent', 'source'])
		.where('student_id', '=', studentId)
		.where('skill_id', '=', skillId)
		.orderBy('occurred_at')
		.execute();

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

/**
 * A teacher marks the student's work on an assessment that practises `skillId`: `score` of 10.
 * A mark takes the server's clock; one from an earlier day is moved there in the database.
 */
async function mark(studentId: string, skillId: string, score: number, occurredAt?: string) {
	const activity = await freshActivity(pod, { kind: 'assessment', skillId });
	const item = await freshAssignment(pod, studentId, { activity });
	await (
		await callerAs(pod, 'teacher')
	).progress.setScore({ podId: pod.podId, assignmentId: item.id, score });
	if (occurredAt)
		await pod.db
			.updateTable('skill_evidence')
			.set({ occurred_at: occurredAt })
			.where('assignment_id', '=', item.id)
			.execute();
	return item;
}

describe('evidence of a skill', () => {
	it('comes from a check’s items by their skill tags, once however often the submission is retried', async () => {
		const [fractions, evens] = [await freshSkill(), await freshSkill()];
		const check = structuredClone(FIVE_QUESTIONS);
		check.items[0].skills = [fractions.code];
		check.items[1].skills = [evens.code, fractions.code];
		check.items[2].skills = [fractions.code];
		const item = await checkedAssignment(pod, pod.users.student, check);
		const student = await callerAs(pod, 'student');
		const answers = [...RIGHT_ANSWERS];
		answers[1] = [0]; // the even numbers missed: one of fractions' three items, evens' only one
		const submission = {
			submissionId: randomUUID(),
			assignmentId: item.id,
			answers,
			occurredAt: new Date().toISOString()
		};
		await Promise.all([student.checks.submit(submission), student.checks.submit(submission)]);

		expect(await evidenceOf(pod.users.student, fractions.id)).toEqual([
			{ percent: (2 / 3) * 100, source: 'checked' }
		]);
		expect(await evidenceOf(pod.users.student, evens.id)).toEqual([{ percent: 0, source: 'checked' }]);
		const { trends } = await (
			await callerAs(pod, 'teacher')
		).mastery.trends({ podId: pod.podId, studentId: pod.users.student });
		expect(trends.find((t) => t.skill.id === fractions.id)?.now).toEqual({
			percent: 67,
			level: 'proficient',
			results: 1
		});
		expect(trends.find((t) => t.skill.id === evens.id)?.now.level).toBe('not_yet');
	});

	it('comes from a marked score on an activity that practises the skill; a typed one counts only where the pod says', async () => {
		const skill = await freshSkill();
		await mark(pod.users.student, skill.id, 9);
		const typed = await freshAssignment(pod, pod.users.student, {
			activity: await freshActivity(pod, { kind: 'assessment', skillId: skill.id })
		});
		await (
			await callerAs(pod, 'student')
		).progress.record({
			events: [
				{ eventId: randomUUID(), assignmentId: typed.id, kind: 'submit', score: 3, occurredAt: daysAgo(0) }
			]
		});
		expect(await evidenceOf(pod.users.student, skill.id)).toEqual([
			{ percent: 90, source: 'teacher' },
			{ percent: 30, source: 'self' }
		]);
		const teacher = await callerAs(pod, 'teacher');
		const trend = async () =>
			(await teacher.mastery.trends({ podId: pod.podId, studentId: pod.users.student })).trends.find(
				(t) => t.skill.id === skill.id
			)?.now;
		expect(await trend()).toEqual({ percent: 90, level: 'mastered', results: 1 });
		// The report (and the board) read the mastery kept beside the evidence: the same.
		const reported = async () => {
			const report = await teacher.mastery.report({ podId: pod.podId });
			return readReportCell(
				report.cells[report.students.findIndex((s) => s.id === pod.users.student)][
					report.skills.findIndex((k) => k.id === skill.id)
				],
				report.rules.thresholds
			).now;
		};
		expect(await reported()).toEqual({ percent: 90, level: 'mastered', results: 1 });

		const lead = await callerAs(pod, 'lead');
		const thresholds = await lead.flags.thresholds({ podId: pod.podId });
		await lead.flags.setThresholds({
			podId: pod.podId,
			thresholds: { ...thresholds, selfReportedScoresCount: true }
		});
		try {
			expect(await trend()).toEqual({ percent: 60, level: 'practicing', results: 2 });
			expect(await reported()).toEqual({ percent: 60, level: 'practicing', results: 2 });
		} finally {
			await lead.flags.setThresholds({ podId: pod.podId, thresholds });
		}
		expect(await reported()).toEqual({ percent: 90, level: 'mastered', results: 1 });
	});

	it('of a Done the student takes back is taken back with it', async () => {
		const skill = await freshSkill();
		const item = await freshAssignment(pod, pod.users.student, {
			activity: await freshActivity(pod, { kind: 'assessment', skillId: skill.id })
		});
		const student = await callerAs(pod, 'student');
		await student.progress.record({
			events: [
				{ eventId: randomUUID(), assignmentId: item.id, kind: 'submit', score: 8, occurredAt: daysAgo(0) }
			]
		});
		expect(await evidenceOf(pod.users.student, skill.id)).toHaveLength(1);
		await student.progress.record({
			events: [{ eventId: randomUUID(), assignmentId: item.id, kind: 'undo_submit', occurredAt: daysAgo(0) }]
		});
		expect(await evidenceOf(pod.users.student, skill.id)).toEqual([]);
	});
});

describe('the kept mastery', () => {
	it('agrees with the model over the evidence when 20 marks and submissions for one student arrive at once', async () => {
		const skill = await freshSkill();
		const items = await Promise.all(
			Array.from({ length: 20 }, async () =>
				freshAssignment(pod, pod.classmateId, {
					activity: await freshActivity(pod, { kind: 'assessment', skillId: skill.id })
				})
			)
		);
		const teacher = await callerAs(pod, 'teacher');
		await Promise.all(
			items.map((item, i) =>
				teacher.progress.setScore({ podId: pod.podId, assignmentId: item.id, score: i % 11 })
			)
		);
		const evidence = await pod.db
			.selectFrom('skill_evidence')
			.select(['percent', 'source', 'occurred_at as at'])
			.where('student_id', '=', pod.classmateId)
			.where('skill_id', '=', skill.id)
			.execute();
		expect(evidence).toHaveLength(20);
		const kept = await pod.db
			.selectFrom('skill_mastery')
			.select(['percent', 'results'])
			.where('student_id', '=', pod.classmateId)
			.where('skill_id', '=', skill.id)
			.execute();
		const model = masteryOf(evidence, { selfReportedCounts: false, thresholds: DEFAULT_MASTERY_THRESHOLDS });
		expect(kept).toEqual([{ percent: model!.percent, results: 20 }]);
	});
});

describe('the board', () => {
	it('reads each student’s mastery with the heatmap, and hears it change with the work', async () => {
		const skill = await freshSkill();
		const seq = await latestSeq(pod.db, pod.podId);
		await mark(pod.users.student, skill.id, 6);
		const heard = (await podEventsSince(pod.db, pod.podId, seq)).filter((e) => e.kind === 'progress');
		expect(heard.at(-1)?.payload).toMatchObject({
			mastery: [{ studentId: pod.users.student, skills: { [skill.id]: 60 } }]
		});
		const board = await (await callerAs(pod, 'lead')).dashboard.heatmap({ podId: pod.podId });
		const row = board.students.findIndex((s) => s.id === pod.users.student);
		const column = board.skills.findIndex((k) => k.id === skill.id);
		expect(board.mastery[row][column]).toBe(60);
		expect(board.mastery[board.students.findIndex((s) => s.id === pod.classmateId)][column]).toBeNull();
		expect(board.masteryThresholds).toEqual({ practicing: 40, proficient: 65, mastered: 80 });
	});

	it('is told to read mastery again when the lead moves its levels, and not when nothing of it changed', async () => {
		const lead = await callerAs(pod, 'lead');
		const thresholds = await lead.flags.thresholds({ podId: pod.podId });
		const rulesChanged = async (change: () => Promise<unknown>) => {
			const seq = await latestSeq(pod.db, pod.podId);
			await change();
			return (await podEventsSince(pod.db, pod.podId, seq)).filter((e) => e.kind === 'mastery.rulesChanged')
				.length;
		};
		try {
			expect(
				await rulesChanged(() =>
					lead.flags.setThresholds({
						podId: pod.podId,
						thresholds: { ...thresholds, masteryLevels: { practicing: 30, proficient: 60, mastered: 90 } }
					})
				)
			).toBe(1);
			expect(
				await rulesChanged(() =>
					lead.flags.setThresholds({
						podId: pod.podId,
						thresholds: {
							...thresholds,
							idleMinutes: thresholds.idleMinutes + 1,
							masteryLevels: { practicing: 30, proficient: 60, mastered: 90 }
						}
					})
				)
			).toBe(0);
			await expect(
				lead.flags.setThresholds({
					podId: pod.podId,
					thresholds: { ...thresholds, masteryLevels: { practicing: 70, proficient: 60, mastered: 90 } }
				})
			).rejects.toThrow(/Mastery levels go up/);
		} finally {
			await lead.flags.setThresholds({ podId: pod.podId, thresholds });
		}
	});
});

describe('the Skills report', () => {
	it('shows each level now and as last week ended, and who moved up or slipped', async () => {
		const skill = await freshSkill();
		const { timezone } = await pod.db
			.selectFrom('pods')
			.select('timezone')
			.where('id', '=', pod.podId)
			.executeTakeFirstOrThrow();
		const lastWeek = new Date(
			weekBeginning(new Date(), timezone).at.getTime() - 3 * 86_400_000
		).toISOString();
		// Before this week: Ada (the student) at 30 (not yet), Ben (the classmate) at 100 (mastered).
		await mark(pod.users.student, skill.id, 3, lastWeek);
		await mark(pod.classmateId, skill.id, 10, lastWeek);
		// This week: Ada 90 and 100 (mean of three: 73, proficient), Ben 0 and 0 (33: not yet).
		await mark(pod.users.student, skill.id, 9);
		await mark(pod.users.student, skill.id, 10);
		await mark(pod.classmateId, skill.id, 0);
		await mark(pod.classmateId, skill.id, 0);

		const report = await (await callerAs(pod, 'teacher')).mastery.report({ podId: pod.podId });
		const summary = summarizeReport(report);
		const column = report.skills.findIndex((s) => s.id === skill.id);
		expect(column).toBeGreaterThanOrEqual(0);
		const row = (studentId: string) =>
			readReportCell(
				report.cells[report.students.findIndex((s) => s.id === studentId)][column],
				report.rules.thresholds
			);
		expect(row(pod.users.student)).toEqual({
			now: { percent: 73, level: 'proficient', results: 3 },
			lastWeek: 'not_yet'
		});
		expect(row(pod.classmateId)).toEqual({
			now: { percent: 33, level: 'not_yet', results: 3 },
			lastWeek: 'mastered'
		});
		const studentName = report.students.find((s) => s.id === pod.users.student)!.name;
		const classmateName = report.students.find((s) => s.id === pod.classmateId)!.name;
		expect(summary.movedUp).toContainEqual({
			student: studentName,
			skill: skill.code,
			from: 'not_yet',
			to: 'proficient'
		});
		expect(summary.slipped).toContainEqual({
			student: classmateName,
			skill: skill.code,
			from: 'mastered',
			to: 'not_yet'
		});
		// Every student × skill cell is counted once a week.
		const cells = report.students.length * report.skills.length;
		expect(summary.distribution.reduce((sum, d) => sum + d.thisWeek, 0)).toBe(cells);
		expect(summary.distribution.reduce((sum, d) => sum + d.lastWeek, 0)).toBe(cells);
	});

	it('narrows to a grade, and a skill with no evidence among those students is left out', async () => {
		const skill = await freshSkill();
		await mark(pod.users.student, skill.id, 10);
		const teacher = await callerAs(pod, 'teacher');
		const whole = await teacher.mastery.report({ podId: pod.podId });
		const grade = whole.students.find((s) => s.id === pod.users.student)!.grade;
		const other = whole.grades.find((g) => g !== grade)!;
		const theirs = await teacher.mastery.report({ podId: pod.podId, grade });
		expect(theirs.students.every((s) => s.grade === grade)).toBe(true);
		expect(theirs.skills.map((s) => s.id)).toContain(skill.id);
		const others = await teacher.mastery.report({ podId: pod.podId, grade: other });
		expect(others.students.some((s) => s.id === pod.users.student)).toBe(false);
		expect(others.skills.map((s) => s.id)).not.toContain(skill.id);
	});

	it('stays in its pod: another pod’s report and teacher see none of it', async () => {
		const skill = await freshSkill();
		await mark(pod.users.student, skill.id, 10);
		const other = await callerAs(pod, 'otherPodTeacher');
		await expect(other.mastery.report({ podId: pod.podId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		const theirs = await (await callerAs(pod, 'admin')).mastery.report({ podId: pod.otherPodId });
		expect(theirs.skills.map((s) => s.id)).not.toContain(skill.id);
		expect(theirs.students.map((s) => s.id)).not.toContain(pod.users.student);
		// Asked through another pod, a student's trends hold nothing of this pod's evidence.
		const through = await (
			await callerAs(pod, 'admin')
		).mastery.trends({ podId: pod.otherPodId, studentId: pod.users.student });
		expect(through.trends).toEqual([]);
		await expect(
			other.mastery.trends({ podId: pod.podId, studentId: pod.users.student })
		).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});

	it('downloads as CSV, one row per student × skill, and the download is audited', async () => {
		const skill = await freshSkill();
		await mark(pod.users.student, skill.id, 10);
		const file = await (await callerAs(pod, 'teacher')).mastery.reportCsv({ podId: pod.podId });
		const rows: string[][] = parse(file.body.replace(/^\uFEFF/, ''));
		expect(rows[0]).toEqual([...SKILLS_CSV_HEADER]);
		const mine = rows.find((r) => r[3] === skill.code && r[6] !== '');
		expect(mine?.slice(5, 8)).toEqual(['mastered', '100', '1']);
		expect(rows.length - 1).toBe(file.count);
		const audited = await pod.db
			.selectFrom('audit_log')
			.select(['action', 'entity'])
			.where('entity', '=', 'pod_skills')
			.execute();
		expect(audited).toContainEqual({ action: 'export', entity: 'pod_skills' });
	});
});

describe('a student’s data request', () => {
	it('holds their evidence of each skill', async () => {
		const skill = await freshSkill();
		await mark(pod.classmateId, skill.id, 7);
		expect(await evidenceOf(pod.classmateId, skill.id)).toHaveLength(1);
		const everything = await (
			await callerAs(pod, 'lead')
		).studentData.everything({ podId: pod.podId, studentId: pod.classmateId });
		expect(everything.skillEvidence.some((e) => e.skill_code === skill.code)).toBe(true);
	});
});
