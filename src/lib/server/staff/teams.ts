import { auditedWrite } from '../audit/log';
import type { Db } from '../db';
import { takeTurns } from '../db/locks';
import type { PodRole } from '../db/schema';
import { Conflict, NotFound } from '../errors';
import {
	personFor,
	podToStaff,
	STAFF_TURN,
	staffDirectory,
	switchedOff,
	teamOf,
	type StaffKeeper,
	type StaffMember
} from './accounts';
import { leavesNoLead, onlyLeadMessage } from './rules';

// A pod's team: who is on it, and as what (lead or teacher). Changed by an admin, one audited
// write each, taking turns with every other staff change, so a pod that has a lead keeps one.

async function podNamed(db: Db, podId: string) {
	const pod = await db.selectFrom('pods').select(['id', 'name']).where('id', '=', podId).executeTakeFirst();
	if (!pod) throw new NotFound('No pod has that id.');
	return pod;
}

/** The pod's team, with each member's account and sign-in state, leads first. */
export async function podTeam(db: Db, podId: string, now = new Date()) {
	const pod = await podNamed(db, podId);
	const everyone = await staffDirectory(db, now);
	const members = everyone
		.flatMap((person) => {
			const here = person.pods.find((p) => p.id === podId);
			return here
				? [{ ...person, role: here.role, teacherOfRecord: here.teacherOfRecord, remote: here.remote }]
				: [];
		})
		.sort((a, b) => (a.role === b.role ? 0 : a.role === 'lead' ? -1 : 1));
	return { pod, members };
}

export type TeamMemberView = StaffMember & { role: PodRole };

async function membership(db: Db, podId: string, userId: string) {
	return db
		.selectFrom('pod_staff')
		.select('role')
		.where('pod_id', '=', podId)
		.where('user_id', '=', userId)
		.executeTakeFirst();
}

/**
 * Say whether a member of the team is the pod's teacher of record, and whether they teach it
 * remotely (a remote adult holds no duty in the room). Answers whether anything changed.
 */
export function setTeamPlace(
	keeper: StaffKeeper,
	input: { podId: string; userId: string; teacherOfRecord: boolean; remote: boolean }
) {
	return auditedWrite(
		{ ...keeper, pod: { id: input.podId } },
		{ action: 'setPlace', entity: 'user' },
		async (trx) => {
			const result = await trx
				.updateTable('pod_staff')
				.set({ teacher_of_record: input.teacherOfRecord ? 1 : 0, remote: input.remote ? 1 : 0 })
				.where('pod_id', '=', input.podId)
				.where('user_id', '=', input.userId)
				.executeTakeFirst();
			if (!result.numUpdatedRows) throw new NotFound('That person is not on this pod’s team.');
			return { changed: true };
		},
		() => ({
			entityId: input.userId,
			detail: { teacherOfRecord: input.teacherOfRecord, remote: input.remote }
		})
	);
}

/** Change someone's role on a pod's team; the pod's only lead stays a lead until another is named. */
export function setTeamRole(keeper: StaffKeeper, input: { podId: string; userId: string; role: PodRole }) {
	return auditedWrite(
		{ ...keeper, pod: { id: input.podId } },
		{ action: 'setRole', entity: 'user' },
		async (trx) => {
			await takeTurns(trx, [STAFF_TURN]);
			const pod = await podToStaff(trx, input.podId);
			const person = await personFor(trx, input.userId);
			const on = await membership(trx, pod.id, person.id);
			if (!on) throw new NotFound(`${person.name} is not on the team of ${pod.name}. Reload the page.`);
			if (on.role === input.role) return { changed: false, from: on.role };
			if (leavesNoLead(await teamOf(trx, pod.id), { userId: person.id, becomes: input.role })) {
				throw new Conflict(onlyLeadMessage(person.name));
			}
			await trx
				.updateTable('pod_staff')
				.set({ role: input.role })
				.where('pod_id', '=', pod.id)
				.where('user_id', '=', person.id)
				.execute();
			return { changed: true, from: on.role };
		},
		({ changed, from }) => (changed ? { entityId: input.userId, detail: { from, to: input.role } } : null)
	);
}

