import { TRPCError } from '@trpc/server';
import type { Transaction } from 'kysely';
import type { Database } from '../db';
import type { ProgressEventKind } from '../db/schema';
import { dialectOf } from '../db/sql';
import { evaluateFlags } from '../flags/engine';
import { raiseHand } from '../help/requests';
import { isoNow } from '../ids';
import type { RecordPodEvent } from '../live/log';
import { deriveAssignmentState, type DerivedAssignmentState } from '../../progress/derive';

export const MAX_EVENTS_PER_BATCH = 100;

export interface IncomingProgressEvent {
	/** Made by the student's device: a retried batch carries the same ids and is stored once. */
	eventId: string;
	assignmentId: string;
	kind: ProgressEventKind;
	score?: number | null;
	occurredAt: string;
}

/** Whose events these are: a student for their own work, or a teacher marking a student's. */
export type Recorder =
	{ kind: 'student'; studentId: string; podId: string } | { kind: 'staff'; userId: string; podId: string };

export interface AssignmentState extends DerivedAssignmentState {
	assignmentId: string;
}

/**
 * Store a batch of progress events and re-derive the state of every assignment they touch,
 * in the caller's transaction. All or nothing: one event that may not be stored refuses the
 * whole batch. Answers the same for a replayed batch as for the first.
 */
export async function recordProgress(
	trx: Transaction<Database>,
	recorder: Recorder,
	events: readonly IncomingProgressEvent[],
	recordPodEvent: RecordPodEvent,
	now = new Date()
): Promise<{ acknowledged: string[]; assignments: AssignmentState[] }> {
	const eventIds = new Set(events.map((e) => e.eventId));
	if (eventIds.size !== events.length) {
		throw new TRPCError({ code: 'BAD_REQUEST', message: 'Each event in a batch needs its own eventId.' });
	}
	const assignmentIds = [...new Set(events.map((e) => e.assignmentId))];
	const assignments = await trx
		.selectFrom('assignments')
		.innerJoin('activities', 'activities.id', 'assignments.activity_id')
		.select([
			'assignments.id',
			'assignments.pod_id',
			'assignments.student_id',
			'assignments.activity_id',
			'activities.title',
			'activities.kind',
			'activities.max_score'
		])
		.where('assignments.id', 'in', assignmentIds)
		// On PostgreSQL, batches about the same work may arrive at once (two app servers): each
		// holds its assignments, in one order, until it commits, so each derives from every event.
		.orderBy('assignments.id')
		.$if(dialectOf(trx) === 'postgres', (q) => q.forUpdate('assignments'))
		.execute();
	const byId = new Map(assignments.map((a) => [a.id, a]));

	for (const event of events) {
		const assignment = byId.get(event.assignmentId);
		const allowed =
			assignment !== undefined &&
			assignment.pod_id === recorder.podId &&
			(recorder.kind === 'staff' || assignment.student_id === recorder.studentId);
		if (!allowed) {
			throw new TRPCError({
				code: 'FORBIDDEN',
				message:
					recorder.kind === 'student'
						? 'You can only record work on your own playlist.'
						: 'That assignment is not in this pod.'
			});
		}
		if (event.score != null) {
			if (event.kind !== 'submit') {
				throw new TRPCError({ code: 'BAD_REQUEST', message: 'Only a "submit" event carries a score.' });
			}
			const max = assignment.max_score ?? 100;
			if (event.score < 0 || event.score > max) {
				throw new TRPCError({
					code: 'BAD_REQUEST',
					message: `A score for ${assignment.title} must be between 0 and ${max}.`
				});
			}
		}
	}

	const alreadyStored = await trx
		.selectFrom('progress_events')
		.select('id')
		.where('id', 'in', [...eventIds])
		.execute();
	const receivedAt = isoNow(now);
	await trx
		.insertInto('progress_events')
		.values(
			events.map((event) => {
				const assignment = byId.get(event.assignmentId)!;
				// A device clock running fast must not put work in the future.
				const occurredAt =
					event.occurredAt > receivedAt ? receivedAt : new Date(event.occurredAt).toISOString();
				return {
					id: event.eventId,
					pod_id: assignment.pod_id,
					assignment_id: assignment.id,
					student_id: assignment.student_id,
					kind: event.kind,
					score: event.score ?? null,
					occurred_at: occurredAt,
					received_at: receivedAt,
					recorded_by: recorder.kind === 'staff' ? recorder.userId : null
				};
			})
		)
		.onConflict((oc) => oc.column('id').doNothing())
		.execute();

	const states: AssignmentState[] = [];
	for (const assignment of assignments) {
		const stored = await trx
			.selectFrom('progress_events')
			.select(['kind', 'score', 'occurred_at'])
			.where('assignment_id', '=', assignment.id)
			.execute();
		const state = deriveAssignmentState(
			stored.map((e) => ({ kind: e.kind, score: e.score, occurredAt: e.occurred_at })),
			{ kind: assignment.kind, maxScore: assignment.max_score }
		);
		await trx
			.updateTable('assignments')
			.set({
				status: state.status,
				score: state.score,
				attempts: state.attempts,
				seconds_spent: state.secondsSpent,
				last_event_at: state.lastEventAt
			})
			.where('id', '=', assignment.id)
			.execute();
		states.push({ assignmentId: assignment.id, ...state });
	}

	// A replayed batch changes nothing, so the boards hear nothing new.
	if (alreadyStored.length === events.length) {
		return { acknowledged: events.map((e) => e.eventId), assignments: states };
	}
	const studentIds = [...new Set(assignments.map((a) => a.student_id))];
	// Enough for a board to change one cell without asking again.
	await recordPodEvent(recorder.podId, 'progress', {
		studentIds,
		assignments: states.map((s) => ({
			assignmentId: s.assignmentId,
			studentId: byId.get(s.assignmentId)!.student_id,
			activityId: byId.get(s.assignmentId)!.activity_id,
			status: s.status,
			score: s.score,
			lastEventAt: s.lastEventAt
		}))
	});
	// A raised hand joins the help queue; the flag rules look at what just happened.
	const stored = new Set(alreadyStored.map((e) => e.id));
	for (const event of events) {
		if (event.kind !== 'help' || stored.has(event.eventId)) continue;
		const assignment = byId.get(event.assignmentId)!;
		await raiseHand(
			trx,
			{
				podId: recorder.podId,
				studentId: assignment.student_id,
				assignmentId: assignment.id,
				askedAt: event.occurredAt > receivedAt ? receivedAt : new Date(event.occurredAt).toISOString()
			},
			recordPodEvent
		);
	}
	await evaluateFlags(trx, recorder.podId, recordPodEvent, { studentIds, now });
	return { acknowledged: events.map((e) => e.eventId), assignments: states };
}
