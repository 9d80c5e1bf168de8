import { auditedWrite, type Writer } from '../audit/log';
import { endSessionsOf } from '../auth/sessions';
import type { Db } from '../db';
import { takeTurns } from '../db/locks';
import type { PodRole } from '../db/schema';
import { Conflict, NotFound } from '../errors';
import { isoNow, newId } from '../ids';
import { archivedMessage } from '../pods/settings';
import { endInvitationsOf, issueInvitation, type IssuedInvitation } from './invitations';
import {
	fullName,
	invitationState,
	lastAdminMessage,
	leavesNoAdmin,
	leavesNoLead,
	splitName,
	type TeamMember
} from './rules';

// A school's staff accounts, kept by its admins: made (with an invitation link instead of a
// password someone else chose), put on pods' teams, switched off and on, made admins. Every
// change is one audited write that first takes turns with every other change to the staff, so
// "never the last admin" and "never a pod's only lead" hold however many admins click at once.

/** Who changes the staff: an admin procedure's ctx (or a script, as nobody). Never in a pod. */
export type StaffKeeper = Pick<Writer, 'db' | 'user'>;

/** Staff changes take turns: there are few, and each checks a rule about the others. */
export const STAFF_TURN = 'school-staff';

export interface NewStaffAccount {
	email: string;
	givenName: string;
	familyName: string;
	/** From hashSecret(), computed before any transaction opens; null to set it by invitation. */
	passwordHash: string | null;
	isAdmin?: boolean;
	pod?: { id: string; role: PodRole };
}

/**
 * A pod whose team is about to change: NOT_FOUND when there is no such pod, and refused by name
 * when it is archived (an archived pod is read-only).
 */
export async function podToStaff(db: Db, podId: string) {
	const found = await db
		.selectFrom('pods')
		.select(['id', 'name', 'archived_at'])
		.where('id', '=', podId)
		.executeTakeFirst();
	if (!found) throw new NotFound('No pod has that id. Reload the page to see the pods there are.');
	if (found.archived_at !== null) throw new Conflict(archivedMessage(found.name));
	return { id: found.id, name: found.name };
}

/** The pod a new account joins the team of, if any. */
const podToJoin = (db: Db, pod: { id: string } | undefined) => (pod ? podToStaff(db, pod.id) : undefined);

/** A staff account, optionally on a pod's team. Used by the admin pages and `npm run admin:create`. */
export async function createStaffAccount(db: Db, account: NewStaffAccount, now = new Date()) {
	await podToJoin(db, account.pod);
	const email = account.email.trim().toLowerCase();
	const taken = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
	if (taken) throw new Conflict(`An account for ${email} already exists.`);
	const id = newId();
	await db
		.insertInto('users')
		.values({
			id,
			kind: 'staff',
			given_name: account.givenName.trim(),
			family_name: account.familyName.trim(),
			email,
			password_hash: account.passwordHash,
			is_admin: account.isAdmin ? 1 : 0,
			created_at: isoNow(now)
		})
		.execute();
	if (account.pod) {
		await db
			.insertInto('pod_staff')
			.values({ pod_id: account.pod.id, user_id: id, role: account.pod.role })
			.execute();
	}
	return { id, email };
}

// ---- Reading ---------------------------------------------------------------------------------

/** A staff member as the admin's pages show them. */
export interface StaffMember {
	id: string;
	name: string;
	email: string | null;
	isAdmin: boolean;
	active: boolean;
	/** From a OneRoster import (it keeps their name and email up to date). */
	imported: boolean;
	hasPassword: boolean;
	/** Their link to set a password, while it works. */
	openLink: { purpose: 'invite' | 'reset'; expiresAt: string } | null;
	/** teacherOfRecord: sets and grades the pod's work; remote: teaches it from afar. */
	pods: { id: string; name: string; role: PodRole; teacherOfRecord: boolean; remote: boolean }[];
}

