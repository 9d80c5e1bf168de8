import { z } from 'zod';
import { auditedWrite } from '../audit/log';
import type { Db } from '../db';
import type { RecordPodEvent } from '../live/log';
import { Invalid } from '../errors';
import { describeRosterError } from '../roster/oneroster/csv';
import { parseAcademicSessions } from '../roster/oneroster/parse';
import { readUpload } from '../roster/oneroster/upload';
import { adminProcedure, podStaffProcedure, router } from '../trpc/procedures';
import {
	addDayOff,
	applyTermImport,
	DAY_OFF_NAME_LIMIT,
	daysOffOfSchool,
	planTermImport,
	podsOfSchool,
	podToday,
	removeDayOff,
	requireSchool
} from './calendar';
import { daysOffFromTerms, type ImportedDayOff } from './terms';

const schoolId = z.uuid({ error: 'schoolId must be a school id' });
const day = (what: string) => z.iso.date({ error: `${what} is a date like 2026-11-26` });

// An export's academicSessions.csv is small; a whole zip rides along when that is what the admin has.
const MAX_FILE_CHARS = 4_000_000;
const files = z
	.array(
		z.object({
			name: z.string().trim().min(1, { error: 'Each file needs its name' }).max(200),
			encoding: z.enum(['text', 'base64'], { error: "encoding is 'text' or 'base64'" }),
			content: z.string().max(MAX_FILE_CHARS, { error: 'A file this big is not a calendar' })
		})
	)
	.min(1, { error: 'Choose academicSessions.csv, or the export’s .zip' })
	.max(12, { error: 'Upload at most 12 files: the OneRoster ones, or one .zip' })
	.refine((list) => list.every((f) => f.encoding === 'text' || /^[A-Za-z0-9+/]*={0,2}$/.test(f.content)), {
		error: 'A base64 file is not valid base64'
	});

/** The days off an upload's terms imply, or the refusal that names every problem in its files. */
function daysOffFromUpload(upload: z.infer<typeof files>): ImportedDayOff[] {
	const { source, errors } = readUpload(
		upload.map((file) => ({
			name: file.name,
			bytes:
				file.encoding === 'base64'
					? new Uint8Array(Buffer.from(file.content, 'base64'))
					: new TextEncoder().encode(file.content)
		}))
	);
	const read =
		source?.format === 'oneroster'
			? parseAcademicSessions(source.files)
			: {
					sessions: [],
					errors: source
						? [{ file: source.file, line: null, column: null, message: 'this is not academicSessions.csv' }]
						: []
				};
	const problems = [...errors, ...read.errors];
	if (problems.length) {
		const shown = problems.slice(0, 5).map(describeRosterError).join('; ');
		throw new Invalid(`The calendar cannot be read: ${shown}${problems.length > 5 ? '; …' : ''}`);
	}
	if (!read.sessions.some((s) => s.type === 'schoolYear' || s.type === 'semester' || s.type === 'term')) {
		throw new Invalid(
			'academicSessions.csv has no school years, semesters or terms: there are no days off to read from it.'
		);
	}
	return daysOffFromTerms(read.sessions);
}

/** Every pod of the school hears it: its board's notice and its duties follow the calendar. */
async function calendarChanged(db: Db, schoolId: string, record: RecordPodEvent) {
	for (const podId of await podsOfSchool(db, schoolId)) {
		await record(podId, 'calendar.changed', { studentIds: [], schoolId });
	}
}

const describePlan = (plan: Awaited<ReturnType<typeof planTermImport>>) => ({
	add: plan.add.length,
	change: plan.change.length,
	remove: plan.remove.length,
	unchanged: plan.unchanged
});

export const calendarRouter = router({
	/** Today at the pod: school or not, the day off's name, and the next school day. */
	today: podStaffProcedure.query(({ ctx }) => podToday(ctx.db, ctx.pod.id)),

	/** A school's days off, in date order. */
	list: adminProcedure.input(z.object({ schoolId })).query(async ({ ctx, input }) => {
		const school = await requireSchool(ctx.db, input.schoolId);
		return { school, daysOff: await daysOffOfSchool(ctx.db, school.id) };
	}),

	/** A holiday, a break or a teacher day: one date, or a first and last day. */
	add: adminProcedure
		.input(
			z.object({
				schoolId,
				firstDay: day('The first day'),
				lastDay: day('The last day').nullish(),
				name: z
					.string({ error: 'Name the day off, like Thanksgiving break' })
					.trim()
					.min(1, { error: 'Name the day off, like Thanksgiving break' })
					.max(DAY_OFF_NAME_LIMIT, { error: `Keep the name under ${DAY_OFF_NAME_LIMIT} characters` })
			})
		)
		.mutation(({ ctx, input }) =>
			auditedWrite(
				{ db: ctx.db, user: ctx.user, pod: null },
				{ action: 'create', entity: 'day_off' },
				async (trx, record) => {
					const added = await addDayOff(trx, { ...input, lastDay: input.lastDay ?? input.firstDay });
					await calendarChanged(trx, input.schoolId, record);
					return added;
				},
				(added) => ({
					entityId: added.id,
					detail: {
						schoolId: input.schoolId,
						firstDay: added.firstDay,
						lastDay: added.lastDay,
						name: added.name
					}
				})
			)
		),

	remove: adminProcedure
		.input(z.object({ schoolId, dayOffId: z.uuid({ error: 'dayOffId must be a day off’s id' }) }))
		.mutation(({ ctx, input }) =>
			auditedWrite(
				{ db: ctx.db, user: ctx.user, pod: null },
				{ action: 'delete', entity: 'day_off' },
				async (trx, record) => {
					const removed = await removeDayOff(trx, input);
					await calendarChanged(trx, input.schoolId, record);
					return removed;
				},
				(removed) => ({
					entityId: removed.id,
					detail: {
						schoolId: input.schoolId,
						firstDay: removed.firstDay,
						lastDay: removed.lastDay,
						name: removed.name
					}
				})
			)
		),

	/** What importing an export's terms would change on the calendar. Writes nothing. */
	previewTerms: adminProcedure.input(z.object({ schoolId, files })).mutation(async ({ ctx, input }) => {
		await requireSchool(ctx.db, input.schoolId);
		return planTermImport(ctx.db, input.schoolId, daysOffFromUpload(input.files));
	}),

	/** The export's terms onto the calendar: days off a past import made are replaced; those added by hand stay. */
	importTerms: adminProcedure
		.input(
			z.object({
				schoolId,
				files,
				fingerprint: z
					.string()
					.regex(/^[0-9a-f]{64}$/, { error: 'fingerprint must be the one the preview gave' })
					.optional()
			})
		)
		.mutation(({ ctx, input }) => {
			const fromExport = daysOffFromUpload(input.files);
			return auditedWrite(
				{ db: ctx.db, user: ctx.user, pod: null },
				{ action: 'import', entity: 'calendar' },
				async (trx, record) => {
					const plan = await applyTermImport(trx, {
						schoolId: input.schoolId,
						fromExport,
						expectedFingerprint: input.fingerprint
					});
					if (plan.add.length + plan.change.length + plan.remove.length) {
						await calendarChanged(trx, input.schoolId, record);
					}
					return plan;
				},
				// Importing the same export again changes nothing, and logs nothing.
				(plan) =>
					plan.add.length + plan.change.length + plan.remove.length
						? { entityId: input.schoolId, detail: { via: 'academicSessions.csv', ...describePlan(plan) } }
						: null
			);
		})
});
