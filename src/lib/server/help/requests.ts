import type { Transaction } from 'kysely';
import type { Database, Db } from '../db';
import { isoNow, newId } from '../ids';
import type { RecordPodEvent } from '../live/log';
import { fullNameOf } from '../people';
import { Conflict, NotAllowed, NotFound } from '../errors';

// A student's raised hand, from "Raise hand" to a teacher at their side. Claims are one
// compare-and-set statement on the request's version, so two adults never go to the same
// hand — on one server or several over one database.

export interface HelpRequest {
	id: string;
	studentId: string;
	studentName: string;
	/** What the student was on when they raised their hand. */
	activityTitle: string | null;
	askedAt: string;
	claimedBy: { id: string; name: string } | null;
	claimedAt: string | null;
	version: number;
}

function openRequests(db: Db, podId: string) {
	return db
		.selectFrom('help_requests')
		.innerJoin('users as student', 'student.id', 'help_requests.student_id')
		.leftJoin('users as teacher', 'teacher.id', 'help_requests.claimed_by')
		.leftJoin('assignments', 'assignments.id', 'help_requests.assignment_id')
		.leftJoin('activities', 'activities.id', 'assignments.activity_id')
		.select([
			'help_requests.id',
			'help_requests.student_id',
			fullNameOf('student').as('student_name'),
			'activities.title',
			'help_requests.asked_at',
			'help_requests.claimed_by',
			fullNameOf('teacher').as('teacher_name'),
			'help_requests.claimed_at',
			'help_requests.version'
		])
		.where('help_requests.pod_id', '=', podId)
		.where('help_requests.open_key', 'is not', null);
}

type OpenRow = Awaited<ReturnType<ReturnType<typeof openRequests>['execute']>>[number];
const toRequest = (row: OpenRow): HelpRequest => ({
	id: row.id,
	studentId: row.student_id,
	studentName: row.student_name,
	activityTitle: row.title,
	askedAt: row.asked_at,
	claimedBy: row.claimed_by ? { id: row.claimed_by, name: row.teacher_name ?? 'A teacher' } : null,
	claimedAt: row.claimed_at,
	version: Number(row.version)
});

/** The pod's hands up, longest waiting first. */
export async function helpQueue(db: Db, podId: string): Promise<HelpRequest[]> {
	const rows = await openRequests(db, podId).orderBy('help_requests.asked_at').execute();
	return rows.map(toRequest);
}

/** The student's own hand, if it is up. */
export async function myHand(db: Db, podId: string, studentId: string): Promise<HelpRequest | null> {
	const row = await openRequests(db, podId)
		.where('help_requests.student_id', '=', studentId)
		.executeTakeFirst();
	return row ? toRequest(row) : null;
}

const helpChanged = (podId: string, studentId: string, record: RecordPodEvent) =>
	record(podId, 'help.changed', { studentIds: [studentId] });

/**
 * Put the student's hand up, about the assignment they are on. A hand already up stays as it
 * is (its place in the queue is kept). Answers whether a new hand went up.
 */
export async function raiseHand(
	trx: Transaction<Database>,
	hand: { podId: string; studentId: string; assignmentId: string | null; askedAt: string },
	record: RecordPodEvent
): Promise<boolean> {
	const inserted = await trx
		.insertInto('help_requests')
		.values({
			id: newId(),
			pod_id: hand.podId,
			student_id: hand.studentId,
			assignment_id: hand.assignmentId,
			asked_at: hand.askedAt,
			open_key: hand.studentId
		})
		.onConflict((oc) => oc.column('open_key').doNothing())
		.executeTakeFirst();
	const raised = Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
	if (raised) await helpChanged(hand.podId, hand.studentId, record);
	return raised;
}

/** The student raises their own hand, about an item of their own playlist or none. */
export async function askForHelp(
	trx: Transaction<Database>,
	hand: { podId: string; studentId: string; assignmentId: string | null; askedAt: string },
	record: RecordPodEvent
): Promise<boolean> {
	if (hand.assignmentId) {
		const own = await trx
			.selectFrom('assignments')
			.select('id')
			.where('id', '=', hand.assignmentId)
			.where('student_id', '=', hand.studentId)
			.executeTakeFirst();
		if (!own) throw new NotAllowed('You can only ask for help with your own playlist.');
	}
	return raiseHand(trx, hand, record);
}

/** The student lowers their own hand. Lowering a hand that is not up changes nothing. */
export async function lowerHand(
	trx: Transaction<Database>,
	student: { podId: string; studentId: string },
	record: RecordPodEvent,
	now = new Date()
): Promise<void> {
	const result = await trx
		.updateTable('help_requests')
		.set((eb) => ({
			open_key: null,
			resolved_at: isoNow(now),
			resolved_by: student.studentId,
			resolution_note: 'Lowered by the student',
			version: eb('version', '+', 1)
		}))
		.where('pod_id', '=', student.podId)
		.where('open_key', '=', student.studentId)
		.executeTakeFirst();
	if (Number(result.numUpdatedRows) > 0) await helpChanged(student.podId, student.studentId, record);
}