/** Staff accounts with their pods and open links: every one, or only those named. */
async function staffMembers(db: Db, now: Date, only?: readonly string[]): Promise<StaffMember[]> {
	if (only && only.length === 0) return [];
	const people = await db
		.selectFrom('users')
		.select(['id', 'given_name', 'family_name', 'email', 'is_admin', 'status', 'source_id', 'password_hash'])
		.where('kind', '=', 'staff')
		.$if(only !== undefined, (qb) => qb.where('id', 'in', only!))
		.orderBy('family_name')
		.orderBy('given_name')
		.orderBy('id')
		.execute();
	const ids = people.map((person) => person.id);
	if (!ids.length) return [];
	const [memberships, links] = await Promise.all([
		db
			.selectFrom('pod_staff')
			.innerJoin('pods', 'pods.id', 'pod_staff.pod_id')
			.select([
				'pod_staff.user_id',
				'pods.id',
				'pods.name',
				'pod_staff.role',
				'pod_staff.teacher_of_record',
				'pod_staff.remote'
			])
			.where('pods.archived_at', 'is', null)
			.$if(only !== undefined, (qb) => qb.where('pod_staff.user_id', 'in', ids))
			.orderBy('pods.name')
			.execute(),
		db
			.selectFrom('invitations')
			.select(['user_id', 'purpose', 'status', 'expires_at'])
			.where('status', '=', 'open')
			.$if(only !== undefined, (qb) => qb.where('user_id', 'in', ids))
			.execute()
	]);
	return people.map((person) => {
		const link = links.find((l) => l.user_id === person.id && invitationState(l, now) === 'open');
		return {
			id: person.id,
			name: fullName(person),
			email: person.email,
			isAdmin: person.is_admin === 1,
			active: person.status === 'active',
			imported: person.source_id !== null,
			hasPassword: person.password_hash !== null,
			openLink: link ? { purpose: link.purpose, expiresAt: link.expires_at } : null,
			pods: memberships
				.filter((m) => m.user_id === person.id)
				.map((m) => ({
					id: m.id,
					name: m.name,
					role: m.role,
					teacherOfRecord: m.teacher_of_record === 1,
					remote: m.remote === 1
				}))
		};
	});
}

/** Every staff account of the school, imported ones included, by family name. */
export const staffDirectory = (db: Db, now = new Date()) => staffMembers(db, now);

/** One staff member, or NOT_FOUND. */
export async function staffMember(db: Db, userId: string, now = new Date()): Promise<StaffMember> {
	const [found] = await staffMembers(db, now, [userId]);
	if (!found) throw new NotFound('No staff member has that id. Reload the Staff page.');
	return found;
}

/** The pods a person can be put on, by name: archived ones are read-only, and off every list. */
export const podChoices = (db: Db) =>
	db
		.selectFrom('pods')
		.select(['id', 'name'])
		.where('archived_at', 'is', null)
		.orderBy('name')
		.orderBy('id')
		.execute();

// ---- Inside a change ---------------------------------------------------------------------------

interface Person {
	id: string;
	name: string;
	email: string | null;
	isAdmin: boolean;
	active: boolean;
	hasPassword: boolean;
}

/** A staff account by id, read inside the change, or NOT_FOUND. */
export async function personFor(trx: Db, userId: string): Promise<Person> {
	const row = await trx
		.selectFrom('users')
		.select(['id', 'given_name', 'family_name', 'email', 'is_admin', 'status', 'password_hash'])
		.where('id', '=', userId)
		.where('kind', '=', 'staff')
		.executeTakeFirst();
	if (!row)
		throw new NotFound('No staff member has that id. Reload the page to see the staff as they are now.');
	return {
		id: row.id,
		name: fullName(row),
		email: row.email,
		isAdmin: row.is_admin === 1,
		active: row.status === 'active',
		hasPassword: row.password_hash !== null
	};
}

/** The pod's team as the rules read it. */
export async function teamOf(trx: Db, podId: string): Promise<TeamMember[]> {
	const rows = await trx
		.selectFrom('pod_staff')
		.innerJoin('users', 'users.id', 'pod_staff.user_id')
		.select(['pod_staff.user_id', 'pod_staff.role', 'users.status'])
		.where('pod_staff.pod_id', '=', podId)
		.execute();
	return rows.map((row) => ({ userId: row.user_id, role: row.role, active: row.status === 'active' }));
}

