// One cell of the Skills report as it travels: a student's mastery of a skill in three values, so a
// report of 80 students × 40 skills stays small. Browser-safe and pure.
import {
	levelOf,
	MASTERY_LEVELS,
	movement,
	type Mastery,
	type MasteryLevel,
	type MasteryThresholds
} from './model';

/** [percent now, results it rests on, level as last week ended], or null with no counted evidence now. */
export type PackedReportCell = [percent: number, results: number, lastWeek: MasteryLevel | null] | null;

export interface ReportCell {
	/** Mastery now; null with no counted evidence. */
	now: Mastery | null;
	/** The level as last week ended; null with no counted evidence by then. */
	lastWeek: MasteryLevel | null;
}

export const packReportCell = (cell: ReportCell): PackedReportCell =>
	cell.now ? [cell.now.percent, cell.now.results, cell.lastWeek] : null;

/**
 * A cell read back, its level by the pod's thresholds. A pair with no evidence now had none as last
 * week ended either: evidence is only ever added (or a Done taken back the same day).
 */
export function readReportCell(cell: PackedReportCell, thresholds: MasteryThresholds): ReportCell {
	if (!cell) return { now: null, lastWeek: null };
	const [percent, results, lastWeek] = cell;
	return { now: { percent, level: levelOf(percent, thresholds), results }, lastWeek };
}

/** A student whose level of a skill rose, or fell, since last week ended. */
export interface Movement {
	student: string;
	skill: string;
	from: MasteryLevel | null;
	to: MasteryLevel | null;
}

/**
 * What the report says of its cells: how many are at each level this week and as last week ended
 * (`null`: no evidence), highest level first; and who moved up or slipped.
 */
export function summarizeReport(report: {
	students: readonly { name: string }[];
	skills: readonly { code: string }[];
	cells: readonly (readonly PackedReportCell[])[];
	rules: { thresholds: MasteryThresholds };
}) {
	const levels = [...MASTERY_LEVELS].reverse();
	const counts = new Map<MasteryLevel | null, { thisWeek: number; lastWeek: number }>(
		[...levels, null].map((level) => [level, { thisWeek: 0, lastWeek: 0 }])
	);
	const movedUp: Movement[] = [];
	const slipped: Movement[] = [];
	report.students.forEach((student, s) =>
		report.skills.forEach((skill, k) => {
			const { now, lastWeek } = readReportCell(report.cells[s][k], report.rules.thresholds);
			const to = now?.level ?? null;
			counts.get(to)!.thisWeek += 1;
			counts.get(lastWeek)!.lastWeek += 1;
			const moved = movement(lastWeek, to);
			if (moved === 'up') movedUp.push({ student: student.name, skill: skill.code, from: lastWeek, to });
			else if (moved === 'down')
				slipped.push({ student: student.name, skill: skill.code, from: lastWeek, to });
		})
	);
	return { distribution: [...counts].map(([level, c]) => ({ level, ...c })), movedUp, slipped };
}
