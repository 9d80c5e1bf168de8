import type { Transaction } from 'kysely';
import { isSamePlaylist, positionChanges } from '../../playlists/order';
import { auditedWrite, type Writer } from '../audit/log';
import type { Database, Db } from '../db';
import type { Priority } from '../db/schema';
import { isoNow, newId } from '../ids';
import { studentOfPod } from '../pods/students';
import type { AddInput, RemoveInput, ReorderInput, UpdateInput } from './inputs';
import { Conflict, Invalid, NotFound } from '../errors';

// One student's playlist, changed by the team. Each change is one audited write (see
// auditedWrite): one transaction, one audit entry, and a 'playlist.changed' event naming
// exactly the students whose playlists changed — their pages refetch on it.

/** Who is changing playlists, and in which pod: a staff procedure's ctx. */
export interface PlaylistEditor extends Writer {
	user: { id: string };
	pod: { id: string };
}

type Trx = Transaction<Database>;

const ROWS_PER_INSERT = 200;

/** An active student of the pod, or NOT_FOUND that says nothing about anyone elsewhere. */
async function studentWithPlaylist(db: Db, podId: string, studentId: string) {
	const student = await studentOfPod(db, podId, studentId, { activeOnly: true });
	if (!student) throw new NotFound('That student is not in this pod.');
	return student;
}

/**
 * The pod's activities with these ids, in the order given. One from another pod (or none at
 * all) is NOT_FOUND; an archived one cannot be newly assigned, and the message names it.
 */
export async function activitiesToAssign(db: Db, podId: string, activityIds: readonly string[]) {
	const rows = await db
		.selectFrom('activities')
		.select(['id', 'title', 'archived_at'])
		.where('pod_id', '=', podId)
		.where('id', 'in', [...activityIds])
		.execute();
	const byId = new Map(rows.map((row) => [row.id, row]));
	const activities = activityIds.map((id) => byId.get(id));
	if (activities.some((activity) => activity === undefined)) {
		throw new NotFound(
			"One of those activities is not in this pod's library; reload the page and choose again."
		);
	}
	const found = activities as NonNullable<(typeof activities)[number]>[];
	const archived = found.filter((activity) => activity.archived_at !== null);
	if (archived.length) {
		throw new Invalid(
			`${archived.map((a) => `“${a.title}”`).join(', ')} ${archived.length === 1 ? 'is' : 'are'} archived; bring ${archived.length === 1 ? 'it' : 'them'} back in the activity library before assigning.`
		);
	}
	return found.map(({ id, title }) => ({ id, title }));
}

export interface NewPlaylistItem {
	studentId: string;
	activityId: string;
}

/**
 * Append to the end of each student's playlist, in the order given. The unique index on
 * pod × student × activity has the last word: a row that already exists is skipped, never
 * doubled, and only the rows actually inserted come back.
 */
export async function appendToPlaylists(
	trx: Trx,
	options: { podId: string; assignedBy: string; priority: Priority; dueOn: string | null; now?: Date },
	items: readonly NewPlaylistItem[]
): Promise<{ id: string; studentId: string; activityId: string }[]> {
	if (items.length === 0) return [];
	const studentIds = [...new Set(items.map((item) => item.studentId))];
	const ends = await trx
		.selectFrom('assignments')
		.select((eb) => ['student_id', eb.fn.max('position').as('last')])
		.where('pod_id', '=', options.podId)
		.where('student_id', 'in', studentIds)
		.groupBy('student_id')
		.execute();
	const next = new Map(ends.map((row) => [row.student_id, Number(row.last ?? 0) + 1]));
	const assignedAt = isoNow(options.now);
	const rows = items.map(({ studentId, activityId }) => {
		const position = next.get(studentId) ?? 1;
		next.set(studentId, position + 1);
		return {
			id: newId(),
			pod_id: options.podId,
			student_id: studentId,
			activity_id: activityId,
			position,
			priority: options.priority,
			due_on: options.dueOn,
			assigned_by: options.assignedBy,
			assigned_at: assignedAt
		};
	});
	const inserted: { id: string; studentId: string; activityId: string }[] = [];
	for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
		const done = await trx
			.insertInto('assignments')
			.values(rows.slice(i, i + ROWS_PER_INSERT))
			.onConflict((oc) => oc.columns(['pod_id', 'student_id', 'activity_id']).doNothing())
			.returning(['id', 'student_id', 'activity_id'])
			.execute();
		inserted.push(
			...done.map((row) => ({ id: row.id, studentId: row.student_id, activityId: row.activity_id }))
		);
	}
	return inserted;
}

