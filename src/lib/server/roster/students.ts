import type { Transaction } from 'kysely';
import { endSessionsOf } from '../auth/sessions';
import type { Database, Db } from '../db';
import { takeTurns } from '../db/locks';
import { Conflict, Invalid, NotAllowed, NotFound } from '../errors';
import { flagsChanged } from '../flags/engine';
import { isoNow, newId } from '../ids';
import type { RecordPodEvent } from '../live/log';
import { gradeSpan } from '../pods/queries';
import { studentOfPod } from '../pods/students';
import { splitName } from './oneroster/students-csv';

// Students without OneRoster: a lead adds them one at a time on the pod's roster page.

export interface NewStudent {
	podId: string;
	/** "Ana Ruiz" (the last word is the family name) or "Ruiz Pérez, Ana". */
	name: string;
	grade: number;
	cohort: string | null;
	/** From hashSecret(pictureSecret(randomPictures())), made before the transaction: ~50 ms. */
	pictureHash: string;
}

export interface AddedStudent {
	id: string;
	name: string;
	grade: number;
	cohort: string | null;
}

/** The pod's roster changes one at a time: a name checked free is still free when it is written. */
export const rosterTurn = (podId: string) => `pod-roster:${podId}`;

/** A pod's name and grade span, or NotFound. */
export async function podForRoster(db: Db, podId: string) {
	const pod = await db
		.selectFrom('pods')
		.select(['id', 'name', 'grade_low', 'grade_high'])
		.where('id', '=', podId)
		.executeTakeFirst();
	if (!pod) throw new NotFound('No pod has that id.');
	return pod;
}

/** The refusal for a grade the pod does not teach, or null when it does. */
export function gradeOutsidePod(
	pod: { name: string; grade_low: number; grade_high: number },
	grade: number,
	who = 'the student'
): Invalid | null {
	if (grade >= pod.grade_low && grade <= pod.grade_high) return null;
	const choose =
		pod.grade_low === pod.grade_high
			? `${who}’s grade there is ${pod.grade_low}`
			: `choose ${who}’s grade from ${pod.grade_low} to ${pod.grade_high}`;
	return new Invalid(
		`${pod.name} is for ${gradeSpan(pod.grade_low, pod.grade_high).toLowerCase()}: ${choose}.`
	);
}

/** Given and family name from the one field, or the refusal that says how to write it. */
export function studentNameParts(name: string): { givenName: string; familyName: string } {
	const parts = splitName(name.trim());
	if (!parts) {
		throw new Invalid(
			`Write “${name.trim()}” with a family name too, like “Ana Ruiz”: the last word is the family name.`
		);
	}
	return parts;
}

/** Another student of the pod already has this name (any letter case): who, or undefined. */
export async function namesake(db: Db, podId: string, name: { givenName: string; familyName: string }) {
	const students = await db
		.selectFrom('pod_students')
		.innerJoin('users', 'users.id', 'pod_students.user_id')
		.select(['users.id', 'users.given_name', 'users.family_name', 'users.status', 'pod_students.grade_level'])
		.where('pod_students.pod_id', '=', podId)
		.where('users.kind', '=', 'student')
		.execute();
	const key = (given: string, family: string) => `${given} ${family}`.toLocaleLowerCase();
	const wanted = key(name.givenName, name.familyName);
	return students.find((s) => key(s.given_name, s.family_name) === wanted);
}

/**
 * A new student of the pod, with their own random picture password (the sign-in cards page
 * hands it out). Refuses a grade outside the pod's span and a name the pod already has: two
 * "Ana R." on the sign-in screen would be one child guessing which is theirs.
 */
export async function addStudent(
	trx: Transaction<Database>,
	student: NewStudent,
	record: RecordPodEvent,
	now = new Date()
): Promise<AddedStudent> {
	await takeTurns(trx, [rosterTurn(student.podId)]);
	const pod = await podForRoster(trx, student.podId);
	const name = studentNameParts(student.name);
	const outside = gradeOutsidePod(pod, student.grade);
	if (outside) throw outside;
	const same = await namesake(trx, pod.id, name);
	if (same) {
		throw new Conflict(
			`${same.given_name} ${same.family_name} is already in ${pod.name} (grade ${same.grade_level}${same.status === 'active' ? '' : ', no longer active'}). For another student with that name, add a middle initial so each can find their own name.`
		);
	}
	const id = newId();
	await trx
		.insertInto('users')
		.values({
			id,
			kind: 'student',
			given_name: name.givenName,
			family_name: name.familyName,
			email: null,
			password_hash: null,
			picture_password_hash: student.pictureHash,
			status: 'active',
			source_id: null,
			created_at: isoNow(now)
		})
		.execute();
	await trx
		.insertInto('pod_students')
		.values({ pod_id: pod.id, user_id: id, grade_level: student.grade, cohort: student.cohort })
		.execute();
	const none = { add: 0, update: 0, deactivate: 0 };
	await record(pod.id, 'roster.changed', { students: { ...none, add: 1 }, staff: none });
	return { id, name: `${name.givenName} ${name.familyName}`, grade: student.grade, cohort: student.cohort };
}

