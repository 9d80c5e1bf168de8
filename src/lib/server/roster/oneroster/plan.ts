// Compare what the files say with the database: who is added, updated, deactivated, and what
// stays as it is. Reads only; `applyImport` writes the same plan in one transaction.
//
// Whose import may change whom: a pod's import changes the people of that pod (its students,
// its team) and makes new ones. A row that matches someone outside the pod — by sourcedId or
// by a staff email — is an error for a lead and a change for an admin, whose preview says which
// other pods the person is in. Admin accounts are never changed by an import at all.
import { createHash } from 'node:crypto';
import type { Db } from '../../db';
import type { RosterError } from './csv';
import type { ClassChoice, Incoming, IncomingPerson } from './incoming';

export type ChangeAction = 'add' | 'update' | 'deactivate';

export interface PlannedChange {
	action: ChangeAction;
	kind: 'student' | 'staff';
	/** The Podboard account changed; null for an account still to be made. */
	userId: string | null;
	sourcedId: string | null;
	name: string;
	email: string | null;
	grade: number | null;
	cohort: string | null;
	/** In words, for the preview: "grade 4 → 5", "joins the pod". */
	changes: string[];
	/** Columns of `users` to set. */
	user: {
		given_name?: string;
		family_name?: string;
		email?: string | null;
		status?: 'active' | 'inactive';
		source_id?: string;
	};
	/** A student's place in the pod to insert or update. */
	membership: { grade_level: number; cohort: string | null; exists: boolean } | null;
	/** A teacher to put on the pod's team. */
	joinsTeam: boolean;
	/** Other pods the person is in: their audit logs and boards hear of the change too. */
	otherPods: { id: string; name: string }[];
	from: { file: string; line: number | null };
}

/** Someone the files match whom an import leaves as they are, and why, in words. */
export interface KeptPerson {
	kind: 'student' | 'staff';
	/** As the files name them. */
	name: string;
	sourcedId: string | null;
	email: string | null;
	why: string;
	from: { file: string; line: number | null };
}

/** Who runs the import: an admin may change people of other pods; a lead only their own. */
export interface ImportActor {
	isAdmin: boolean;
}

export interface RosterPlan {
	format: Incoming['format'];
	pod: { id: string; name: string; joinCode: string };
	classes: ClassChoice[];
	changes: PlannedChange[];
	/** Matched but never changed by an import: admin accounts. Not an error: the rest goes ahead. */
	kept: KeptPerson[];
	unchanged: { students: number; staff: number };
	/** People in the files who are in none of the included classes. */
	outside: number;
	errors: RosterError[];
	/** Equal plans, equal fingerprints: apply refuses a plan that changed since its preview. */
	fingerprint: string;
}

interface ExistingUser {
	id: string;
	kind: 'staff' | 'student';
	given_name: string;
	family_name: string;
	email: string | null;
	status: 'active' | 'inactive';
	source_id: string | null;
	is_admin: number;
}

const CHUNK = 500;
async function usersWhere(db: Db, column: 'source_id' | 'email', values: string[]): Promise<ExistingUser[]> {
	const rows: ExistingUser[] = [];
	for (let i = 0; i < values.length; i += CHUNK) {
		rows.push(
			...(await db
				.selectFrom('users')
				.select(['id', 'kind', 'given_name', 'family_name', 'email', 'status', 'source_id', 'is_admin'])
				.where(column, 'in', values.slice(i, i + CHUNK))
				.execute())
		);
	}
	return rows;
}

/** Every pod each of these people is in, as a student or on the team, by name. */
async function podsOf(db: Db, userIds: string[]): Promise<Map<string, { id: string; name: string }[]>> {
	const pods = new Map<string, { id: string; name: string }[]>();
	for (let i = 0; i < userIds.length; i += CHUNK) {
		const chunk = userIds.slice(i, i + CHUNK);
		const [students, staff] = await Promise.all([
			db
				.selectFrom('pod_students')
				.innerJoin('pods', 'pods.id', 'pod_students.pod_id')
				.select(['pod_students.user_id as userId', 'pods.id', 'pods.name'])
				.where('pod_students.user_id', 'in', chunk)
				.execute(),
			db
				.selectFrom('pod_staff')
				.innerJoin('pods', 'pods.id', 'pod_staff.pod_id')
				.select(['pod_staff.user_id as userId', 'pods.id', 'pods.name'])
				.where('pod_staff.user_id', 'in', chunk)
				.execute()
		]);
		for (const { userId, id, name } of [...students, ...staff]) {
			const list = pods.get(userId) ?? [];
			if (!list.some((pod) => pod.id === id)) list.push({ id, name });
			pods.set(userId, list);
		}
	}
	for (const list of pods.values())
		list.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
	return pods;
}

