import type { Db } from '../db';
import type { PodRole } from '../db/schema';
import { isoNow, newId } from '../ids';
import { fullNameOf } from '../people';
import { Invalid, NotAllowed, NotFound } from '../errors';

/** One coaching cycle: what the lead saw a team teacher do, and what comes next. */
export interface CoachingNote {
	id: string;
	teacherId: string;
	teacherName: string;
	leadId: string;
	leadName: string;
	focus: string;
	/** What the lead observed. */
	evidence: string;
	nextStep: string;
	/** 'YYYY-MM-DD', when the two of them look at it again. */
	followUpOn: string | null;
	/** The teacher's own words about the cycle. */
	reflection: string | null;
	createdAt: string;
	updatedAt: string;
}

/** What the lead writes; the same fields are changed one by one on an update. */
export interface CoachingFields {
	focus: string;
	evidence: string;
	nextStep: string;
	followUpOn: string | null;
}

const COLUMNS = {
	focus: 'focus',
	evidence: 'evidence',
	nextStep: 'next_step',
	followUpOn: 'follow_up_on'
} as const satisfies Record<keyof CoachingFields, string>;

/**
 * Whose cycles a member of the pod's staff may read: the lead (or a school admin) reads
 * everyone's, or one teacher's when `teacherId` is given; a team teacher reads only their own.
 * Returns the teacher to filter on, or undefined for all of them.
 */
export function readableCycles(
	viewer: { id: string; podRole: PodRole | 'admin' },
	teacherId?: string
): string | undefined {
	if (viewer.podRole === 'lead' || viewer.podRole === 'admin') return teacherId;
	if (viewer.podRole === 'support') {
		throw new NotAllowed(
			'Coaching cycles are read only by the lead facilitator and the teacher they are about.'
		);
	}
	if (teacherId !== undefined && teacherId !== viewer.id) {
		throw new NotAllowed(
			'Coaching cycles are read only by the lead facilitator and the teacher they are about.'
		);
	}
	return viewer.id;
}

/** The pod's coaching cycles, newest first; one teacher's with `teacherId`, one cycle with `noteId`. */
export async function podCoachingNotes(
	db: Db,
	podId: string,
	{ teacherId, noteId }: { teacherId?: string; noteId?: string } = {}
): Promise<CoachingNote[]> {
	const rows = await db
		.selectFrom('coaching_notes')
		.innerJoin('users as teacher', 'teacher.id', 'coaching_notes.teacher_id')
		.innerJoin('users as lead', 'lead.id', 'coaching_notes.lead_id')
		.select([
			'coaching_notes.id',
			'coaching_notes.teacher_id',
			fullNameOf('teacher').as('teacher_name'),
			'coaching_notes.lead_id',
			fullNameOf('lead').as('lead_name'),
			'coaching_notes.focus',
			'coaching_notes.evidence',
			'coaching_notes.next_step',
			'coaching_notes.follow_up_on',
			'coaching_notes.reflection',
			'coaching_notes.created_at',
			'coaching_notes.updated_at'
		])
		.where('coaching_notes.pod_id', '=', podId)
		.$if(teacherId !== undefined, (q) => q.where('coaching_notes.teacher_id', '=', teacherId!))
		.$if(noteId !== undefined, (q) => q.where('coaching_notes.id', '=', noteId!))
		.orderBy('coaching_notes.created_at', 'desc')
		.orderBy('coaching_notes.id', 'desc')
		.execute();
	return rows.map((row) => ({
		id: row.id,
		teacherId: row.teacher_id,
		teacherName: row.teacher_name,
		leadId: row.lead_id,
		leadName: row.lead_name,
		focus: row.focus,
		evidence: row.evidence,
		nextStep: row.next_step,
		followUpOn: row.follow_up_on,
		reflection: row.reflection,
		createdAt: row.created_at,
		updatedAt: row.updated_at
	}));
}

async function noteInPod(db: Db, podId: string, noteId: string): Promise<CoachingNote> {
	const [note] = await podCoachingNotes(db, podId, { noteId });
	if (!note) throw new NotFound('No coaching cycle in this pod has that id.');
	return note;
}

/** The lead records a cycle for a team teacher of the pod (never for themself). */
export async function recordCoachingNote(
	db: Db,
	note: CoachingFields & { podId: string; podName: string; leadId: string; teacherId: string },
	now = new Date()
): Promise<CoachingNote> {
	if (note.teacherId === note.leadId) {
		throw new Invalid('A coaching cycle is for a team teacher, not yourself: choose a teacher on the team.');
	}
	const member = await db
		.selectFrom('pod_staff')
		.select('role')
		.where('pod_id', '=', note.podId)
		.where('user_id', '=', note.teacherId)
		.executeTakeFirst();
	if (member?.role !== 'teacher') {
		throw new Invalid(`That person is not a team teacher of ${note.podName}: choose a teacher on the team.`);
	}
	const id = newId();
	const at = isoNow(now);
	await db
		.insertInto('coaching_notes')
		.values({
			id,
			pod_id: note.podId,
			lead_id: note.leadId,
			teacher_id: note.teacherId,
			focus: note.focus,
			evidence: note.evidence,
			next_step: note.nextStep,
			follow_up_on: note.followUpOn,
			reflection: null,
			created_at: at,
			updated_at: at
		})
		.execute();
	return noteInPod(db, note.podId, id);
}

/**
 * The lead changes what a cycle says. Returns the cycle and the fields that really changed
 * (none when every value given was already there; nothing is written then).
 */
export async function updateCoachingNote(
	db: Db,
	{ podId, noteId, changes }: { podId: string; noteId: string; changes: Partial<CoachingFields> },
	now = new Date()
): Promise<{ note: CoachingNote; changed: (keyof CoachingFields)[] }> {
	const before = await noteInPod(db, podId, noteId);
	const changed = (Object.keys(COLUMNS) as (keyof CoachingFields)[]).filter(
		(field) => changes[field] !== undefined && changes[field] !== before[field]
	);
	if (changed.length === 0) return { note: before, changed };
	await db
		.updateTable('coaching_notes')
		.set({
			...Object.fromEntries(changed.map((field) => [COLUMNS[field], changes[field]])),
			updated_at: isoNow(now)
		})
		.where('id', '=', noteId)
		.where('pod_id', '=', podId)
		.execute();
	return { note: await noteInPod(db, podId, noteId), changed };
}

/** The teacher a cycle is about writes (or rewrites) their reflection on it; nobody else may. */
export async function reflectOnCoachingNote(
	db: Db,
	{
		podId,
		noteId,
		teacherId,
		reflection
	}: { podId: string; noteId: string; teacherId: string; reflection: string },
	now = new Date()
): Promise<{ note: CoachingNote; replaced: boolean }> {
	const before = await noteInPod(db, podId, noteId);
	if (before.teacherId !== teacherId) {
		throw new NotAllowed('Only the teacher a coaching cycle is about can write its reflection.');
	}
	await db
		.updateTable('coaching_notes')
		.set({ reflection, updated_at: isoNow(now) })
		.where('id', '=', noteId)
		.where('pod_id', '=', podId)
		.execute();
	return { note: await noteInPod(db, podId, noteId), replaced: before.reflection !== null };
}
