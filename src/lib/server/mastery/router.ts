import { z } from 'zod';
import { auditedWrite } from '../audit/log';
import { fileStem, type ExportFile } from '../exports/router';
import { podStaffProcedure, podTeacherProcedure, router } from '../trpc/procedures';
import { skillsReport, skillTrends } from './report';
import { skillsReportCsv } from './csv';

/** Which students the report covers: one grade, one cohort, or the whole pod. */
const reportFilter = z.object({
	grade: z
		.number({ error: 'grade is a grade number' })
		.int({ error: 'grade is a whole grade number' })
		.min(-1, { error: 'grade is from -1 (pre-K) to 13' })
		.max(13, { error: 'grade is from -1 (pre-K) to 13' })
		.optional(),
	cohort: z
		.string({ error: 'cohort is a cohort name' })
		.max(100, { error: 'A cohort name is at most 100 characters' })
		.optional()
});

export const masteryRouter = router({
	/** Skills × students: each level now and as last week ended, the levels' spread and who moved. */
	report: podStaffProcedure
		.input(reportFilter)
		.query(({ ctx, input }) => skillsReport(ctx.db, ctx.pod.id, input)),

	/** One student's mastery of each skill with evidence, and how it got there. */
	trends: podStaffProcedure
		.input(z.object({ studentId: z.uuid({ error: 'studentId must be a student id' }) }))
		.query(({ ctx, input }) => skillTrends(ctx.db, ctx.pod.id, input.studentId)),

	/** The Skills report as CSV, one row per student × skill; who took it is audited, as every export. */
	reportCsv: podTeacherProcedure.input(reportFilter).mutation(({ ctx, input }) =>
		auditedWrite(
			ctx,
			{ action: 'export', entity: 'pod_skills' },
			(trx) => skillsReport(trx, ctx.pod.id, input),
			(report) => ({
				entityId: ctx.pod.id,
				detail: { format: 'csv', students: report.students.length, skills: report.skills.length }
			})
		).then((report): ExportFile => {
			const body = skillsReportCsv(report);
			return {
				filename: `${fileStem(ctx.pod.name, 'skills')}.csv`,
				contentType: 'text/csv; charset=utf-8',
				body,
				count: report.students.length * report.skills.length
			};
		})
	)
});
