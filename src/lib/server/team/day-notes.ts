// The team's note for the adults in the room, one per pod and school day: what to watch for, who
// to check on, which assessment to give and how. Written by a teacher (often the remote teacher of
// record, the evening before); each adult in the room acknowledges it, and the writer sees who has.
import type { Transaction } from 'kysely';
import type { Database, Db } from '../db';
import { Conflict, Invalid, NotFound } from '../errors';
import { isoNow, newId } from '../ids';
import type { RecordPodEvent } from '../live/log';
import { fullNameOf } from '../people';
import { localParts } from '../pods/clock';
import { addDays } from '../calendar/school-days';

/** How far ahead a note may be written: the next two school weeks. */
export const NOTE_DAYS_AHEAD = 14;

export interface DayNoteFields {
	watchFor: string;
	checkOn: string;
	assessment: string;
}

export interface DayNote extends DayNoteFields {
	id: string;
	day: string;
	writtenBy: string | null;
	writtenAt: string;
	/** Who has read it and said so, in order. */
	acknowledged: { userId: string; name: string; at: string }[];
	/** The adults of the team in the room (not remote) who have not acknowledged it yet. */
	waitingOn: { userId: string; name: string }[];
}

/** The pod's local date today. */
export async function podDate(db: Db, podId: string, now = new Date()): Promise<string> {
	const pod = await db.selectFrom('pods').select('timezone').where('id', '=', podId).executeTakeFirst();
	if (!pod) throw new NotFound('No pod has that id.');
	return localParts(now, pod.timezone).date;
}

/** The note for a day (today when left out), with who has acknowledged it; null when none is written. */
export async function dayNoteOf(db: Db, podId: string, day?: string): Promise<DayNote | null> {
	const date = day ?? (await podDate(db, podId));
	const note = await db
		.selectFrom('day_notes')
		.leftJoin('users as writer', 'writer.id', 'day_notes.written_by')
		.select([
			'day_notes.id',
			'day_notes.day',
			'day_notes.watch_for',
			'day_notes.check_on',
			'day_notes.assessment',
			'day_notes.written_at',
			fullNameOf('writer').as('written_by')
		])
		.where('day_notes.pod_id', '=', podId)
		.where('day_notes.day', '=', date)
		.executeTakeFirst();
	if (!note) return null;
	const [acks, inRoom] = await Promise.all([
		db
			.selectFrom('day_note_acks')
			.innerJoin('users', 'users.id', 'day_note_acks.user_id')
			.select(['users.id', fullNameOf('users').as('name'), 'day_note_acks.acknowledged_at'])
			.where('day_note_acks.note_id', '=', note.id)
			.orderBy('day_note_acks.acknowledged_at')
			.execute(),
		db
			.selectFrom('pod_staff')
			.innerJoin('users', 'users.id', 'pod_staff.user_id')
			.select(['users.id', fullNameOf('users').as('name')])
			.where('pod_staff.pod_id', '=', podId)
			.where('pod_staff.remote', '=', 0)
			.where('users.status', '=', 'active')
			.orderBy('users.given_name')
			.execute()
	]);
	const read = new Set(acks.map((a) => a.id));
	return {
		id: note.id,
		day: note.day,
		watchFor: note.watch_for,
		checkOn: note.check_on,
		assessment: note.assessment,
		writtenBy: note.written_by,
		writtenAt: note.written_at,
		acknowledged: acks.map((a) => ({ userId: a.id, name: a.name, at: a.acknowledged_at })),
		waitingOn: inRoom.filter((p) => !read.has(p.id)).map((p) => ({ userId: p.id, name: p.name }))
	};
}

/**
 * Write (or rewrite) a day's note. A changed note is news: the acknowledgements of the old one go,
 * so everyone reads it again. Answers whether it changed.
 */
export async function writeDayNote(
	trx: Transaction<Database>,
	input: DayNoteFields & { podId: string; day?: string; byId: string },
	record: RecordPodEvent,
	now = new Date()
): Promise<{ noteId: string; day: string; changed: boolean }> {
	const today = await podDate(trx, input.podId, now);
	const day = input.day ?? today;
	if (day < today) throw new Invalid(`${day} has passed: write the note for today or a day ahead.`);
	if (day > addDays(today, NOTE_DAYS_AHEAD)) {
		throw new Invalid(`${day} is more than two weeks ahead: write it nearer the day.`);
	}
	if (!input.watchFor && !input.checkOn && !input.assessment) {
		throw new Invalid(
			'Write at least one part of the note: what to watch for, who to check on, or the assessment.'
		);
	}
	const fields = { watch_for: input.watchFor, check_on: input.checkOn, assessment: input.assessment };
	const before = await trx
		.selectFrom('day_notes')
		.select(['id', 'watch_for', 'check_on', 'assessment'])
		.where('pod_id', '=', input.podId)
		.where('day', '=', day)
		.executeTakeFirst();
	if (
		before &&
		before.watch_for === fields.watch_for &&
		before.check_on === fields.check_on &&
		before.assessment === fields.assessment
	) {
		return { noteId: before.id, day, changed: false };
	}
	const at = isoNow(now);
	// Two writers at once: one row a day, the last one's words.
	const { id } = await trx
		.insertInto('day_notes')
		.values({ id: newId(), pod_id: input.podId, day, ...fields, written_by: input.byId, written_at: at })
		.onConflict((oc) =>
			oc.columns(['pod_id', 'day']).doUpdateSet({ ...fields, written_by: input.byId, written_at: at })
		)
		.returning('id')
		.executeTakeFirstOrThrow();
	await trx.deleteFrom('day_note_acks').where('note_id', '=', id).execute();
	// Whoever wrote it has read it: an adult of the room who writes the note waits on nobody for it.
	await trx
		.insertInto('day_note_acks')
		.columns(['note_id', 'user_id', 'acknowledged_at'])
		.expression((eb) =>
			eb
				.selectFrom('pod_staff')
				.select([eb.val(id).as('note_id'), 'user_id', eb.val(at).as('acknowledged_at')])
				.where('pod_id', '=', input.podId)
				.where('user_id', '=', input.byId)
				.where('remote', '=', 0)
		)
		.execute();
	await record(input.podId, 'dayNote.changed', { studentIds: [], day });
	return { noteId: id, day, changed: true };
}

/** An adult of the team says they have read the note. Answers whether it was news. */
export async function acknowledgeDayNote(
	trx: Transaction<Database>,
	/** `writtenAt`: the note as the adult read it; a note rewritten since is refused. */
	input: { podId: string; noteId: string; writtenAt: string; userId: string },
	record: RecordPodEvent,
	now = new Date()
): Promise<{ day: string; acknowledged: boolean }> {
	const note = await trx
		.selectFrom('day_notes')
		.select(['day', 'written_at'])
		.where('id', '=', input.noteId)
		.where('pod_id', '=', input.podId)
		.executeTakeFirst();
	if (!note) throw new NotFound('That note is not in this pod.');
	if (note.written_at !== input.writtenAt) {
		throw new Conflict('The note was rewritten since you read it: read it again, then acknowledge.');
	}
	const added = await trx
		.insertInto('day_note_acks')
		.values({ note_id: input.noteId, user_id: input.userId, acknowledged_at: isoNow(now) })
		.onConflict((oc) => oc.columns(['note_id', 'user_id']).doNothing())
		.executeTakeFirst();
	const acknowledged = Number(added.numInsertedOrUpdatedRows ?? 0) > 0;
	if (acknowledged) await record(input.podId, 'dayNote.changed', { studentIds: [], day: note.day });
	return { day: note.day, acknowledged };
}
