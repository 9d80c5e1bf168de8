// The pod's Skills report (from the mastery kept beside the evidence, now and as the week began)
// and a student's skill trends (the model over their evidence, result by result).
import type { Db } from '../db';
import { packReportCell, type PackedReportCell } from '../../mastery/report-cell';
import { podRoster } from '../pods/queries';
import { evidenceOfPod } from './evidence';
import { keptMastery, masteryRulesOf, weekBeginning, type MasteryRules } from './mastery';
import { masteryHistory, type Mastery, type MasteryLevel } from '../../mastery/model';

async function podForMastery(db: Db, podId: string) {
	const pod = await db
		.selectFrom('pods')
		.select(['timezone', 'flag_thresholds'])
		.where('id', '=', podId)
		.executeTakeFirstOrThrow();
	return { timeZone: pod.timezone, rules: masteryRulesOf(pod.flag_thresholds) };
}

export interface SkillsReport {
	/** The local date this week began (a Monday). */
	weekOf: string;
	rules: MasteryRules;
	skills: { id: string; code: string; name: string; grade: number }[];
	students: { id: string; name: string; grade: number; cohort: string | null }[];
	/** The whole pod's grades and cohorts: what the report can be narrowed to. */
	grades: number[];
	cohorts: string[];
	/** Per student (in `students` order), per skill (in `skills` order): read each with readReportCell. */
	cells: PackedReportCell[][];
}

/**
 * Every skill the pod has evidence of × the pod's students (of one grade or cohort when asked),
 * with each level now and as last week ended.
 */
export async function skillsReport(
	db: Db,
	podId: string,
	filter: { grade?: number; cohort?: string } = {},
	now = new Date()
): Promise<SkillsReport> {
	const { timeZone, rules } = await podForMastery(db, podId);
	const week = weekBeginning(now, timeZone);
	const [roster, kept, allSkills] = await Promise.all([
		podRoster(db, podId),
		keptMastery(db, podId, rules.thresholds, week.date),
		db
			.selectFrom('skills')
			.select(['id', 'code', 'name', 'grade'])
			.where('pod_id', '=', podId)
			.orderBy('code')
			.execute()
	]);
	const students = roster.filter(
		(s) =>
			(filter.grade === undefined || s.grade === filter.grade) &&
			(filter.cohort === undefined || s.cohort === filter.cohort)
	);
	const evidenced = new Set<string>();
	for (const student of students) {
		for (const skillId of kept.get(student.id)?.keys() ?? []) evidenced.add(skillId);
	}
	const skills = allSkills.filter((s) => evidenced.has(s.id));
	const cells = students.map((student) =>
		skills.map((skill) => {
			const mastery = kept.get(student.id)?.get(skill.id);
			return packReportCell({ now: mastery?.now ?? null, lastWeek: mastery?.weekStart ?? null });
		})
	);
	return {
		weekOf: week.date,
		rules,
		skills,
		students,
		grades: [...new Set(roster.map((s) => s.grade))].sort((a, b) => a - b),
		cohorts: [...new Set(roster.flatMap((s) => (s.cohort ? [s.cohort] : [])))].sort(),
		cells
	};
}

export interface SkillTrend {
	skill: { id: string; code: string; name: string };
	now: Mastery;
	/** The mastery after each counted result, oldest first. */
	points: { at: string; result: number; percent: number; level: MasteryLevel }[];
}

/** A student's mastery of each skill they have evidence of, with how it got there; times read in the pod's zone. */
export async function skillTrends(
	db: Db,
	podId: string,
	studentId: string
): Promise<{ timeZone: string; trends: SkillTrend[] }> {
	const [{ timeZone, rules }, evidence, skills] = await Promise.all([
		podForMastery(db, podId),
		evidenceOfPod(db, podId, [studentId]),
		db
			.selectFrom('skills')
			.select(['id', 'code', 'name'])
			.where('pod_id', '=', podId)
			.orderBy('code')
			.execute()
	]);
	const bySkill = evidence.get(studentId) ?? new Map();
	const trends = skills.flatMap((skill) => {
		const history = masteryHistory(bySkill.get(skill.id) ?? [], rules);
		if (history.length === 0) return [];
		const last = history[history.length - 1];
		return [
			{
				skill,
				now: { percent: last.percent, level: last.level, results: last.results },
				points: history.map(({ at, result, percent, level }) => ({ at, result, percent, level }))
			}
		];
	});
	return { timeZone, trends };
}
