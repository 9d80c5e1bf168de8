import type { Transaction } from 'kysely';
import { absentOn } from '../attendance/absent';
import { podToday } from '../calendar/calendar';
import type { Database, Db } from '../db';
import { takeTurns } from '../db/locks';
import type { GroupStatus } from '../db/schema';
import { flagsChanged } from '../flags/engine';
import { isoNow, newId } from '../ids';
import type { RecordPodEvent } from '../live/log';
import { fullNameOf } from '../people';
import { studentsOfPod } from '../pods/students';
import { MAX_GROUP_SIZE, suggestGroups, type SuggestedGroup } from './suggest';
import { Conflict, Invalid, NotFound } from '../errors';

// Intervention groups: formed from students or their flags, claimed by one teacher (a
// compare-and-set on the group's version, so two adults never take the same group), held,
// and closed with an outcome that resolves the members' flags.

export interface GroupMember {
	studentId: string;
	name: string;
	flag: { id: string; rule: string; reason: string } | null;
}

export interface InterventionGroup {
	id: string;
	title: string;
	status: GroupStatus;
	version: number;
	focusSkill: { id: string; code: string; name: string } | null;
	plannedOn: string | null;
	plannedStart: string | null;
	owner: { id: string; name: string } | null;
	outcomeNote: string | null;
	createdAt: string;
	updatedAt: string;
	members: GroupMember[];
}

/** The pod's groups not done yet, and those done in the last day (their outcomes), newest last. */
export async function podGroups(db: Db, podId: string, now = new Date()): Promise<InterventionGroup[]> {
	const since = isoNow(new Date(now.getTime() - 86_400_000));
	const groups = await db
		.selectFrom('intervention_groups as g')
		.leftJoin('skills', 'skills.id', 'g.focus_skill_id')
		.leftJoin('users as owner', 'owner.id', 'g.owner_id')
		.select([
			'g.id',
			'g.title',
			'g.status',
			'g.version',
			'g.focus_skill_id',
			'skills.code',
			'skills.name',
			'g.planned_on',
			'g.planned_start',
			'g.owner_id',
			fullNameOf('owner').as('owner_name'),
			'g.outcome_note',
			'g.created_at',
			'g.updated_at'
		])
		.where('g.pod_id', '=', podId)
		.where((eb) => eb.or([eb('g.status', '!=', 'done'), eb('g.updated_at', '>=', since)]))
		.orderBy('g.created_at')
		.execute();
	if (groups.length === 0) return [];
	const members = await db
		.selectFrom('group_members')
		.innerJoin('users', 'users.id', 'group_members.student_id')
		.leftJoin('flags', 'flags.id', 'group_members.flag_id')
		.select([
			'group_members.group_id',
			'group_members.student_id',
			fullNameOf('users').as('name'),
			'flags.id as flag_id',
			'flags.rule',
			'flags.reason'
		])
		.where(
			'group_members.group_id',
			'in',
			groups.map((g) => g.id)
		)
		.orderBy('users.given_name')
		.execute();
	return groups.map((g) => ({
		id: g.id,
		title: g.title,
		status: g.status,
		version: Number(g.version),
		focusSkill:
			g.focus_skill_id && g.code && g.name ? { id: g.focus_skill_id, code: g.code, name: g.name } : null,
		plannedOn: g.planned_on,
		plannedStart: g.planned_start,
		owner: g.owner_id ? { id: g.owner_id, name: g.owner_name ?? 'A teacher' } : null,
		outcomeNote: g.outcome_note,
		createdAt: g.created_at,
		updatedAt: g.updated_at,
		members: members
			.filter((m) => m.group_id === g.id)
			.map((m) => ({
				studentId: m.student_id,
				name: m.name,
				flag: m.flag_id && m.rule && m.reason ? { id: m.flag_id, rule: m.rule, reason: m.reason } : null
			}))
	}));
}

export async function podGroup(db: Db, podId: string, groupId: string): Promise<InterventionGroup> {
	const group = (await podGroups(db, podId)).find((g) => g.id === groupId);
	if (!group) throw new NotFound('No group in this pod has that id.');
	return group;
}

