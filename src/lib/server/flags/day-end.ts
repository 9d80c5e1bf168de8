import type { Kysely } from 'kysely';
import type { DayOff } from '../calendar/school-days';
import type { Database, Db } from '../db';
import type { FlagRule } from '../db/schema';
import { isoNow } from '../ids';
import { writeWithEvents, type RecordPodEvent } from '../live/log';
import { dayClosedBefore, type PodSchedule } from '../pods/clock';
import { flagsChanged } from './engine';

// Yesterday is not now: what is about the school day ends with it. Hands still up (taken or
// not) and the flags about the day are closed by the minute sweep once the pod's school day is
// over, with a note, as pod events, so Monday does not open with Friday's hands "waiting 2 d".

/** The words a hand or flag closed by the day's end keeps. */
export const DAY_END_NOTE = 'Closed at the end of the day';

/**
 * The flags whose reason is about the school day: idle ("nothing since …"), a hand up too long,
 * and in progress too long ("stuck" on work that is still only in progress). A tapped "I’m
 * stuck", a low score and behind pace are about the work, and stay until it changes.
 */
export const DAY_FLAG_RULES = [
	'idle',
	'hand_up',
	'stuck',
	'no_contact'
] as const satisfies readonly FlagRule[];

const ACTIVE = ['open', 'grouped'] as const;

/** What the day's end closes in one pod: the hands and day flags raised before `before`. */
async function dayLeftovers(db: Db, podId: string, before: string) {
	const [hands, flags] = await Promise.all([
		db
			.selectFrom('help_requests')
			.select(['id', 'student_id'])
			.where('pod_id', '=', podId)
			.where('open_key', 'is not', null)
			.where('asked_at', '<', before)
			.execute(),
		db
			.selectFrom('flags')
			.leftJoin('assignments', 'assignments.id', 'flags.assignment_id')
			.select(['flags.id', 'flags.student_id'])
			.where('flags.pod_id', '=', podId)
			.where('flags.status', 'in', ACTIVE)
			.where('flags.raised_by', 'is', null)
			.where('flags.rule', 'in', DAY_FLAG_RULES)
			.where('flags.created_at', '<', before)
			// "stuck" only on work still in progress: a tapped "I’m stuck" stays.
			.where((eb) =>
				eb.or([
					eb('flags.rule', '!=', 'stuck'),
					eb('assignments.status', 'is', null),
					eb('assignments.status', '!=', 'stuck')
				])
			)
			.execute()
	]);
	return { hands, flags };
}

/**
 * Close, in the caller's transaction, the hands and day flags of one pod that the end of the
 * school day has passed, and tell the boards (and each student's page). Answers how many.
 */
export async function closeTheDay(
	db: Db,
	podId: string,
	record: RecordPodEvent,
	{ pod, now, daysOff }: { pod: PodSchedule; now: Date; daysOff: readonly DayOff[] }
): Promise<{ hands: number; flags: number }> {
	const before = isoNow(dayClosedBefore(pod, now, daysOff));
	const { hands, flags } = await dayLeftovers(db, podId, before);
	const at = isoNow(now);
	if (hands.length) {
		await db
			.updateTable('help_requests')
			.set((eb) => ({
				open_key: null,
				resolved_at: at,
				resolved_by: null,
				resolution_note: DAY_END_NOTE,
				version: eb('version', '+', 1)
			}))
			.where(
				'id',
				'in',
				hands.map((h) => h.id)
			)
			.where('open_key', 'is not', null)
			.execute();
		await record(podId, 'help.changed', { studentIds: [...new Set(hands.map((h) => h.student_id))] });
	}
	if (flags.length) {
		await db
			.updateTable('flags')
			.set({
				status: 'resolved',
				open_key: null,
				resolved_at: at,
				resolved_by: null,
				resolution_note: DAY_END_NOTE
			})
			.where(
				'id',
				'in',
				flags.map((f) => f.id)
			)
			.where('status', 'in', ACTIVE)
			.execute();
		await flagsChanged(db, podId, [...new Set(flags.map((f) => f.student_id))], record);
	}
	return { hands: hands.length, flags: flags.length };
}

/**
 * The sweep's step for one pod: look outside any transaction, and write only when the day's end
 * has something to close.
 */
export async function sweepDayEnd(
	db: Kysely<Database>,
	pod: PodSchedule & { id: string },
	now: Date,
	daysOff: readonly DayOff[]
): Promise<void> {
	const before = isoNow(dayClosedBefore(pod, now, daysOff));
	const { hands, flags } = await dayLeftovers(db, pod.id, before);
	if (hands.length === 0 && flags.length === 0) return;
	await writeWithEvents(db, (trx, record) => closeTheDay(trx, pod.id, record, { pod, now, daysOff }));
}