/**
 * A teacher takes a hand: exactly one of several teachers at once wins. The others hear who
 * has it (CONFLICT), or that the request changed or is gone. The teacher who has it taking it
 * again (a double tap) is answered with the hand as it is, `claimed: false`, changing nothing.
 */
export async function claimHelp(
	trx: Transaction<Database>,
	claim: { podId: string; requestId: string; version: number; teacherId: string },
	record: RecordPodEvent,
	now = new Date()
): Promise<{ request: HelpRequest; claimed: boolean }> {
	const result = await trx
		.updateTable('help_requests')
		.set((eb) => ({ claimed_by: claim.teacherId, claimed_at: isoNow(now), version: eb('version', '+', 1) }))
		.where('id', '=', claim.requestId)
		.where('pod_id', '=', claim.podId)
		.where('version', '=', claim.version)
		.where('claimed_by', 'is', null)
		.where('open_key', 'is not', null)
		.executeTakeFirst();
	if (Number(result.numUpdatedRows) === 0) {
		const mine = await openRequests(trx, claim.podId)
			.where('help_requests.id', '=', claim.requestId)
			.where('help_requests.claimed_by', '=', claim.teacherId)
			.executeTakeFirst();
		if (mine) return { request: toRequest(mine), claimed: false };
		await refuse(trx, claim.podId, claim.requestId, claim.teacherId);
	}
	const request = await openOne(trx, claim.podId, claim.requestId);
	await helpChanged(claim.podId, request.studentId, record);
	return { request, claimed: true };
}

/** The teacher who took a hand gives it back to the queue (or a lead does for them). */
export async function releaseHelp(
	trx: Transaction<Database>,
	release: { podId: string; requestId: string; version: number; teacherId: string; isLead: boolean },
	record: RecordPodEvent
): Promise<HelpRequest> {
	const result = await trx
		.updateTable('help_requests')
		.set((eb) => ({ claimed_by: null, claimed_at: null, version: eb('version', '+', 1) }))
		.where('id', '=', release.requestId)
		.where('pod_id', '=', release.podId)
		.where('version', '=', release.version)
		.where('open_key', 'is not', null)
		.$if(!release.isLead, (q) => q.where('claimed_by', '=', release.teacherId))
		.executeTakeFirst();
	if (Number(result.numUpdatedRows) === 0)
		await refuse(trx, release.podId, release.requestId, release.teacherId);
	const request = await openOne(trx, release.podId, release.requestId);
	await helpChanged(release.podId, request.studentId, record);
	return request;
}

/** The student has been helped: the hand comes down, with an optional note. */
export async function resolveHelp(
	trx: Transaction<Database>,
	resolve: { podId: string; requestId: string; teacherId: string; note: string | null },
	record: RecordPodEvent,
	now = new Date()
): Promise<void> {
	const request = await trx
		.selectFrom('help_requests')
		.select(['student_id', 'open_key'])
		.where('id', '=', resolve.requestId)
		.where('pod_id', '=', resolve.podId)
		.executeTakeFirst();
	if (!request) throw new NotFound('No hand up in this pod has that id.');
	if (request.open_key === null) {
		throw new Conflict('That hand is already down.');
	}
	await trx
		.updateTable('help_requests')
		.set((eb) => ({
			open_key: null,
			resolved_at: isoNow(now),
			resolved_by: resolve.teacherId,
			resolution_note: resolve.note,
			// Whoever helps is who came, even without a claim first.
			claimed_by: eb.fn.coalesce('claimed_by', eb.val(resolve.teacherId)),
			version: eb('version', '+', 1)
		}))
		.where('id', '=', resolve.requestId)
		.execute();
	await helpChanged(resolve.podId, request.student_id, record);
}

async function openOne(db: Db, podId: string, requestId: string): Promise<HelpRequest> {
	const row = await openRequests(db, podId)
		.where('help_requests.id', '=', requestId)
		.executeTakeFirstOrThrow();
	return toRequest(row);
}

/** Why a claim or release did not happen, in words a teacher can act on. */
async function refuse(db: Db, podId: string, requestId: string, teacherId: string): Promise<never> {
	const row = await db
		.selectFrom('help_requests')
		.leftJoin('users as teacher', 'teacher.id', 'help_requests.claimed_by')
		.select(['help_requests.open_key', 'help_requests.claimed_by', fullNameOf('teacher').as('teacher_name')])
		.where('help_requests.id', '=', requestId)
		.where('help_requests.pod_id', '=', podId)
		.executeTakeFirst();
	if (!row) throw new NotFound('No hand up in this pod has that id.');
	if (row.open_key === null) throw new Conflict('That hand is already down.');
	if (row.claimed_by === teacherId) throw new Conflict('You already have it.');
	if (row.claimed_by) {
		throw new Conflict(`${row.teacher_name} has it.`, { holder: row.teacher_name });
	}
	throw new Conflict('That hand changed since you looked: look again.');
}