/** Suggested groups from the pod's open flags that are not in a group yet. */
export async function podGroupSuggestions(
	db: Db,
	podId: string,
	now = new Date()
): Promise<SuggestedGroup[]> {
	const { date } = await podToday(db, podId, now);
	// Nobody absent today is suggested for a group.
	const absent = await absentOn(db, podId, date);
	const flags = await db
		.selectFrom('flags')
		.innerJoin('assignments', 'assignments.id', 'flags.assignment_id')
		.innerJoin('activity_skills', 'activity_skills.activity_id', 'assignments.activity_id')
		.innerJoin('skills', 'skills.id', 'activity_skills.skill_id')
		.select([
			'flags.id',
			'flags.student_id',
			'flags.rule',
			'flags.created_at',
			'skills.id as skill_id',
			'skills.code',
			'skills.name'
		])
		.where('flags.pod_id', '=', podId)
		.where('flags.status', '=', 'open')
		.orderBy('skills.code')
		.execute();
	// An activity about several skills counts toward its first skill only, so a flag lands in one group.
	const seen = new Set<string>();
	return suggestGroups(
		flags
			.filter((f) => !absent.has(f.student_id) && !seen.has(f.id) && seen.add(f.id))
			.map((f) => ({
				flagId: f.id,
				studentId: f.student_id,
				rule: f.rule,
				skill: { id: f.skill_id, code: f.code, name: f.name },
				createdAt: f.created_at
			}))
	);
}

export interface NewGroup {
	podId: string;
	title: string | null;
	focusSkillId: string | null;
	plannedOn: string | null;
	plannedStart: string | null;
	studentIds: readonly string[];
	flagIds: readonly string[];
	createdBy: string;
}

/**
 * Form a group from students and/or their open flags. The flags become "grouped". A group the
 * pod already has open, with the same title, focus and members, is that group (a double tap on
 * "Form this group", or the same request twice at once): it is answered with `formed: false`
 * and nothing changes.
 */
export async function createGroup(
	trx: Transaction<Database>,
	group: NewGroup,
	record: RecordPodEvent,
	now = new Date()
): Promise<{ group: InterventionGroup; formed: boolean }> {
	// Requests to form a group in this pod take turns, so the second sees the first's group.
	await takeTurns(trx, [`groups.create:${group.podId}`]);
	const flags = group.flagIds.length
		? await trx
				.selectFrom('flags')
				.select(['id', 'student_id', 'status'])
				.where('pod_id', '=', group.podId)
				.where('id', 'in', group.flagIds)
				.execute()
		: [];
	if (flags.length !== new Set(group.flagIds).size) {
		throw new NotFound('A flag chosen for the group is not in this pod.');
	}
	const resolved = flags.find((f) => f.status === 'resolved');
	if (resolved) {
		throw new Conflict('A flag chosen for the group has been resolved since: look again.');
	}
	const studentIds = [...new Set([...group.studentIds, ...flags.map((f) => f.student_id)])];
	if (studentIds.length === 0) {
		throw new Invalid('Choose at least one student or flag for the group.');
	}
	if (studentIds.length > MAX_GROUP_SIZE * 2) {
		throw new Invalid(
			`A group holds at most ${MAX_GROUP_SIZE * 2} students; split them into smaller groups.`
		);
	}
	const enrolled = await studentsOfPod(trx, group.podId, studentIds);
	if (enrolled.length !== studentIds.length) {
		throw new NotFound('A student chosen for the group is not in this pod.');
	}
	let title = group.title?.trim() || null;
	// Formed from flags about the same skill: that skill is the group's focus.
	const focusSkillId = group.focusSkillId ?? (await sharedSkill(trx, group.flagIds));
	if (focusSkillId) {
		const skill = await trx
			.selectFrom('skills')
			.select(['code', 'name'])
			.where('id', '=', focusSkillId)
			.where('pod_id', '=', group.podId)
			.executeTakeFirst();
		if (!skill) throw new NotFound('The focus skill is not in this pod’s library.');
		title ??= `${skill.name} (${skill.code})`;
	}
	title ??= `Group of ${studentIds.length}`;
	const same = await openGroupLike(trx, group.podId, {
		title,
		focusSkillId,
		studentIds,
		flagIds: group.flagIds
	});
	if (same) return { group: await podGroup(trx, group.podId, same), formed: false };

	const id = newId();
	const at = isoNow(now);
	await trx
		.insertInto('intervention_groups')
		.values({
			id,
			pod_id: group.podId,
			title,
			focus_skill_id: focusSkillId,
			owner_id: null,
			planned_block_id: null,
			planned_on: group.plannedOn,
			planned_start: group.plannedStart,
			outcome_note: null,
			created_by: group.createdBy,
			created_at: at,
			updated_at: at
		})
		.execute();
	const flagOf = new Map<string, string>();
	for (const f of flags) if (!flagOf.has(f.student_id)) flagOf.set(f.student_id, f.id);
	await trx
		.insertInto('group_members')
		.values(
			studentIds.map((studentId) => ({
				group_id: id,
				student_id: studentId,
				flag_id: flagOf.get(studentId) ?? null
			}))
		)
		.execute();
	if (flags.length) {
		await trx
			.updateTable('flags')
			.set({ status: 'grouped', group_id: id })
			.where('id', 'in', group.flagIds)
			.execute();
		await flagsChanged(trx, group.podId, [...new Set(flags.map((f) => f.student_id))], record);
	}
	await record(group.podId, 'groups.changed', { studentIds, groupId: id });
	return { group: await podGroup(trx, group.podId, id), formed: true };
}

