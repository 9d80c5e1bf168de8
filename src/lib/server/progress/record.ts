import type { Transaction } from 'kysely';
import type { Database } from '../db';
import type { ProgressEvent, ProgressEventKind } from '../db/schema';
import { dialectOf } from '../db/sql';
import { evaluateFlags } from '../flags/engine';
import { raiseHand } from '../help/requests';
import { isoNow } from '../ids';
import type { RecordPodEvent } from '../live/log';
import { deriveAssignmentState, type DerivedAssignmentState } from '../../progress/derive';
import { Conflict, Invalid, NotAllowed } from '../errors';

/**
 * How far ahead of the server a device's clock may run before its events are refused.
 * Chromebooks set their clocks from the network, so honest drift is seconds; two minutes also
 * covers a slow request. Within it an event is put at the time it arrived, never in the future,
 * where it would outrank a teacher's later mark.
 */
export const MAX_CLOCK_AHEAD_MS = 2 * 60_000;

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
		throw new Invalid('Each event in a batch needs its own eventId.');
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
			throw new NotAllowed(
				recorder.kind === 'student'
					? 'You can only record work on your own playlist.'
					: 'That assignment is not in this pod.'
			);
		}
		if (event.score != null) {
			if (event.kind !== 'submit') {
				throw new Invalid('Only a "submit" event carries a score.');
			}
			const max = assignment.max_score ?? 100;
			if (event.score < 0 || event.score > max) {
				throw new Invalid(`A score for ${assignment.title} must be between 0 and ${max}.`);
			}
		}
	}

	// A reused eventId is a replay only if it says what the stored event says.
	const recordedBy = recorder.kind === 'staff' ? recorder.userId : null;
	const earlier = await storedEvents(trx, [...eventIds]);
	const receivedAt = isoNow(now);
	const fresh = new Map<string, string>();
	for (const event of events) {
		const claimed = Date.parse(event.occurredAt);
		if (Number.isNaN(claimed)) {
			throw new Invalid(`occurredAt ${event.occurredAt} is not a date and time like 2026-11-23T10:15:00Z.`);
		}
		const stored = earlier.get(event.eventId);
		if (stored) {
			// Its time was judged when it first came; a replay only has to match it.
			if (!isSameEvent(stored, event, claimed, recordedBy)) throw reusedEventId(event.eventId);
			continue;
		}
		const ahead = claimed - now.getTime();
		if (ahead > MAX_CLOCK_AHEAD_MS) throw clockAhead(ahead);
		// A device clock running a little fast must not put work in the future.
		fresh.set(event.eventId, ahead > 0 ? receivedAt : new Date(claimed).toISOString());
	}

	const toStore = events.filter((e) => fresh.has(e.eventId));
	const inserted = new Set<string>();
	if (toStore.length) {
		const rows = await trx
			.insertInto('progress_events')
			.values(
				toStore.map((event) => {
					const assignment = byId.get(event.assignmentId)!;
					return {
						id: event.eventId,
						pod_id: assignment.pod_id,
						assignment_id: assignment.id,
						student_id: assignment.student_id,
						kind: event.kind,
						score: event.score ?? null,
						occurred_at: fresh.get(event.eventId)!,
						received_at: receivedAt,
						recorded_by: recordedBy
					};
				})
			)
			.onConflict((oc) => oc.column('id').doNothing())
			.returning('id')
			.execute();
		for (const row of rows) inserted.add(row.id);
	}
	// An id taken between our read and our insert (another batch, committed meanwhile): the same
	// check as above, now against what that batch stored.
	const raced = toStore.filter((e) => !inserted.has(e.eventId));
	if (raced.length) {
		const theirs = await storedEvents(
			trx,
			raced.map((e) => e.eventId)
		);
		for (const event of raced) {
			const stored = theirs.get(event.eventId);
			if (!stored || !isSameEvent(stored, event, Date.parse(event.occurredAt), recordedBy)) {
				throw reusedEventId(event.eventId);
			}
		}
	}

	const states: AssignmentState[] = [];
	for (const assignment of assignments) {
		const stored = await trx
			.selectFrom('progress_events')
			.select(['kind', 'score', 'occurred_at', 'recorded_by'])
			.where('assignment_id', '=', assignment.id)
			.execute();
		const state = deriveAssignmentState(
			stored.map((e) => ({
				kind: e.kind,
				score: e.score,
				occurredAt: e.occurred_at,
				byTeacher: e.recorded_by !== null
			})),
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
	if (inserted.size === 0) {
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
	for (const event of events) {
		if (event.kind !== 'help' || !inserted.has(event.eventId)) continue;
		const assignment = byId.get(event.assignmentId)!;
		await raiseHand(
			trx,
			{
				podId: recorder.podId,
				studentId: assignment.student_id,
				assignmentId: assignment.id,
				askedAt: fresh.get(event.eventId)!
			},
			recordPodEvent
		);
	}
	await evaluateFlags(trx, recorder.podId, recordPodEvent, { studentIds, now });
	return { acknowledged: events.map((e) => e.eventId), assignments: states };
}

type StoredEvent = Pick<
	ProgressEvent,
	'id' | 'assignment_id' | 'kind' | 'score' | 'occurred_at' | 'received_at' | 'recorded_by'
>;

async function storedEvents(trx: Transaction<Database>, ids: string[]): Promise<Map<string, StoredEvent>> {
	const rows = await trx
		.selectFrom('progress_events')
		.select(['id', 'assignment_id', 'kind', 'score', 'occurred_at', 'received_at', 'recorded_by'])
		.where('id', 'in', ids)
		.execute();
	return new Map(rows.map((row) => [row.id, row]));
}

/**
 * Whether an incoming event is the stored one sent again: same assignment, kind, score and
 * recorder, and a time that, compared as an instant, is where the first arrival put it (a
 * time a little ahead was put at its arrival).
 */
function isSameEvent(
	stored: StoredEvent,
	event: IncomingProgressEvent,
	claimed: number,
	recordedBy: string | null
): boolean {
	const at = Date.parse(stored.occurred_at);
	return (
		stored.assignment_id === event.assignmentId &&
		stored.kind === event.kind &&
		stored.score === (event.score ?? null) &&
		stored.recorded_by === recordedBy &&
		(at === claimed || at === Math.min(claimed, Date.parse(stored.received_at)))
	);
}

const reusedEventId = (eventId: string) =>
	new Conflict(`eventId ${eventId} was already used for another event; make a new id for this one.`);

function clockAhead(aheadMs: number) {
	const minutes = Math.round(aheadMs / 60_000);
	const hours = Math.round(aheadMs / 3_600_000);
	const by =
		minutes < 90 ? `${minutes} minutes` : hours < 48 ? `${hours} hours` : `${Math.round(hours / 24)} days`;
	return new Invalid(
		`This Chromebook’s clock is ahead by about ${by}, so Podboard cannot tell when you did this. Ask your teacher to set the Chromebook’s date and time, then do it again.`
	);
}
