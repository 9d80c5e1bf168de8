import type { Transaction } from 'kysely';
import type { Database } from '../db';
import type { ProgressEvent, ProgressEventKind, ScoreSource } from '../db/schema';
import { dialectOf } from '../db/sql';
import { evaluateFlags } from '../flags/engine';
import { readThresholds } from '../flags/thresholds';
import { raiseHand } from '../help/requests';
import { isoNow } from '../ids';
import type { RecordPodEvent } from '../live/log';
import type { AssignmentChange } from '../../live/events';
import {
	deriveAssignmentState,
	type DerivedAssignmentState,
	type EventForDerivation,
	type EvidenceRules
} from '../../progress/derive';
import { Conflict, Invalid, NotAllowed } from '../errors';
import { recordSkillEvidence, withdrawTakenBackEvidence } from '../mastery/evidence';
import { keepMastery, masteryPercents } from '../mastery/mastery';

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
	/**
	 * Where the score comes from, when the server scored it (a quick check). Never from the
	 * API's input: there a student's score is their own and a teacher's their mark.
	 */
	scoreSource?: ScoreSource;
	/** A quick check's share right per skill id (server-only, like scoreSource): its evidence per skill. */
	skillPercents?: ReadonlyMap<string, number>;
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
	// Read (and on PostgreSQL held) before the assignments, in the order the lead's change takes them.
	const pod = await podRulesOf(trx, recorder.podId);
	const evidence = evidenceRulesFrom(pod.flag_thresholds);
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
	// A score staff record is their mark; a student's is what they typed, unless the server scored it.
	const recorderSource = recorder.kind === 'staff' ? 'teacher' : 'self';
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
						score_source: event.score == null ? null : (event.scoreSource ?? recorderSource),
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

	// What the new work shows of each skill, kept for mastery over time.
	const newlyStored = toStore.filter((e) => inserted.has(e.eventId));
	await recordSkillEvidence(
		trx,
		newlyStored
			.filter((e) => e.kind === 'submit' && e.score != null)
			.map((e) => ({
				eventId: e.eventId,
				assignment: byId.get(e.assignmentId)!,
				score: e.score!,
				source: e.scoreSource ?? recorderSource,
				occurredAt: fresh.get(e.eventId)!,
				skillPercents: e.skillPercents
			}))
	);
	for (const e of newlyStored) {
		if (e.kind === 'undo_submit') await withdrawTakenBackEvidence(trx, e.assignmentId, fresh.get(e.eventId)!);
	}
	// Whose mastery this batch may have moved: kept again now; each one's whole mastery goes to the boards.
	const evidenced = [
		...new Set(
			newlyStored
				.filter((e) => (e.kind === 'submit' && e.score != null) || e.kind === 'undo_submit')
				.map((e) => byId.get(e.assignmentId)!.student_id)
		)
	];
	await keepMastery(trx, pod, evidenced, now);

	const stored = await eventsOf(
		trx,
		assignments.map((a) => a.id)
	);
	const states: AssignmentState[] = [];
	for (const assignment of assignments) {
		const state = await storeDerivedState(trx, assignment, stored.get(assignment.id) ?? [], evidence);
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
		assignments: states.map((s) => assignmentChange(byId.get(s.assignmentId)!, s)),
		...(evidenced.length && { mastery: await masteryPercents(trx, recorder.podId, evidenced) })
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

/** What the pod counts as evidence of learning, as its lead set it on the flag rules page. */
export async function evidenceRulesOf(db: Transaction<Database>, podId: string): Promise<EvidenceRules> {
	return evidenceRulesFrom((await podRulesOf(db, podId)).flag_thresholds);
}

const evidenceRulesFrom = (storedThresholds: string): EvidenceRules => ({
	selfReportedCounts: readThresholds(storedThresholds).selfReportedScoresCount
});

/** The pod's flag rules as stored (they say what counts as evidence, and mastery's levels), and its time zone. */
/** The pod's rules for evidence, its row held (on PostgreSQL) while its work is written. */
export async function podRulesOf(db: Transaction<Database>, podId: string) {
	const pod = await db
		.selectFrom('pods')
		.select(['id', 'flag_thresholds', 'timezone'])
		.where('id', '=', podId)
		// On PostgreSQL the pod's row is held as its event log's writers hold it (live/log.ts): the
		// lead's change of these rules waits for this write, or this for theirs, so work is never
		// derived by rules changed while it was being stored.
		.$if(dialectOf(db) === 'postgres', (q) => q.forNoKeyUpdate())
		.executeTakeFirst();
	return pod ?? { id: podId, flag_thresholds: '{}', timezone: 'UTC' };
}

type EventForState = Pick<
	ProgressEvent,
	'assignment_id' | 'kind' | 'score' | 'score_source' | 'occurred_at' | 'recorded_by'
>;

/** A stored event as the derivation reads it: staff record only their marks. */
export const asDerivationEvent = (
	e: Pick<ProgressEvent, 'kind' | 'score' | 'score_source' | 'occurred_at' | 'recorded_by'>
): EventForDerivation => ({
	kind: e.kind,
	score: e.score,
	source: e.score_source,
	occurredAt: e.occurred_at,
	byTeacher: e.recorded_by !== null
});

/** Every stored event of these assignments, by assignment. */
async function eventsOf(trx: Transaction<Database>, assignmentIds: readonly string[]) {
	const byAssignment = new Map<string, EventForState[]>();
	if (assignmentIds.length === 0) return byAssignment;
	const rows = await trx
		.selectFrom('progress_events')
		.select(['assignment_id', 'kind', 'score', 'score_source', 'occurred_at', 'recorded_by'])
		.where('assignment_id', 'in', assignmentIds)
		.execute();
	for (const row of rows) {
		const list = byAssignment.get(row.assignment_id) ?? [];
		list.push(row);
		byAssignment.set(row.assignment_id, list);
	}
	return byAssignment;
}

/** The assignment's state from all its events, stored on it: the one place it is derived. */
async function storeDerivedState(
	trx: Transaction<Database>,
	assignment: { id: string; kind: Database['activities']['kind']; max_score: number | null },
	events: readonly EventForState[],
	evidence: EvidenceRules
): Promise<DerivedAssignmentState> {
	const state = deriveAssignmentState(
		events.map(asDerivationEvent),
		{ kind: assignment.kind, maxScore: assignment.max_score },
		evidence
	);
	await trx
		.updateTable('assignments')
		.set({
			status: state.status,
			score: state.score,
			score_source: state.scoreSource,
			attempts: state.attempts,
			seconds_spent: state.secondsSpent,
			last_event_at: state.lastEventAt
		})
		.where('id', '=', assignment.id)
		.execute();
	return state;
}

const assignmentChange = (
	assignment: { id: string; student_id: string; activity_id: string },
	state: DerivedAssignmentState
): AssignmentChange => ({
	assignmentId: assignment.id,
	studentId: assignment.student_id,
	activityId: assignment.activity_id,
	status: state.status,
	score: state.score,
	scoreSource: state.scoreSource,
	lastEventAt: state.lastEventAt
});

/**
 * After the lead changes what the pod counts as evidence: every scored assignment of the pod is
 * derived again (work mastered by a self-reported score alone becomes submitted, or back), and the
 * boards hear of each one whose status changed. Returns how many changed.
 */
export async function rederivePodScores(
	trx: Transaction<Database>,
	podId: string,
	recordPodEvent: RecordPodEvent
): Promise<number> {
	const scored = await trx
		.selectFrom('assignments')
		.innerJoin('activities', 'activities.id', 'assignments.activity_id')
		.select([
			'assignments.id',
			'assignments.student_id',
			'assignments.activity_id',
			'assignments.status',
			'activities.kind',
			'activities.max_score'
		])
		.where('assignments.pod_id', '=', podId)
		.where('assignments.score', 'is not', null)
		.orderBy('assignments.id')
		.$if(dialectOf(trx) === 'postgres', (q) => q.forUpdate('assignments'))
		.execute();
	const evidence = await evidenceRulesOf(trx, podId);
	const events = await eventsOf(
		trx,
		scored.map((a) => a.id)
	);
	const changes: AssignmentChange[] = [];
	for (const assignment of scored) {
		const state = await storeDerivedState(trx, assignment, events.get(assignment.id) ?? [], evidence);
		if (state.status !== assignment.status) changes.push(assignmentChange(assignment, state));
	}
	if (changes.length) {
		await recordPodEvent(podId, 'progress', {
			studentIds: [...new Set(changes.map((c) => c.studentId))],
			assignments: changes
		});
	}
	return changes.length;
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