export interface StudentMove {
	fromPodId: string;
	studentId: string;
	toPodId: string;
	/** Their grade in the new pod; the grade they have now when left out. */
	grade?: number;
	/** Their cohort in the new pod (cohorts are each pod's own); none when left out. */
	cohort?: string | null;
	actor: { id: string; isAdmin: boolean };
}

export interface MovedStudent {
	studentId: string;
	name: string;
	from: { id: string; name: string };
	to: { id: string; name: string };
	grade: number;
	/** What was still open for them in the old pod, closed with a note saying where they went. */
	closed: { flags: number; hands: number; groups: number };
}

const OPEN_GROUP = ['proposed', 'claimed', 'in_session'] as const;

async function podToMoveBetween(db: Db, podId: string) {
	return db
		.selectFrom('pods')
		.innerJoin('schools', 'schools.id', 'pods.school_id')
		.select([
			'pods.id',
			'pods.name',
			'pods.grade_low',
			'pods.grade_high',
			'pods.school_id',
			'pods.archived_at',
			'schools.name as schoolName'
		])
		.where('pods.id', '=', podId)
		.executeTakeFirst();
}

/**
 * A student changes pods within their school: their membership moves, with a grade the new pod
 * teaches. Their history (playlist, work, flags) stays in the old pod's records, read from their
 * data page; what was still open for them there (flags, a hand up, groups) closes with a note, and
 * their old card stops (it names the old pod's code). They sign in again into the new pod. Only a
 * lead of both pods (the old one is checked by the procedure) or a school admin moves a student.
 */