/** Take someone off a pod's team; never the pod's only lead. */
export function removeFromTeam(keeper: StaffKeeper, input: { podId: string; userId: string }) {
	return auditedWrite(
		{ ...keeper, pod: { id: input.podId } },
		{ action: 'removeFromTeam', entity: 'user' },
		async (trx) => {
			await takeTurns(trx, [STAFF_TURN]);
			const pod = await podToStaff(trx, input.podId);
			const person = await personFor(trx, input.userId);
			const on = await membership(trx, pod.id, person.id);
			if (!on) return { changed: false, role: null };
			if (leavesNoLead(await teamOf(trx, pod.id), { userId: person.id, becomes: null })) {
				throw new Conflict(onlyLeadMessage(person.name));
			}
			await trx
				.deleteFrom('pod_staff')
				.where('pod_id', '=', pod.id)
				.where('user_id', '=', person.id)
				.execute();
			return { changed: true, role: on.role };
		},
		({ changed, role }) => (changed ? { entityId: input.userId, detail: { role } } : null)
	);
}

/**
 * Move someone from one pod's team to another's, with a role there: one change, so they are
 * never on neither nor on both. Never the pod's only lead.
 */
export function moveToTeam(
	keeper: StaffKeeper,
	input: { fromPodId: string; toPodId: string; userId: string; role: PodRole }
) {
	return auditedWrite(
		{ ...keeper, pod: { id: input.fromPodId } },
		{ action: 'moveToTeam', entity: 'user' },
		async (trx) => {
			await takeTurns(trx, [STAFF_TURN]);
			const from = await podToStaff(trx, input.fromPodId);
			const to = await podToStaff(trx, input.toPodId);
			if (from.id === to.id) throw new Conflict(`Choose a pod other than ${from.name} to move to.`);
			const person = await personFor(trx, input.userId);
			if (!person.active) throw switchedOff(person);
			if (!(await membership(trx, from.id, person.id))) {
				throw new NotFound(`${person.name} is not on the team of ${from.name}. Reload the page.`);
			}
			const there = await membership(trx, to.id, person.id);
			if (there) throw new Conflict(`${person.name} is already on the team of ${to.name}, as ${there.role}.`);
			if (leavesNoLead(await teamOf(trx, from.id), { userId: person.id, becomes: null })) {
				throw new Conflict(onlyLeadMessage(person.name));
			}
			await trx
				.deleteFrom('pod_staff')
				.where('pod_id', '=', from.id)
				.where('user_id', '=', person.id)
				.execute();
			await trx
				.insertInto('pod_staff')
				.values({ pod_id: to.id, user_id: person.id, role: input.role })
				.execute();
			return { to };
		},
		({ to }) => ({
			entityId: input.userId,
			detail: { to: to.id, role: input.role },
			// The pod they join keeps an entry too: its lead reads who came.
			also: [
				{
					podId: to.id,
					action: 'moveToTeam',
					entity: 'user',
					entityId: input.userId,
					detail: { from: input.fromPodId, role: input.role }
				}
			]
		})
	);
}

/** Put an existing staff member on a pod's team (the Staff page's "Put on a pod"). */
export function addToTeam(keeper: StaffKeeper, input: { podId: string; userId: string; role: PodRole }) {
	return auditedWrite(
		{ ...keeper, pod: { id: input.podId } },
		{ action: 'addToTeam', entity: 'user' },
		async (trx) => {
			await takeTurns(trx, [STAFF_TURN]);
			const pod = await podToStaff(trx, input.podId);
			const person = await personFor(trx, input.userId);
			if (!person.active) throw switchedOff(person);
			const there = await membership(trx, pod.id, person.id);
			if (there)
				throw new Conflict(`${person.name} is already on the team of ${pod.name}, as ${there.role}.`);
			await trx
				.insertInto('pod_staff')
				.values({ pod_id: pod.id, user_id: person.id, role: input.role })
				.execute();
			return { pod };
		},
		() => ({ entityId: input.userId, detail: { role: input.role } })
	);
}
