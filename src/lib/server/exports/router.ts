import { auditedWrite } from '../audit/log';
import { podLeadProcedure, router } from '../trpc/procedures';
import { attendanceCsv, attendanceRows } from '../attendance/csv';
import { podProgressRows, progressCsv } from './progress';
import { configuredOrigin, progressStatements } from './xapi';

/** A file to hand to the person who asked: what it is called, what type, what it holds. */
export interface ExportFile {
	filename: string;
	contentType: string;
	body: string;
	/** Rows (CSV) or statements (xAPI) in it. */
	count: number;
}

/** "Pod North" on 2026-11-18 → pod-north-progress-2026-11-18. */
export const fileStem = (podName: string, what: string, now = new Date()) =>
	`${
		podName
			.normalize('NFKD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-|-$/g, '') || 'pod'
	}-${what}-${now.toISOString().slice(0, 10)}`;

// Exports are mutations: each one writes who took which data, and when, to the audit log —
// read and recorded in one transaction (auditedWrite), so the entry describes exactly what left.
export const exportsRouter = router({
	/** The pod's progress as CSV, one row per student × playlist item. */
	progressCsv: podLeadProcedure.mutation(({ ctx }) =>
		auditedWrite(
			ctx,
			{ action: 'export', entity: 'pod_progress' },
			(trx) => podProgressRows(trx, ctx.pod.id),
			(rows) => ({ entityId: ctx.pod.id, detail: { format: 'csv', rows: rows.length } })
		).then((rows): ExportFile => ({
			filename: `${fileStem(ctx.pod.name, 'progress')}.csv`,
			contentType: 'text/csv; charset=utf-8',
			body: progressCsv(rows),
			count: rows.length
		}))
	),

	/** The pod's attendance marks as CSV, one row per mark (a student on no row of a school day was present). */
	attendanceCsv: podLeadProcedure.mutation(({ ctx }) =>
		auditedWrite(
			ctx,
			{ action: 'export', entity: 'pod_attendance' },
			(trx) => attendanceRows(trx, ctx.pod.id),
			(rows) => ({ entityId: ctx.pod.id, detail: { format: 'csv', rows: rows.length } })
		).then((rows): ExportFile => ({
			filename: `${fileStem(ctx.pod.name, 'attendance')}.csv`,
			contentType: 'text/csv; charset=utf-8',
			body: attendanceCsv(rows),
			count: rows.length
		}))
	),

	/** The same progress as xAPI 1.0.3 statements (a JSON array) for a learning record store. */
	progressXapi: podLeadProcedure.mutation(({ ctx }) =>
		auditedWrite(
			ctx,
			{ action: 'export', entity: 'pod_progress' },
			async (trx) => progressStatements(await podProgressRows(trx, ctx.pod.id), configuredOrigin()),
			(statements) => ({ entityId: ctx.pod.id, detail: { format: 'xapi', statements: statements.length } })
		).then((statements): ExportFile => ({
			filename: `${fileStem(ctx.pod.name, 'progress-xapi')}.json`,
			contentType: 'application/json; charset=utf-8',
			body: JSON.stringify(statements, null, 1),
			count: statements.length
		}))
	)
});