/** Add activities to the end of one student's playlist; those already on it are reported, not doubled. */
export function addToPlaylist(
	editor: PlaylistEditor,
	input: Pick<AddInput, 'studentId' | 'activityIds' | 'priority' | 'dueOn'>
) {
	const podId = editor.pod.id;
	return auditedWrite(
		editor,
		{ action: 'add', entity: 'playlist' },
		async (trx, record) => {
			const student = await studentWithPlaylist(trx, podId, input.studentId);
			const activities = await activitiesToAssign(trx, podId, input.activityIds);
			const existing = await trx
				.selectFrom('assignments')
				.select('activity_id')
				.where('pod_id', '=', podId)
				.where('student_id', '=', student.id)
				.where('activity_id', 'in', [...input.activityIds])
				.execute();
			const had = new Set(existing.map((row) => row.activity_id));
			const inserted = await appendToPlaylists(
				trx,
				{ podId, assignedBy: editor.user.id, priority: input.priority, dueOn: input.dueOn ?? null },
				activities.filter((a) => !had.has(a.id)).map((a) => ({ studentId: student.id, activityId: a.id }))
			);
			const addedIds = new Map(inserted.map((row) => [row.activityId, row.id]));
			const added = activities
				.filter((a) => addedIds.has(a.id))
				.map((a) => ({ assignmentId: addedIds.get(a.id)!, activityId: a.id, title: a.title }));
			const alreadyHad = activities
				.filter((a) => !addedIds.has(a.id))
				.map((a) => ({ activityId: a.id, title: a.title }));
			if (added.length) await record(podId, 'playlist.changed', { studentIds: [student.id] });
			return { added, alreadyHad };
		},
		({ added, alreadyHad }) => ({
			entityId: input.studentId,
			detail: {
				added: added.map((a) => a.activityId),
				alreadyHad: alreadyHad.map((a) => a.activityId),
				priority: input.priority,
				dueOn: input.dueOn ?? null
			}
		})
	);
}

/** A playlist item of this pod, with its activity's title, or NOT_FOUND. */
async function playlistItem(db: Db, podId: string, assignmentId: string) {
	const item = await db
		.selectFrom('assignments')
		.innerJoin('activities', 'activities.id', 'assignments.activity_id')
		.select([
			'assignments.id',
			'assignments.student_id',
			'assignments.activity_id',
			'assignments.priority',
			'assignments.due_on',
			'activities.title'
		])
		.where('assignments.pod_id', '=', podId)
		.where('assignments.id', '=', assignmentId)
		.executeTakeFirst();
	if (!item) {
		throw new NotFound(
			'That playlist item is not in this pod; it may have been removed already. Reload the page.'
		);
	}
	return item;
}

/** Set positions 1..n in the given order, writing only the rows that move. */
async function writePositions(trx: Trx, orderedIds: readonly string[], current: ReadonlyMap<string, number>) {
	const changes = positionChanges(orderedIds, current);
	for (const { id, position } of changes) {
		await trx.updateTable('assignments').set({ position }).where('id', '=', id).execute();
	}
	return changes.length;
}

async function currentPositions(db: Db, podId: string, studentId: string) {
	const rows = await db
		.selectFrom('assignments')
		.select(['id', 'position'])
		.where('pod_id', '=', podId)
		.where('student_id', '=', studentId)
		.orderBy('position')
		.orderBy('assigned_at')
		.execute();
	return { ids: rows.map((row) => row.id), positions: new Map(rows.map((row) => [row.id, row.position])) };
}