async function activeAdminIds(trx: Db): Promise<string[]> {
	const rows = await trx
		.selectFrom('users')
		.select('id')
		.where('kind', '=', 'staff')
		.where('is_admin', '=', 1)
		.where('status', '=', 'active')
		.execute();
	return rows.map((row) => row.id);
}

export const switchedOff = (person: { name: string }) =>
	new Conflict(`${person.name}'s account is switched off. Switch it on first, on their Staff page.`);

// ---- Changes -----------------------------------------------------------------------------------

/** A new account, its pod if any, and its invitation link: what the admin's page shows next. */
export interface AddedStaff {
	person: { id: string; name: string; email: string };
	/** False when the email already had an account, which joined the pod's team instead. */
	created: boolean;
	/** The link to set a password; null for an existing account that already has one. */
	invitation: IssuedInvitation | null;
}

/**
 * Add a staff member by name and email, with an invitation link to set their password. On a
 * pod's team page (`pod` given), an email that already has an account puts that person on the
 * team instead: a teacher of another pod, or one a roster import made.
 */
export function addStaff(
	keeper: StaffKeeper,
	input: { name: string; email: string; isAdmin?: boolean; pod?: { id: string; role: PodRole } },
	now = new Date()
): Promise<AddedStaff> {
	const email = input.email.trim().toLowerCase();
	return auditedWrite(
		{ ...keeper, pod: input.pod ? { id: input.pod.id } : null },
		{ action: 'create', entity: 'user', at: now },
		async (trx) => {
			await takeTurns(trx, [STAFF_TURN]);
			const pod = await podToJoin(trx, input.pod);
			const existing = await trx
				.selectFrom('users')
				.select(['id', 'kind'])
				.where('email', '=', email)
				.executeTakeFirst();
			if (existing && (!input.pod || existing.kind !== 'staff')) {
				throw new Conflict(`An account for ${email} already exists.`);
			}
			let person: Person;
			if (existing) {
				person = await personFor(trx, existing.id);
				if (!person.active) throw switchedOff(person);
				const on = await trx
					.selectFrom('pod_staff')
					.select('role')
					.where('pod_id', '=', input.pod!.id)
					.where('user_id', '=', person.id)
					.executeTakeFirst();
				if (on) {
					throw new Conflict(
						`${person.name} is already on the team of ${pod!.name} as ${on.role}; change their role in the team list.`
					);
				}
				await trx
					.insertInto('pod_staff')
					.values({ pod_id: input.pod!.id, user_id: person.id, role: input.pod!.role })
					.execute();
			} else {
				const { givenName, familyName } = splitName(input.name);
				const made = await createStaffAccount(
					trx,
					{ email, givenName, familyName, passwordHash: null, isAdmin: input.isAdmin, pod: input.pod },
					now
				);
				person = await personFor(trx, made.id);
			}
			const invitation = person.hasPassword
				? null
				: await issueInvitation(
						trx,
						{ userId: person.id, purpose: 'invite', issuedBy: keeper.user?.id ?? null },
						now
					);
			return { person: { id: person.id, name: person.name, email }, created: !existing, invitation };
		},
		(added) => ({
			entityId: added.person.id,
			detail: {
				kind: 'staff',
				...(added.created ? { isAdmin: input.isAdmin ?? false } : { joinedTeam: true }),
				role: input.pod?.role ?? null,
				invited: added.invitation !== null
			}
		})
	);
}

/**
 * A new link to set this person's password. Without a password yet, it is their invitation; with
 * one, a reset: that password stops working and they are signed out everywhere, since an admin
 * resets a password that someone else may know.
 */
export function issuePasswordLink(keeper: StaffKeeper, userId: string, now = new Date()) {
	return auditedWrite(
		{ ...keeper, pod: null },
		{ action: 'invite', entity: 'user', at: now },
		async (trx) => {
			await takeTurns(trx, [STAFF_TURN]);
			const person = await personFor(trx, userId);
			if (!person.active) throw switchedOff(person);
			if (!person.hasPassword) {
				const invitation = await issueInvitation(
					trx,
					{ userId, purpose: 'invite', issuedBy: keeper.user?.id ?? null },
					now
				);
				return { person, invitation, sessionsEnded: 0 };
			}
			await trx.updateTable('users').set({ password_hash: null }).where('id', '=', userId).execute();
			const sessionsEnded = await endSessionsOf(trx, [userId]);
			const invitation = await issueInvitation(
				trx,
				{ userId, purpose: 'reset', issuedBy: keeper.user?.id ?? null },
				now
			);
			return { person, invitation, sessionsEnded };
		},
		({ invitation, sessionsEnded }) => ({
			entityId: userId,
			detail: { purpose: invitation.purpose, invitationId: invitation.id, sessionsEnded }
		})
	);
}

