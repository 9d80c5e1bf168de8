import { toCsv } from '../exports/csv';
import { MASTERY_LEVEL_WORDS } from '../../mastery/model';
import { readReportCell } from '../../mastery/report-cell';
import type { SkillsReport } from './report';

export const SKILLS_CSV_HEADER = [
	'Student',
	'Grade',
	'Cohort',
	'Skill code',
	'Skill',
	'Level',
	'Mastery percent',
	'Results',
	'Level as last week ended'
] as const;

/** The Skills report as CSV: one row per student × skill, levels in words ("" where there is no evidence yet). */
export function skillsReportCsv(report: SkillsReport): string {
	const rows = report.students.flatMap((student, s) =>
		report.skills.map((skill, k) => {
			const cell = readReportCell(report.cells[s][k], report.rules.thresholds);
			return [
				student.name,
				student.grade,
				student.cohort,
				skill.code,
				skill.name,
				cell.now ? MASTERY_LEVEL_WORDS[cell.now.level] : null,
				cell.now?.percent ?? null,
				cell.now?.results ?? 0,
				cell.lastWeek ? MASTERY_LEVEL_WORDS[cell.lastWeek] : null
			];
		})
	);
	return toCsv(SKILLS_CSV_HEADER, rows);
}