/**
 * The pod's open group with this title, focus and exactly these members, that already holds
 * every flag asked for, if there is one.
 */
async function openGroupLike(
	db: Db,
	podId: string,
	like: {
		title: string;
		focusSkillId: string | null;
		studentIds: readonly string[];
		flagIds: readonly string[];
	}
): Promise<string | null> {
	const candidates = await db
		.selectFrom('intervention_groups')
		.select('id')
		.where('pod_id', '=', podId)
		.where('status', '!=', 'done')
		.where('title', '=', like.title)
		.where('focus_skill_id', like.focusSkillId === null ? 'is' : '=', like.focusSkillId)
		.execute();
	if (candidates.length === 0) return null;
	const ids = candidates.map((c) => c.id);
	const [members, flags] = await Promise.all([
		db.selectFrom('group_members').select(['group_id', 'student_id']).where('group_id', 'in', ids).execute(),
		like.flagIds.length
			? db.selectFrom('flags').select(['id', 'group_id']).where('id', 'in', like.flagIds).execute()
			: Promise.resolve([])
	]);
	const wanted = new Set(like.studentIds);
	const same = candidates.find((c) => {
		const theirs = members.filter((m) => m.group_id === c.id);
		return (
			theirs.length === wanted.size &&
			theirs.every((m) => wanted.has(m.student_id)) &&
			flags.every((f) => f.group_id === c.id)
		);
	});
	return same?.id ?? null;
}

/** The first skill (by code) that every flag's work is about, if there is one. */
async function sharedSkill(db: Db, flagIds: readonly string[]): Promise<string | null> {
	if (flagIds.length === 0) return null;
	const rows = await db
		.selectFrom('flags')
		.innerJoin('assignments', 'assignments.id', 'flags.assignment_id')
		.innerJoin('activity_skills', 'activity_skills.activity_id', 'assignments.activity_id')
		.innerJoin('skills', 'skills.id', 'activity_skills.skill_id')
		.select(['flags.id as flag_id', 'skills.id as skill_id', 'skills.code'])
		.where('flags.id', 'in', flagIds)
		.orderBy('skills.code')
		.execute();
	const flagsWith = new Map<string, Set<string>>();
	for (const row of rows) {
		const flags = flagsWith.get(row.skill_id) ?? new Set<string>();
		flags.add(row.flag_id);
		flagsWith.set(row.skill_id, flags);
	}
	for (const [skillId, flags] of flagsWith) if (flags.size === new Set(flagIds).size) return skillId;
	return null;
}

type Move = { podId: string; groupId: string; version: number; teacherId: string };

/**
 * One compare-and-set statement: the group changes only if it is still at the version the
 * teacher saw, and still in a state that allows the move. Otherwise say why, naming the owner.
 */
async function compareAndSet(
	trx: Transaction<Database>,
	move: Move,
	allowed: readonly GroupStatus[],
	set: { owner_id?: string | null; status?: GroupStatus; outcome_note?: string | null },
	ownerOnly: boolean,
	now: Date
) {
	const result = await trx
		.updateTable('intervention_groups')
		.set((eb) => ({ ...set, updated_at: isoNow(now), version: eb('version', '+', 1) }))
		.where('id', '=', move.groupId)
		.where('pod_id', '=', move.podId)
		.where('version', '=', move.version)
		.where('status', 'in', allowed)
		.$if(ownerOnly, (q) => q.where('owner_id', '=', move.teacherId))
		.executeTakeFirst();
	if (Number(result.numUpdatedRows) === 0) await refuse(trx, move);
}

async function refuse(db: Db, move: Move): Promise<never> {
	const group = await db
		.selectFrom('intervention_groups as g')
		.leftJoin('users as owner', 'owner.id', 'g.owner_id')
		.select(['g.title', 'g.status', 'g.version', 'g.owner_id', fullNameOf('owner').as('owner_name')])
		.where('g.id', '=', move.groupId)
		.where('g.pod_id', '=', move.podId)
		.executeTakeFirst();
	if (!group) throw new NotFound('No group in this pod has that id.');
	if (group.status === 'done') throw new Conflict(`${group.title} is already done.`);
	if (group.owner_id && group.owner_id !== move.teacherId) {
		throw new Conflict(`${group.owner_name} has ${group.title}.`, { holder: group.owner_name });
	}
	if (Number(group.version) !== move.version) {
		throw new Conflict(`${group.title} changed since you looked: look again.`);
	}
	if (group.owner_id === move.teacherId && group.status !== 'proposed') {
		throw new Conflict(`You already have ${group.title}.`);
	}
	throw new Conflict(`Claim ${group.title} first.`);
}

