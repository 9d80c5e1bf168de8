// Who has seen whom today: each present student's contacts with an adult (a hand answered, a group
// held, an observation), and the students with none yet, the longest without first. Read from what the team
// already records; nobody types it twice.
import type { Db } from '../db';
import { podToday } from '../calendar/calendar';
import { zonedInstant } from '../pods/clock';
import { fullNameOf } from '../people';
import { studentsOfPod } from '../pods/students';
import { absentOn } from './absent';

export type ContactKind = 'help' | 'group' | 'observation';

export interface AdultContact {
	studentId: string;
	kind: ContactKind;
	/** The adult, by name. */
	by: string;
	at: string;
}

export interface Coverage {
	day: string;
	/** Present students with at least one contact today, and their contacts in order. */
	seen: { studentId: string; name: string; contacts: Omit<AdultContact, 'studentId'>[] }[];
	/**
	 * Present students with no adult contact today, the longest since their last first (those
	 * with none on record before all). `lastContact` is that contact, or null.
	 */
	notSeen: { studentId: string; name: string; lastContact: Omit<AdultContact, 'studentId'> | null }[];
}

/** Contacts with an adult in the pod, oldest first: all of them, or since an instant, or some students'. */
export async function podContacts(
	db: Db,
	podId: string,
	{ since, studentIds }: { since?: string; studentIds?: readonly string[] } = {}
): Promise<AdultContact[]> {
	const [hands, groups, observed] = await Promise.all([
		db
			.selectFrom('help_requests')
			.innerJoin('users as adult', 'adult.id', 'help_requests.claimed_by')
			.select(['help_requests.student_id', 'help_requests.claimed_at as at', fullNameOf('adult').as('by')])
			.where('help_requests.pod_id', '=', podId)
			.where('help_requests.claimed_at', 'is not', null)
			.$if(since !== undefined, (q) => q.where('help_requests.claimed_at', '>=', since!))
			.$if(studentIds !== undefined, (q) => q.where('help_requests.student_id', 'in', studentIds!))
			.execute(),
		// A group that met: in session now, or done (its last change is when it met or closed).
		db
			.selectFrom('group_members')
			.innerJoin('intervention_groups as g', 'g.id', 'group_members.group_id')
			.innerJoin('users as adult', 'adult.id', 'g.owner_id')
			.select(['group_members.student_id', 'g.updated_at as at', fullNameOf('adult').as('by')])
			.where('g.pod_id', '=', podId)
			.where('g.status', 'in', ['in_session', 'done'])
			.$if(since !== undefined, (q) => q.where('g.updated_at', '>=', since!))
			.$if(studentIds !== undefined, (q) => q.where('group_members.student_id', 'in', studentIds!))
			.execute(),
		db
			.selectFrom('observations')
			.innerJoin('users as adult', 'adult.id', 'observations.observed_by')
			.select(['observations.student_id', 'observations.observed_at as at', fullNameOf('adult').as('by')])
			.where('observations.pod_id', '=', podId)
			.$if(since !== undefined, (q) => q.where('observations.observed_at', '>=', since!))
			.$if(studentIds !== undefined, (q) => q.where('observations.student_id', 'in', studentIds!))
			.execute()
	]);
	return [
		...hands.map((h) => ({ studentId: h.student_id, kind: 'help' as const, by: h.by, at: h.at! })),
		...groups.map((g) => ({ studentId: g.student_id, kind: 'group' as const, by: g.by, at: g.at })),
		...observed.map((o) => ({ studentId: o.student_id, kind: 'observation' as const, by: o.by, at: o.at }))
	].sort((a, b) => a.at.localeCompare(b.at));
}

export async function coverageToday(db: Db, podId: string, now = new Date()): Promise<Coverage> {
	const today = await podToday(db, podId, now);
	const pod = await db
		.selectFrom('pods')
		.select('timezone')
		.where('id', '=', podId)
		.executeTakeFirstOrThrow();
	const dayStart = zonedInstant(today.date, '00:00', pod.timezone).toISOString();
	const [students, absent, contacts] = await Promise.all([
		studentsOfPod(db, podId, 'all', { activeOnly: true }),
		absentOn(db, podId, today.date),
		podContacts(db, podId)
	]);
	const roster = students.toSorted((a, b) => a.name.localeCompare(b.name));
	const todays = new Map<string, Omit<AdultContact, 'studentId'>[]>();
	const last = new Map<string, Omit<AdultContact, 'studentId'>>();
	for (const { studentId, ...contact } of contacts) {
		last.set(studentId, contact);
		if (contact.at >= dayStart) todays.set(studentId, [...(todays.get(studentId) ?? []), contact]);
	}
	const present = roster.filter((s) => !absent.has(s.id));
	return {
		day: today.date,
		seen: present
			.filter((s) => todays.has(s.id))
			.map((s) => ({ studentId: s.id, name: s.name, contacts: todays.get(s.id)! })),
		notSeen: present
			.filter((s) => !todays.has(s.id))
			.map((s) => ({ studentId: s.id, name: s.name, lastContact: last.get(s.id) ?? null }))
			// Never seen first, then the longest since; the roster's order among equals.
			.sort((a, b) => (a.lastContact?.at ?? '').localeCompare(b.lastContact?.at ?? ''))
	};
}