export async function moveStudent(
	trx: Transaction<Database>,
	move: StudentMove,
	record: RecordPodEvent,
	now = new Date()
): Promise<MovedStudent> {
	await takeTurns(trx, [rosterTurn(move.fromPodId), rosterTurn(move.toPodId)].sort());
	const [from, to] = await Promise.all([
		podToMoveBetween(trx, move.fromPodId),
		podToMoveBetween(trx, move.toPodId)
	]);
	if (!from) throw new NotFound('No pod has that id.');
	const student = await studentOfPod(trx, from.id, move.studentId);
	if (!student) {
		throw new NotFound(
			`That student is not in ${from.name}. Reload the page to see the roster as it is now.`
		);
	}
	if (!to) {
		throw new NotFound(
			'The pod to move them to is not there. Reload the page to see the pods as they are now.'
		);
	}
	if (to.id === from.id) throw new Invalid(`${student.name} is in ${from.name} already: choose another pod.`);
	if (to.school_id !== from.school_id) {
		throw new Invalid(
			`${to.name} is at ${to.schoolName}, not ${from.schoolName}: a student moves only between pods of the same school.`
		);
	}
	for (const pod of [from, to]) {
		if (pod.archived_at) throw new Invalid(`${pod.name} is archived: nobody moves in or out of it.`);
	}
	if (!move.actor.isAdmin) {
		const leads = await trx
			.selectFrom('pod_staff')
			.innerJoin('users', 'users.id', 'pod_staff.user_id')
			.select(['users.id', 'users.given_name', 'users.family_name'])
			.where('pod_staff.pod_id', '=', to.id)
			.where('pod_staff.role', '=', 'lead')
			.execute();
		if (!leads.some((lead) => lead.id === move.actor.id)) {
			const ask = leads.length
				? `Ask ${leads.map((l) => `${l.given_name} ${l.family_name}`).join(' or ')}, or`
				: 'Ask';
			throw new NotAllowed(
				`Only a lead of ${to.name} or a school admin can move a student into it. ${ask} your school’s Podboard admin.`
			);
		}
	}
	if (await studentOfPod(trx, to.id, student.id)) {
		throw new Conflict(`${student.name} is in ${to.name} already.`);
	}
	const grade = move.grade ?? student.grade;
	const outside = gradeOutsidePod(to, grade, student.givenName);
	if (outside) throw outside;
	const same = await namesake(trx, to.id, student);
	if (same) {
		throw new Conflict(
			`${to.name} already has a student named ${student.name}: correct one of the names first, so each can find their own name.`
		);
	}

	const at = isoNow(now);
	const note = `Moved to ${to.name}`;
	await trx
		.deleteFrom('pod_students')
		.where('pod_id', '=', from.id)
		.where('user_id', '=', student.id)
		.execute();
	await trx
		.insertInto('pod_students')
		.values({ pod_id: to.id, user_id: student.id, grade_level: grade, cohort: move.cohort ?? null })
		.execute();

	const flags = await trx
		.updateTable('flags')
		.set({
			status: 'resolved',
			open_key: null,
			resolved_at: at,
			resolved_by: move.actor.id,
			resolution_note: note
		})
		.where('pod_id', '=', from.id)
		.where('student_id', '=', student.id)
		.where('status', 'in', ['open', 'grouped'])
		.returning('id')
		.execute();
	const hands = await trx
		.updateTable('help_requests')
		.set((eb) => ({
			open_key: null,
			resolved_at: at,
			resolved_by: move.actor.id,
			resolution_note: note,
			version: eb('version', '+', 1)
		}))
		.where('pod_id', '=', from.id)
		.where('student_id', '=', student.id)
		.where('open_key', 'is not', null)
		.returning('id')
		.execute();
	const groups = await trx
		.selectFrom('group_members')
		.innerJoin('intervention_groups', 'intervention_groups.id', 'group_members.group_id')
		.select('intervention_groups.id')
		.where('intervention_groups.pod_id', '=', from.id)
		.where('intervention_groups.status', 'in', OPEN_GROUP)
		.where('group_members.student_id', '=', student.id)
		.execute();
	for (const group of groups) {
		await trx
			.deleteFrom('group_members')
			.where('group_id', '=', group.id)
			.where('student_id', '=', student.id)
			.execute();
		const left = await trx
			.selectFrom('group_members')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('group_id', '=', group.id)
			.executeTakeFirstOrThrow();
		// A group of one closes; a group with others carries on without them.
		await trx
			.updateTable('intervention_groups')
			.set((eb) => ({
				version: eb('version', '+', 1),
				updated_at: at,
				...(Number(left.n) === 0
					? { status: 'done' as const, outcome_note: `Closed: ${student.givenName} moved to ${to.name}` }
					: {})
			}))
			.where('id', '=', group.id)
			.execute();
		await record(from.id, 'groups.changed', { studentIds: [student.id], groupId: group.id });
	}
	// The old card names the old pod's code: the new pod's lead makes a new one.
	await trx
		.updateTable('sign_in_cards')
		.set({ status: 'replaced', pictures: null, ended_at: at, ended_by: move.actor.id })
		.where('pod_id', '=', from.id)
		.where('student_id', '=', student.id)
		.where('status', '=', 'active')
		.execute();
	// Signed in to the old pod: they sign in again, into the new one.
	await endSessionsOf(trx, [student.id]);

	if (flags.length) await flagsChanged(trx, from.id, [student.id], record);
	if (hands.length) await record(from.id, 'help.changed', { studentIds: [student.id] });
	await record(from.id, 'roster.changed', { studentIds: [student.id], movedTo: to.id });
	await record(to.id, 'roster.changed', { studentIds: [student.id], movedFrom: from.id });
	return {
		studentId: student.id,
		name: student.name,
		from: { id: from.id, name: from.name },
		to: { id: to.id, name: to.name },
		grade,
		closed: { flags: flags.length, hands: hands.length, groups: groups.length }
	};
}

/** The other pods of this pod's school that this person may move its students into, by name. */
export async function podsToMoveInto(db: Db, fromPodId: string, actor: { id: string; isAdmin: boolean }) {
	const pods = await db
		.selectFrom('pods as from')
		.innerJoin('pods', 'pods.school_id', 'from.school_id')
		.select(['pods.id', 'pods.name', 'pods.grade_low', 'pods.grade_high'])
		.where('from.id', '=', fromPodId)
		.where('pods.id', '!=', fromPodId)
		.where('pods.archived_at', 'is', null)
		.$if(!actor.isAdmin, (q) =>
			q.where((eb) =>
				eb.exists(
					eb
						.selectFrom('pod_staff')
						.select('pod_staff.pod_id')
						.whereRef('pod_staff.pod_id', '=', 'pods.id')
						.where('pod_staff.user_id', '=', actor.id)
						.where('pod_staff.role', '=', 'lead')
				)
			)
		)
		.orderBy('pods.name')
		.execute();
	return pods.map((pod) => ({
		id: pod.id,
		name: pod.name,
		gradeLow: pod.grade_low,
		gradeHigh: pod.grade_high,
		grades: gradeSpan(pod.grade_low, pod.grade_high)
	}));
}
