// The pod's Skills report and a student's skill trends: mastery (src/lib/mastery/model.ts) read
// from the evidence, now and as the week began.
import type { Db } from '../db';
import { readThresholds } from '../flags/thresholds';
import { localParts, zonedInstant } from '../pods/clock';
import { podRoster } from '../pods/queries';
import { evidenceOfPod } from './evidence';
import {
	MASTERY_LEVELS,
	masteryHistory,
	masteryOf,
	movement,
	type Mastery,
	type MasteryLevel,
	type MasteryThresholds
} from '../../mastery/model';

export interface MasteryRules {
	selfReportedCounts: boolean;
	thresholds: MasteryThresholds;
}

async function podForMastery(db: Db, podId: string) {
	const pod = await db
		.selectFrom('pods')
		.select(['timezone', 'flag_thresholds'])
		.where('id', '=', podId)
		.executeTakeFirstOrThrow();
	const thresholds = readThresholds(pod.flag_thresholds);
	const rules: MasteryRules = {
		selfReportedCounts: thresholds.selfReportedScoresCount,
		thresholds: thresholds.masteryLevels
	};
	return { timeZone: pod.timezone, rules };
}

/** Monday 00:00 of the pod's week holding `now`: where this week begins and last week ends. */
export function weekBeginning(now: Date, timeZone: string): { date: string; at: Date } {
	const { date, weekday } = localParts(now, timeZone);
	const [y, m, d] = date.split('-').map(Number);
	const monday = new Date(Date.UTC(y, m - 1, d + 1 - weekday)).toISOString().slice(0, 10);
	return { date: monday, at: zonedInstant(monday, '00:00', timeZone) };
}

export interface SkillsReportCell {
	/** Mastery now; null with no counted evidence. */
	now: Mastery | null;
	/** The level as last week ended. */
	lastWeek: MasteryLevel | null;
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
	/** Per student (in `students` order), per skill (in `skills` order). */
	cells: SkillsReportCell[][];
	/** How many student × skill cells are at each level, this week and as last week ended; `null`: no evidence yet. */
	distribution: { level: MasteryLevel | null; thisWeek: number; lastWeek: number }[];
	/** Students whose level of a skill rose, or fell, since last week ended. */
	movedUp: Movement[];
	slipped: Movement[];
}

export interface Movement {
	student: string;
	skill: string;
	from: MasteryLevel | null;
	to: MasteryLevel | null;
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
	const [{ timeZone, rules }, roster, evidence, allSkills] = await Promise.all([
		podForMastery(db, podId),
		podRoster(db, podId),
		evidenceOfPod(db, podId),
		db
			.selectFrom('skills')
			.select(['id', 'code', 'name', 'grade'])
			.where('pod_id', '=', podId)
			.orderBy('code')
			.execute()
	]);
	const week = weekBeginning(now, timeZone);
	const weekStart = week.at.toISOString();
	const students = roster.filter(
		(s) =>
			(filter.grade === undefined || s.grade === filter.grade) &&
			(filter.cohort === undefined || s.cohort === filter.cohort)
	);
	const evidenced = new Set<string>();
	for (const student of students) {
		for (const skillId of evidence.get(student.id)?.keys() ?? []) evidenced.add(skillId);
	}
	const skills = allSkills.filter((s) => evidenced.has(s.id));
	const counts = new Map<MasteryLevel | null, { thisWeek: number; lastWeek: number }>(
		[null, ...MASTERY_LEVELS].map((level) => [level, { thisWeek: 0, lastWeek: 0 }])
	);
	const movedUp: Movement[] = [];
	const slipped: Movement[] = [];
	const cells = students.map((student) =>
		skills.map((skill) => {
			const results = evidence.get(student.id)?.get(skill.id) ?? [];
			const current = masteryOf(results, rules);
			const before = masteryOf(results, rules, weekStart)?.level ?? null;
			counts.get(current?.level ?? null)!.thisWeek += 1;
			counts.get(before)!.lastWeek += 1;
			const moved = movement(before, current?.level ?? null);
			const change = { student: student.name, skill: skill.code, from: before, to: current?.level ?? null };
			if (moved === 'up') movedUp.push(change);
			else if (moved === 'down') slipped.push(change);
			return { now: current, lastWeek: before };
		})
	);
	return {
		weekOf: week.date,
		rules,
		skills,
		students,
		grades: [...new Set(roster.map((s) => s.grade))].sort((a, b) => a - b),
		cohorts: [...new Set(roster.flatMap((s) => (s.cohort ? [s.cohort] : [])))].sort(),
		cells,
		distribution: [...counts].map(([level, c]) => ({ level, ...c })),
		movedUp,
		slipped
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
		evidenceOfPod(db, podId, studentId),
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
