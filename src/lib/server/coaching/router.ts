import { z } from 'zod';
import { auditedWrite } from '../audit/log';
import { podLeadProcedure, podTeacherProcedure, router } from '../trpc/procedures';
import {
	podCoachingNotes,
	readableCycles,
	recordCoachingNote,
	reflectOnCoachingNote,
	updateCoachingNote
} from './coaching';

const teacherId = z.uuid({ error: 'teacherId must be a teacher id' });
const noteId = z.uuid({ error: 'noteId must be a coaching cycle id' });

/** Required words, trimmed, with a limit a person can read. */
const words = (what: string, max: number) =>
	z
		.string({ error: `Write the ${what}` })
		.trim()
		.min(1, { error: `Write the ${what}` })
		.max(max, { error: `Keep the ${what} under ${max} characters` });

const focus = words('focus of the cycle', 200);
const evidence = words('what you observed', 4000);
const nextStep = words('next step', 1000);
const followUpOn = z.iso.date({ error: 'The follow-up date is a date like 2026-12-04' });
const reflection = words('reflection', 4000);

// Audit entries name the cycle, the teacher and which fields changed; never the words written.
const ENTITY = 'coaching_note';

export const coachingRouter = router({
	/**
	 * Coaching cycles, newest first. The lead (or a school admin) reads every teacher's, or one's
	 * with `teacherId`; a team teacher reads only their own (another's: FORBIDDEN).
	 */
	list: podTeacherProcedure.input(z.object({ teacherId: teacherId.optional() })).query(({ ctx, input }) =>
		podCoachingNotes(ctx.db, ctx.pod.id, {
			teacherId: readableCycles({ id: ctx.user.id, podRole: ctx.podRole }, input.teacherId)
		})
	),

	/** The lead records a cycle for a team teacher: focus, what was observed, next step, follow-up. */
	record: podLeadProcedure
		.input(
			z.object({
				teacherId,
				focus,
				evidence,
				nextStep,
				followUpOn: followUpOn.nullish()
			})
		)
		.mutation(({ ctx, input }) =>
			auditedWrite(
				ctx,
				{ action: 'record', entity: ENTITY },
				(trx) =>
					recordCoachingNote(trx, {
						podId: ctx.pod.id,
						podName: ctx.pod.name,
						leadId: ctx.user.id,
						teacherId: input.teacherId,
						focus: input.focus,
						evidence: input.evidence,
						nextStep: input.nextStep,
						followUpOn: input.followUpOn ?? null
					}),
				(note) => ({ entityId: note.id, detail: { teacherId: note.teacherId } })
			)
		),

	/** The lead changes what a cycle of the pod says; only the fields given change. */
	update: podLeadProcedure
		.input(
			z
				.object({
					noteId,
					focus: focus.optional(),
					evidence: evidence.optional(),
					nextStep: nextStep.optional(),
					/** null clears the follow-up date. */
					followUpOn: followUpOn.nullable().optional()
				})
				.refine((i) => [i.focus, i.evidence, i.nextStep, i.followUpOn].some((value) => value !== undefined), {
					error: 'Change at least one of the focus, what you observed, the next step or the follow-up date'
				})
		)
		.mutation(({ ctx, input }) => {
			const { noteId, focus, evidence, nextStep, followUpOn } = input;
			return auditedWrite(
				ctx,
				{ action: 'update', entity: ENTITY },
				(trx) =>
					updateCoachingNote(trx, {
						podId: ctx.pod.id,
						noteId,
						changes: { focus, evidence, nextStep, followUpOn }
					}),
				// Nothing changed, nothing logged.
				({ note, changed }) =>
					changed.length
						? { entityId: note.id, detail: { teacherId: note.teacherId, fields: changed } }
						: null
			).then(({ note }) => note);
		}),

	/**
	 * The teacher a cycle is about writes or replaces their reflection on it. The gate is the
	 * pod's staff; the cycle itself decides the rest: anyone else, the lead included, FORBIDDEN.
	 */
	reflect: podTeacherProcedure.input(z.object({ noteId, reflection })).mutation(({ ctx, input }) =>
		auditedWrite(
			ctx,
			{ action: 'reflect', entity: ENTITY },
			(trx) =>
				reflectOnCoachingNote(trx, {
					podId: ctx.pod.id,
					noteId: input.noteId,
					teacherId: ctx.user.id,
					reflection: input.reflection
				}),
			({ note, replaced }) => ({
				entityId: note.id,
				detail: { teacherId: note.teacherId, fields: ['reflection'], replaced }
			})
		).then(({ note }) => note)
	)
});