async function changed(trx: Transaction<Database>, podId: string, groupId: string, record: RecordPodEvent) {
	const group = await podGroup(trx, podId, groupId);
	await record(podId, 'groups.changed', { studentIds: group.members.map((m) => m.studentId), groupId });
	return group;
}

/**
 * A teacher claims a proposed group. The owner claiming it again (a double tap, or a retry whose
 * first answer was lost) is answered with the group as it is, `claimed: false`, changing nothing.
 */
export async function claimGroup(
	trx: Transaction<Database>,
	move: Move,
	record: RecordPodEvent,
	now = new Date()
): Promise<{ group: InterventionGroup; claimed: boolean }> {
	const result = await trx
		.updateTable('intervention_groups')
		.set((eb) => ({
			owner_id: move.teacherId,
			status: 'claimed' as const,
			updated_at: isoNow(now),
			version: eb('version', '+', 1)
		}))
		.where('id', '=', move.groupId)
		.where('pod_id', '=', move.podId)
		.where('version', '=', move.version)
		.where('status', '=', 'proposed')
		.executeTakeFirst();
	if (Number(result.numUpdatedRows) === 0) {
		const group = await podGroups(trx, move.podId, now).then((all) => all.find((g) => g.id === move.groupId));
		if (group?.owner?.id === move.teacherId && group.status === 'claimed') return { group, claimed: false };
		await refuse(trx, move);
	}
	return { group: await changed(trx, move.podId, move.groupId, record), claimed: true };
}

/** The owner (or a lead) gives the group back: anyone may claim it again. */
export async function releaseGroup(
	trx: Transaction<Database>,
	move: Move & { isLead: boolean },
	record: RecordPodEvent,
	now = new Date()
) {
	await compareAndSet(trx, move, ['claimed'], { owner_id: null, status: 'proposed' }, !move.isLead, now);
	return changed(trx, move.podId, move.groupId, record);
}

/** The owner (or a lead) hands the group to a teammate on the pod's team. */
export async function handOffGroup(
	trx: Transaction<Database>,
	move: Move & { isLead: boolean; toTeacherId: string },
	record: RecordPodEvent,
	now = new Date()
) {
	const teammate = await trx
		.selectFrom('pod_staff')
		.select('user_id')
		.where('pod_id', '=', move.podId)
		.where('user_id', '=', move.toTeacherId)
		.executeTakeFirst();
	if (!teammate) throw new NotFound('That teacher is not on this pod’s team.');
	await compareAndSet(
		trx,
		move,
		['claimed', 'in_session'],
		{ owner_id: move.toTeacherId },
		!move.isLead,
		now
	);
	return changed(trx, move.podId, move.groupId, record);
}

/** The owner (or a lead) starts the group: its members are with a teacher, so never "idle". */
export async function startGroup(
	trx: Transaction<Database>,
	move: Move & { isLead: boolean },
	record: RecordPodEvent,
	now = new Date()
) {
	await compareAndSet(trx, move, ['claimed'], { status: 'in_session' }, !move.isLead, now);
	return changed(trx, move.podId, move.groupId, record);
}

/** The owner (or a lead) closes the group with its outcome; the members' flags are resolved by it. */
export async function finishGroup(
	trx: Transaction<Database>,
	move: Move & { isLead: boolean; outcome: string },
	record: RecordPodEvent,
	now = new Date()
) {
	await compareAndSet(
		trx,
		move,
		['claimed', 'in_session'],
		{ status: 'done', outcome_note: move.outcome },
		!move.isLead,
		now
	);
	const group = await podGroup(trx, move.podId, move.groupId);
	// Every flag the group took on, not only each member's first.
	const resolved = await trx
		.updateTable('flags')
		.set({
			status: 'resolved',
			open_key: null,
			resolved_at: isoNow(now),
			resolved_by: move.teacherId,
			resolution_note: `${group.title}: ${move.outcome}`
		})
		.where('group_id', '=', group.id)
		.where('status', '!=', 'resolved')
		.executeTakeFirst();
	if (Number(resolved.numUpdatedRows) > 0) {
		await flagsChanged(
			trx,
			move.podId,
			group.members.map((m) => m.studentId),
			record
		);
	}
	await record(move.podId, 'groups.changed', {
		studentIds: group.members.map((m) => m.studentId),
		groupId: group.id
	});
	return group;
}