const fullName = (given: string, family: string) => `${given} ${family}`;
const nameKey = (given: string, family: string) => `${given}\u0000${family}`.toLowerCase();

export async function planImport(
	db: Db,
	podId: string,
	incoming: Incoming,
	actor: ImportActor
): Promise<RosterPlan> {
	const pod = await db
		.selectFrom('pods')
		.select(['id', 'name', 'join_code'])
		.where('id', '=', podId)
		.executeTakeFirstOrThrow();
	const [students, team, bySourceRows, byEmailRows] = await Promise.all([
		db
			.selectFrom('pod_students')
			.innerJoin('users', 'users.id', 'pod_students.user_id')
			.select([
				'users.id',
				'users.kind',
				'users.given_name',
				'users.family_name',
				'users.email',
				'users.status',
				'users.source_id',
				'users.is_admin',
				'pod_students.grade_level',
				'pod_students.cohort'
			])
			.where('pod_students.pod_id', '=', podId)
			.execute(),
		db.selectFrom('pod_staff').select(['user_id', 'role']).where('pod_id', '=', podId).execute(),
		usersWhere(
			db,
			'source_id',
			incoming.people.flatMap((p) => (p.sourcedId ? [p.sourcedId] : []))
		),
		usersWhere(
			db,
			'email',
			incoming.people.flatMap((p) => (p.kind === 'staff' && p.email ? [p.email] : []))
		)
	]);
	const inPod = new Map(students.map((s) => [s.id, s]));
	const onTeam = new Set(team.map((member) => member.user_id));
	const podsOfPeople = await podsOf(db, [
		...new Set([...students, ...bySourceRows, ...byEmailRows].map((user) => user.id))
	]);
	const inThisPod = (user: Pick<ExistingUser, 'id' | 'kind'>) =>
		user.kind === 'student' ? inPod.has(user.id) : onTeam.has(user.id);
	const otherPodsOf = (userId: string) => (podsOfPeople.get(userId) ?? []).filter((p) => p.id !== pod.id);
	const bySource = new Map(bySourceRows.map((u) => [u.source_id!, u]));
	const byEmail = new Map(byEmailRows.map((u) => [u.email!, u]));
	const byName = new Map<string, (typeof students)[number][]>();
	for (const student of students) {
		const key = nameKey(student.given_name, student.family_name);
		byName.set(key, [...(byName.get(key) ?? []), student]);
	}

	const errors = [...incoming.errors];
	const changes: PlannedChange[] = [];
	const kept: KeptPerson[] = [];
	const unchanged = { students: 0, staff: 0 };
	let outside = incoming.notInPods;
	const claimedEmails = new Map<string, number>();

	for (const person of incoming.people) {
		const fail = (column: string | null, message: string) =>
			errors.push({ file: person.from.file, line: person.from.line, column, message });
		const label = person.givenName
			? fullName(person.givenName, person.familyName ?? '')
			: `sourcedId '${person.sourcedId}'`;

		let existing: ExistingUser | undefined;
		/** The column that matched someone already in Podboard. */
		let matchedBy: 'sourcedId' | 'email' | 'name' = 'sourcedId';
		if (person.sourcedId) existing = bySource.get(person.sourcedId);
		if (!existing && person.kind === 'staff' && person.email) {
			const owner = byEmail.get(person.email);
			if (owner && (owner.kind !== 'staff' || owner.source_id !== null)) {
				fail('email', `email '${person.email}' belongs to another Podboard account`);
				continue;
			}
			existing = owner; // a staff account made by hand, now linked to its sourcedId
			matchedBy = 'email';
		}
		if (!existing && person.sourcedId === null && person.givenName && person.familyName) {
			const namesakes = byName.get(nameKey(person.givenName, person.familyName)) ?? [];
			if (namesakes.length > 1) {
				fail(
					'name',
					`${label} matches ${namesakes.length} students of ${pod.name}; change that student in Podboard instead`
				);
				continue;
			}
			existing = namesakes[0];
			matchedBy = 'name';
		}
		if (existing && existing.kind !== person.kind) {
			fail(
				'role',
				`${label} is a ${existing.kind === 'staff' ? 'staff member' : 'student'} in Podboard but a ${person.kind === 'staff' ? 'teacher' : 'student'} here`
			);
			continue;
		}
		if (person.email) {
			const earlier = claimedEmails.get(person.email);
			if (earlier !== undefined) fail('email', `email '${person.email}' is also on line ${earlier}`);
			claimedEmails.set(person.email, person.from.line);
		}

		const tally = person.kind === 'student' ? 'students' : 'staff';
		const base = {
			kind: person.kind,
			sourcedId: person.sourcedId,
			email: person.email,
			grade: person.grade,
			cohort: person.cohort,
			from: person.from,
			membership: null,
			joinsTeam: false,
			otherPods: []
		};

		/**
		 * A change to someone already in Podboard, if this import may make it: never to an admin
		 * account, and to someone outside this pod only when an admin imports.
		 */
		const changeExisting = (user: ExistingUser, change: PlannedChange) => {
			if (user.is_admin) {
				kept.push({
					kind: person.kind,
					name: label,
					sourcedId: person.sourcedId,
					email: person.email,
					why: 'a Podboard admin account: an import never deactivates, renames or relinks it',
					from: person.from
				});
				return;
			}
			const otherPods = otherPodsOf(user.id);
			if (!inThisPod(user) && !actor.isAdmin) {
				fail(
					person.from.file === 'enrollments.csv' ? 'userSourcedId' : matchedBy,
					otherPods.length
						? `${label} belongs to another pod; ask an admin to import this`
						: `${label} already has a Podboard account outside ${pod.name}; ask an admin to import this`
				);
				return;
			}
			changes.push({
				...change,
				changes: otherPods.length
					? [...change.changes, `also in ${otherPods.map((p) => p.name).join(', ')}`]
					: change.changes,
				otherPods
			});
		};

		if (!person.active) {
			if (existing?.status === 'active') {
				changeExisting(existing, {
					...base,
					action: 'deactivate',
					userId: existing.id,
					name: fullName(existing.given_name, existing.family_name),
					changes: ['deactivated: cannot sign in; their history stays'],
					user: { status: 'inactive' }
				});
			} else if (existing && inThisPod(existing)) unchanged[tally] += 1;
			else outside += 1;
			continue;
		}

		if (!person.member && !(existing && inThisPod(existing))) {
			outside += 1;
			continue;
		}

		if (!existing) {
			if (person.givenName === null || person.familyName === null) {
				fail(
					'userSourcedId',
					`userSourcedId '${person.sourcedId}' is not in users.csv and was never imported`
				);
				continue;
			}
			if (person.kind === 'student' && person.grade === null) {
				if (person.from.file === 'enrollments.csv')
					fail('userSourcedId', `${label} needs a grade: list them in users.csv with grades`);
				continue; // a missing grade on users.csv was reported already
			}
			changes.push({
				...base,
				action: 'add',
				userId: null,
				name: label,
				changes: [person.kind === 'student' ? 'new student' : 'new team teacher'],
				user: {
					given_name: person.givenName,
					family_name: person.familyName,
					email: person.email,
					status: 'active',
					...(person.sourcedId ? { source_id: person.sourcedId } : {})
				},
				membership:
					person.kind === 'student'
						? { grade_level: person.grade!, cohort: person.cohort, exists: false }
						: null,
				joinsTeam: person.kind === 'staff'
			});
			continue;
		}

		const words: string[] = [];
		const user: PlannedChange['user'] = {};
		const name = fullName(existing.given_name, existing.family_name);
		if (person.givenName !== null && person.familyName !== null) {
			if (person.givenName !== existing.given_name || person.familyName !== existing.family_name) {
				user.given_name = person.givenName;
				user.family_name = person.familyName;
				words.push(`name ${name} → ${label}`);
			}
		}
		if (person.kind === 'staff' && person.email && person.email !== existing.email) {
			const owner = byEmail.get(person.email);
			if (owner && owner.id !== existing.id) {
				fail('email', `email '${person.email}' belongs to another Podboard account`);
				continue;
			}
			user.email = person.email;
			words.push(`email → ${person.email}`);
		}
		if (person.sourcedId && existing.source_id !== person.sourcedId) {
			user.source_id = person.sourcedId;
			words.push(`linked to sourcedId ${person.sourcedId}`);
		}
		if (existing.status === 'inactive') {
			user.status = 'active';
			words.push('active again');
		}
		let membership: PlannedChange['membership'] = null;
		let joinsTeam = false;
		if (person.kind === 'student' && person.member) {
			const place = inPod.get(existing.id);
			const grade = person.grade ?? place?.grade_level ?? null;
			if (grade === null) {
				fail('grades', `${label} needs a grade to join ${pod.name}`);
				continue;
			}
			if (!place) {
				membership = { grade_level: grade, cohort: person.cohort, exists: false };
				words.push(`joins ${pod.name}`);
			} else if (place.grade_level !== grade || (place.cohort ?? null) !== person.cohort) {
				membership = { grade_level: grade, cohort: person.cohort, exists: true };
				if (place.grade_level !== grade) words.push(`grade ${place.grade_level} → ${grade}`);
				if ((place.cohort ?? null) !== person.cohort)
					words.push(`cohort ${place.cohort ?? '(none)'} → ${person.cohort ?? '(none)'}`);
			}
		}
		if (person.kind === 'staff' && person.member && !onTeam.has(existing.id)) {
			joinsTeam = true;
			words.push(`joins the team of ${pod.name}`);
		}
		if (!words.length) {
			unchanged[tally] += 1;
			continue;
		}
		changeExisting(existing, {
			...base,
			action: 'update',
			userId: existing.id,
			name,
			changes: words,
			user,
			membership,
			joinsTeam
		});
	}

	// A bulk users.csv lists everyone the school has: an imported student missing from it has left.
	if (incoming.deactivateMissing) {
		for (const student of students) {
			if (
				student.source_id === null ||
				student.status !== 'active' ||
				incoming.presentSourcedIds.has(student.source_id)
			)
				continue;
			const otherPods = otherPodsOf(student.id);
			changes.push({
				action: 'deactivate',
				kind: 'student',
				userId: student.id,
				sourcedId: student.source_id,
				name: fullName(student.given_name, student.family_name),
				email: null,
				grade: student.grade_level,
				cohort: student.cohort,
				changes: [
					'no longer in users.csv: deactivated; their history stays',
					...(otherPods.length ? [`also in ${otherPods.map((p) => p.name).join(', ')}`] : [])
				],
				user: { status: 'inactive' },
				membership: null,
				joinsTeam: false,
				otherPods,
				from: { file: 'users.csv', line: null }
			});
		}
	}

	const fingerprint = createHash('sha256')
		.update(
			JSON.stringify([
				pod.id,
				// The other pods too: they decide where the audit entries and events go.
				changes.map(({ action, userId, sourcedId, user, membership, joinsTeam, otherPods }) => [
					action,
					userId,
					sourcedId,
					user,
					membership,
					joinsTeam,
					otherPods.map((p) => p.id)
				])
			])
		)
		.digest('hex');
	return {
		format: incoming.format,
		pod: { id: pod.id, name: pod.name, joinCode: pod.join_code },
		classes: incoming.classes,
		changes,
		kept,
		unchanged,
		outside,
		errors,
		fingerprint
	};
}

/** Counts for a summary line: "12 students to add, 1 to deactivate …". */
export function countChanges(changes: readonly PlannedChange[]) {
	const count = (kind: IncomingPerson['kind'], action: ChangeAction) =>
		changes.filter((c) => c.kind === kind && c.action === action).length;
	return {
		students: {
			add: count('student', 'add'),
			update: count('student', 'update'),
			deactivate: count('student', 'deactivate')
		},
		staff: {
			add: count('staff', 'add'),
			update: count('staff', 'update'),
			deactivate: count('staff', 'deactivate')
		}
	};
}
