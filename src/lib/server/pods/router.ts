import { z } from 'zod';
import { TIME_OF_DAY } from '../../pods/school-week';
import { auditedWrite } from '../audit/log';
import { schoolName } from '../schools/router';
import {
	adminProcedure,
	podIdInput,
	podLeadProcedure,
	podStaffProcedure,
	router,
	staffProcedure
} from '../trpc/procedures';
import { podOverview, podRoster, podsForStaff } from './queries';
import { archivePod, changeJoinCode, createPod, podSettings, restorePod, updatePod } from './settings';
import { serverTimeZone, TIME_ZONES } from './time-zones';

const grade = (which: string) =>
	z
		.number({ error: `The ${which} grade is a number from 0 (kindergarten) to 12` })
		.int({ error: `The ${which} grade is a whole number` })
		.min(0, { error: `The ${which} grade is a number from 0 (kindergarten) to 12` })
		.max(12, { error: `The ${which} grade is a number from 0 (kindergarten) to 12` });

const time = z
	.string({ error: 'Write school hours as times like 08:30 and 15:00' })
	.regex(TIME_OF_DAY, { error: 'Write school hours as times like 08:30 and 15:00' });

/** What the pod form sets; whether it all fits together (grades, zone, hours) the domain checks. */
const podFields = z.object({
	name: z
		.string({ error: 'Write the pod’s name, like Pod North' })
		.trim()
		.min(1, { error: 'Write the pod’s name, like Pod North' })
		.max(80, { error: 'Keep the pod’s name under 80 characters' }),
	gradeLow: grade('lowest'),
	gradeHigh: grade('highest'),
	timeZone: z
		.string({ error: 'Choose a time zone, like America/New_York' })
		.max(64, { error: 'Choose a time zone from the list, like America/New_York' }),
	schoolWeek: z
		.array(
			z.object({
				weekday: z
					.number({ error: 'A school day is a weekday from 1 (Monday) to 7 (Sunday)' })
					.int({ error: 'A school day is a weekday from 1 (Monday) to 7 (Sunday)' })
					.min(1, { error: 'A school day is a weekday from 1 (Monday) to 7 (Sunday)' })
					.max(7, { error: 'A school day is a weekday from 1 (Monday) to 7 (Sunday)' }),
				start: time,
				end: time
			}),
			{ error: 'Choose the school days and their hours' }
		)
		.min(1, { error: 'Choose at least one school day' })
		.max(7, { error: 'A week has seven days: give each its hours once' }),
	studentsPerAdult: z
		.number({ error: 'Students per adult is a number, like 25, or empty for none' })
		.int({ error: 'Students per adult is a whole number' })
		.min(1, { error: 'Students per adult is at least 1' })
		.max(100, { error: 'Students per adult is at most 100' })
		.nullable()
});

export const podsRouter = router({
	mine: staffProcedure.query(({ ctx }) => podsForStaff(ctx.db, ctx.user)),
	/** The pod's header, and what the one asking is in it (lead, teacher, or admin). */
	overview: podStaffProcedure.query(async ({ ctx }) => ({
		...(await podOverview(ctx.db, ctx.pod.id)),
		myRole: ctx.podRole
	})),
	roster: podStaffProcedure.query(({ ctx }) => podRoster(ctx.db, ctx.pod.id)),

	/** What the pod form offers: the schools, the time zones, and the zone a new pod starts in. */
	formChoices: adminProcedure.query(async ({ ctx }) => ({
		schools: await ctx.db.selectFrom('schools').select(['id', 'name']).orderBy('name').execute(),
		timeZones: TIME_ZONES,
		serverTimeZone: serverTimeZone()
	})),

	/** A pod's settings for the admin's form. */
	settings: adminProcedure.input(podIdInput).query(({ ctx, input }) => podSettings(ctx.db, input.podId)),

	create: adminProcedure
		.input(
			podFields.extend({
				// A school chosen, a new one by name, or none: then one named after the pod.
				school: z
					.union([
						z.object({ id: z.uuid({ error: 'school.id must be a school id' }) }),
						z.object({ name: schoolName })
					])
					.optional()
			})
		)
		.mutation(({ ctx, input }) =>
			auditedWrite(
				{ db: ctx.db, user: ctx.user, pod: null },
				{ action: 'create', entity: 'pod' },
				(trx) => createPod(trx, input),
				(pod) => ({
					entityId: pod.id,
					detail: { name: pod.name, school: pod.school.name, newSchool: pod.school.created },
					also: pod.school.created
						? [
								{
									action: 'create',
									entity: 'school',
									entityId: pod.school.id,
									detail: { name: pod.school.name }
								}
							]
						: []
				})
			)
		),

	update: adminProcedure
		.input(
			podFields.extend({
				podId: podIdInput.shape.podId,
				schoolId: z.uuid({ error: 'schoolId must be a school id' })
			})
		)
		.mutation(async ({ ctx, input }) => {
			const updated = await auditedWrite(
				{ db: ctx.db, user: ctx.user, pod: { id: input.podId } },
				{ action: 'update', entity: 'pod' },
				(trx) => updatePod(trx, input.podId, input),
				(pod) => pod && { entityId: pod.id, detail: pod.changed }
			);
			return { id: input.podId, changed: updated !== null };
		}),

	/** Read-only and off every list; its students' sessions end. Its data stays until erased. */
	archive: adminProcedure.input(podIdInput).mutation(async ({ ctx, input }) => {
		const archived = await auditedWrite(
			{ db: ctx.db, user: ctx.user, pod: { id: input.podId } },
			{ action: 'archive', entity: 'pod' },
			(trx) => archivePod(trx, input.podId),
			(pod) => pod && { entityId: pod.id, detail: { sessionsEnded: pod.sessionsEnded } }
		);
		return { id: input.podId, changed: archived !== null };
	}),

	restore: adminProcedure.input(podIdInput).mutation(async ({ ctx, input }) => {
		const restored = await auditedWrite(
			{ db: ctx.db, user: ctx.user, pod: { id: input.podId } },
			{ action: 'restore', entity: 'pod' },
			(trx) => restorePod(trx, input.podId),
			(pod) => pod && { entityId: pod.id }
		);
		return { id: input.podId, changed: restored !== null };
	}),

	/** A new pod code (the lead's too: a code seen by the wrong people is changed in the room). */
	newJoinCode: podLeadProcedure.mutation(({ ctx }) =>
		auditedWrite(
			ctx,
			{ action: 'newJoinCode', entity: 'pod' },
			(trx) => changeJoinCode(trx, ctx.pod.id),
			(pod) => ({ entityId: pod.id, detail: { joinCode: [pod.before, pod.joinCode] } })
		).then(({ joinCode }) => ({ joinCode }))
	)
});
