// Each student's mastery of each skill, kept beside the evidence (skill_mastery) and written in
// the same transaction, by the one model (src/lib/mastery/model.ts): a board or a report reads one
// row a pair rather than every result. The rows follow the pod's rules of evidence; a change of
// those rules writes the pod's rows again.
import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../db';
import { joinedText } from '../db/sql';
import { readThresholds } from '../flags/thresholds';
import { isoNow } from '../ids';
import { localParts, zonedInstant } from '../pods/clock';
import { evidenceOfPod } from './evidence';
import {
	levelOf,
	masteryOf,
	type Mastery,
	type MasteryLevel,
	type MasteryThresholds
} from '../../mastery/model';

export interface MasteryRules {
	selfReportedCounts: boolean;
	thresholds: MasteryThresholds;
}

/** What the pod's lead set that mastery follows: whether self-reported scores count, and the levels. */
export function masteryRulesOf(storedThresholds: string): MasteryRules {
	const thresholds = readThresholds(storedThresholds);
	return { selfReportedCounts: thresholds.selfReportedScoresCount, thresholds: thresholds.masteryLevels };
}

/** Monday 00:00 of the pod's week holding `now`: where this week begins and last week ends. */
export function weekBeginning(now: Date, timeZone: string): { date: string; at: Date } {
	const { date, weekday } = localParts(now, timeZone);
	const [y, m, d] = date.split('-').map(Number);
	const monday = new Date(Date.UTC(y, m - 1, d + 1 - weekday)).toISOString().slice(0, 10);
	return { date: monday, at: zonedInstant(monday, '00:00', timeZone) };
}

/**
 * Write again the kept mastery of these students of the pod (all of them when not named) from
 * their evidence: each pair's percent now and as this week began. In the caller's transaction,
 * after the evidence it follows was written. On PostgreSQL the pod's writers take turns on its
 * row (progress/record.ts), so two writes never interleave here.
 */
export async function keepMastery(
	trx: Transaction<Database>,
	pod: { id: string; flag_thresholds: string; timezone: string },
	studentIds?: readonly string[],
	now = new Date()
): Promise<void> {
	if (studentIds?.length === 0) return;
	const rules = masteryRulesOf(pod.flag_thresholds);
	const week = weekBeginning(now, pod.timezone);
	const weekStart = week.at.toISOString();
	const evidence = await evidenceOfPod(trx, pod.id, studentIds);
	const rows: Database['skill_mastery'][] = [];
	for (const [studentId, bySkill] of evidence) {
		for (const [skillId, results] of bySkill) {
			const current = masteryOf(results, rules);
			if (!current) continue;
			rows.push({
				student_id: studentId,
				skill_id: skillId,
				pod_id: pod.id,
				percent: current.percent,
				results: current.results,
				week_of: week.date,
				week_start_percent: masteryOf(results, rules, weekStart)?.percent ?? null,
				updated_at: isoNow(now)
			});
		}
	}
	// What no longer has counted evidence (a Done taken back, self-reported scores no longer counted) goes.
	await trx
		.deleteFrom('skill_mastery')
		.where('pod_id', '=', pod.id)
		.$if(studentIds !== undefined, (q) => q.where('student_id', 'in', studentIds!))
		.execute();
	for (let i = 0; i < rows.length; i += 500) {
		await trx
			.insertInto('skill_mastery')
			.values(rows.slice(i, i + 500))
			.execute();
	}
}

export interface KeptMastery {
	now: Mastery;
	/** The level as this week began; null with no counted evidence by then. */
	weekStart: MasteryLevel | null;
}

/** The pod's kept mastery, by student then skill, with levels by the pod's thresholds. */
export async function keptMastery(
	db: Db,
	podId: string,
	thresholds: MasteryThresholds,
	thisWeek: string
): Promise<Map<string, Map<string, KeptMastery>>> {
	const rows = await db
		.selectFrom('skill_mastery')
		.select(['student_id', 'skill_id', 'percent', 'results', 'week_of', 'week_start_percent'])
		.where('pod_id', '=', podId)
		.execute();
	const byStudent = new Map<string, Map<string, KeptMastery>>();
	for (const row of rows) {
		let bySkill = byStudent.get(row.student_id);
		if (!bySkill) byStudent.set(row.student_id, (bySkill = new Map()));
		// A row last written before this week has had no evidence since: as the week began, as now.
		const before = row.week_of === thisWeek ? row.week_start_percent : row.percent;
		bySkill.set(row.skill_id, {
			now: { percent: row.percent, level: levelOf(row.percent, thresholds), results: row.results },
			weekStart: before === null ? null : levelOf(before, thresholds)
		});
	}
	return byStudent;
}

/** These students' kept mastery as the boards hear it: skill id → percent, for each student named. */
export async function masteryPercents(
	db: Db,
	podId: string,
	studentIds: readonly string[]
): Promise<{ studentId: string; skills: Record<string, number> }[]> {
	const kept = await keptPercents(db, podId, studentIds);
	return studentIds.map((studentId) => ({
		studentId,
		skills: Object.fromEntries(kept.get(studentId) ?? [])
	}));
}

/**
 * The kept percents of the pod's students (these students' only, when named), by student then
 * skill: what a board shows. One row a student, their skills joined into one text by the database,
 * as the board's cells are read (dashboard/heatmap.ts): a value crossing into JavaScript costs more
 * than the database's work.
 */
export async function keptPercents(
	db: Db,
	podId: string,
	studentIds?: readonly string[]
): Promise<Map<string, Map<string, number>>> {
	const byStudent = new Map<string, Map<string, number>>();
	if (studentIds?.length === 0) return byStudent;
	const rows = await db
		.selectFrom('skill_mastery')
		.select([
			'student_id',
			joinedText(db, sql<string>`skill_id || ':' || cast(percent as text)`, ',').as('skills')
		])
		.where('pod_id', '=', podId)
		.$if(studentIds !== undefined, (q) => q.where('student_id', 'in', studentIds!))
		.groupBy('student_id')
		.execute();
	for (const row of rows) {
		// Skill ids are UUIDs: neither ':' nor ',' occurs in them.
		const skills = new Map<string, number>();
		for (const pair of row.skills.split(',')) {
			const [skillId, percent] = pair.split(':');
			skills.set(skillId, Number(percent));
		}
		byStudent.set(row.student_id, skills);
	}
	return byStudent;
}