/**
 * Switch an account off: its sessions and live streams end and its open link stops working.
 * Never the school's last admin, nor a pod's only lead. Already off: nothing changes.
 */
export function deactivateStaff(keeper: StaffKeeper, userId: string, now = new Date()) {
	return auditedWrite(
		{ ...keeper, pod: null },
		{ action: 'deactivate', entity: 'user', at: now },
		async (trx) => {
			await takeTurns(trx, [STAFF_TURN]);
			const person = await personFor(trx, userId);
			if (!person.active) return { person, changed: false, sessionsEnded: 0 };
			if (person.isAdmin && leavesNoAdmin(await activeAdminIds(trx), userId)) {
				throw new Conflict(lastAdminMessage(person.name));
			}
			const pods = await trx
				.selectFrom('pod_staff')
				.innerJoin('pods', 'pods.id', 'pod_staff.pod_id')
				.select(['pods.id', 'pods.name'])
				.where('pod_staff.user_id', '=', userId)
				.where('pod_staff.role', '=', 'lead')
				// An archived pod's team is kept as it was: it needs no lead to stay read-only.
				.where('pods.archived_at', 'is', null)
				.orderBy('pods.name')
				.execute();
			for (const pod of pods) {
				if (leavesNoLead(await teamOf(trx, pod.id), { userId, becomes: null })) {
					throw new Conflict(
						`${person.name} is the only lead of ${pod.name}; name another lead there first.`
					);
				}
			}
			await trx.updateTable('users').set({ status: 'inactive' }).where('id', '=', userId).execute();
			const sessionsEnded = await endSessionsOf(trx, [userId]);
			await endInvitationsOf(trx, [userId], now);
			return { person, changed: true, sessionsEnded };
		},
		({ changed, sessionsEnded }) => (changed ? { entityId: userId, detail: { sessionsEnded } } : null)
	);
}

/** Switch an account back on. They sign in with their password, or a new link if they have none. */
export function reactivateStaff(keeper: StaffKeeper, userId: string, now = new Date()) {
	return auditedWrite(
		{ ...keeper, pod: null },
		{ action: 'reactivate', entity: 'user', at: now },
		async (trx) => {
			await takeTurns(trx, [STAFF_TURN]);
			const person = await personFor(trx, userId);
			if (person.active) return { person, changed: false };
			await trx.updateTable('users').set({ status: 'active' }).where('id', '=', userId).execute();
			return { person: { ...person, active: true }, changed: true };
		},
		({ changed }) => (changed ? { entityId: userId } : null)
	);
}

/** Make someone a school admin, or not: never the last active admin. */
export function setSchoolAdmin(
	keeper: StaffKeeper,
	input: { userId: string; isAdmin: boolean },
	now = new Date()
) {
	return auditedWrite(
		{ ...keeper, pod: null },
		{ action: input.isAdmin ? 'makeAdmin' : 'unmakeAdmin', entity: 'user', at: now },
		async (trx) => {
			await takeTurns(trx, [STAFF_TURN]);
			const person = await personFor(trx, input.userId);
			if (person.isAdmin === input.isAdmin) return { person, changed: false };
			if (input.isAdmin && !person.active) throw switchedOff(person);
			if (!input.isAdmin && person.active && leavesNoAdmin(await activeAdminIds(trx), person.id)) {
				throw new Conflict(lastAdminMessage(person.name));
			}
			await trx
				.updateTable('users')
				.set({ is_admin: input.isAdmin ? 1 : 0 })
				.where('id', '=', input.userId)
				.execute();
			return { person: { ...person, isAdmin: input.isAdmin }, changed: true };
		},
		({ changed }) => (changed ? { entityId: input.userId } : null)
	);
}