/**
 * Take an item off a playlist; the rest close up to 1..n.
 *
 * Progress events cascade with their assignment, and DESIGN treats them as the record of a
 * student's work. So an item the student has worked on is refused with CONFLICT unless the
 * teacher confirms with `force` — a deliberate "assigned by mistake", not a slip of the mouse.
 */
export function removeFromPlaylist(editor: PlaylistEditor, input: RemoveInput) {
	const podId = editor.pod.id;
	return auditedWrite(
		editor,
		{ action: 'remove', entity: 'assignment' },
		async (trx, record) => {
			const item = await playlistItem(trx, podId, input.assignmentId);
			const work = await trx
				.selectFrom('progress_events')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.where('assignment_id', '=', item.id)
				.executeTakeFirstOrThrow();
			const recorded = Number(work.n);
			if (recorded > 0 && !input.force) {
				throw new Conflict(
					`${item.title} has work recorded on it (${recorded === 1 ? '1 progress event' : `${recorded} progress events`}); removing it deletes that history. Remove it anyway only if it was assigned by mistake.`
				);
			}

			await trx.deleteFrom('assignments').where('id', '=', item.id).execute();
			const rest = await currentPositions(trx, podId, item.student_id);
			await writePositions(trx, rest.ids, rest.positions);
			await record(podId, 'playlist.changed', { studentIds: [item.student_id] });
			return { item, recorded };
		},
		({ item, recorded }) => ({
			entityId: item.id,
			detail: { studentId: item.student_id, activityId: item.activity_id, progressEventsDeleted: recorded }
		})
	).then(({ item, recorded }) => ({ removed: item.id, title: item.title, progressEventsDeleted: recorded }));
}

/**
 * Put one student's playlist in a new order. The list must be exactly the items on it now:
 * if someone added or removed one meanwhile, the order the teacher saw is stale, and guessing
 * where the difference belongs would be worse than asking them to look again (CONFLICT).
 */
export function reorderPlaylist(editor: PlaylistEditor, input: ReorderInput) {
	const podId = editor.pod.id;
	return auditedWrite(
		editor,
		{ action: 'reorder', entity: 'playlist' },
		async (trx, record) => {
			const student = await studentWithPlaylist(trx, podId, input.studentId);
			const current = await currentPositions(trx, podId, student.id);
			if (!isSamePlaylist(current.ids, input.assignmentIds)) {
				throw new Conflict(`${student.name}'s playlist changed meanwhile; reload the page and try again.`);
			}
			const moved = await writePositions(trx, input.assignmentIds, current.positions);
			if (moved > 0) await record(podId, 'playlist.changed', { studentIds: [student.id] });
			return { moved };
		},
		() => ({ entityId: input.studentId, detail: { order: input.assignmentIds } })
	);
}

/** Change an item's priority and/or due date (null clears the date). */
export function updatePlaylistItem(editor: PlaylistEditor, input: UpdateInput) {
	const podId = editor.pod.id;
	return auditedWrite(
		editor,
		{ action: 'update', entity: 'assignment' },
		async (trx, record) => {
			const item = await playlistItem(trx, podId, input.assignmentId);
			const after = {
				priority: input.priority ?? item.priority,
				dueOn: input.dueOn === undefined ? item.due_on : input.dueOn
			};
			const changed = after.priority !== item.priority || after.dueOn !== item.due_on;
			if (changed) {
				await trx
					.updateTable('assignments')
					.set({ priority: after.priority, due_on: after.dueOn })
					.where('id', '=', item.id)
					.execute();
			}
			if (changed) await record(podId, 'playlist.changed', { studentIds: [item.student_id] });
			return { item, after };
		},
		({ item, after }) => ({
			entityId: item.id,
			detail: { studentId: item.student_id, before: { priority: item.priority, dueOn: item.due_on }, after }
		})
	).then(({ item, after }) => ({ assignmentId: item.id, title: item.title, ...after }));
}
