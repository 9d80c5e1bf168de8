import type { Transaction } from 'kysely';
import type { Database, Db } from '../db';
import type { Duty, PodRole } from '../db/schema';
import { newId } from '../ids';
import type { RecordPodEvent } from '../live/log';
import { fullNameOf } from '../people';
import { daysOffBetween } from '../calendar/calendar';
import { dayOffOn } from '../calendar/school-days';
import { localParts, zonedInstant } from '../pods/clock';
import { generateRotation, minutesOf, type RotationBlock } from './rotation';
import { Conflict, Invalid, NotFound } from '../errors';

export const DUTIES: readonly Duty[] = ['floor', 'small_group', 'conferences', 'planning', 'observation'];

/** The Monday of the week a local date 'YYYY-MM-DD' falls in. */
export function mondayOf(date: string): string {
	const [y, m, d] = date.split('-').map(Number);
	const at = new Date(Date.UTC(y, m - 1, d));
	const weekday = (at.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
	return new Date(Date.UTC(y, m - 1, d - weekday)).toISOString().slice(0, 10);
}

const addDays = (date: string, days: number) => {
	const [y, m, d] = date.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
};

export interface DutyBlock extends RotationBlock {
	label: string;
	/** The local date of this block in the week shown. */
	date: string;
	/** The school calendar's day off on that date, by name: no school, so no duties. */
	dayOff: string | null;
}

export interface DutyWeek {
	weekOf: string;
	/** remote: teaches from afar, so holds no duty in the room. */
	team: { id: string; name: string; role: PodRole; remote: boolean }[];
	blocks: DutyBlock[];
	duties: { blockId: string; teacherId: string; duty: Duty }[];
	unavailable: { blockId: string; teacherId: string }[];
	/** The block running now and the next one today or later this week (this week only). */
	now: { blockId: string | null; nextBlockId: string | null };
	/** Minutes of each duty per teacher this week: is the split fair? */
	workload: { teacherId: string; duty: Duty; minutes: number }[];
	/** Duties set or swapped by hand since the week was last generated: what generating again replaces. */
	handChanges: number;
}

async function podTeam(db: Db, podId: string) {
	const rows = await db
		.selectFrom('pod_staff')
		.innerJoin('users', 'users.id', 'pod_staff.user_id')
		.select(['users.id', fullNameOf('users').as('name'), 'pod_staff.role', 'pod_staff.remote'])
		.where('pod_staff.pod_id', '=', podId)
		.where('users.status', '=', 'active')
		// The lead first, then the team by name: the rotation's stable order.
		.orderBy('pod_staff.role')
		.orderBy('users.given_name')
		.execute();
	return rows.map((r) => ({ id: r.id, name: r.name, role: r.role, remote: r.remote === 1 }));
}

async function podBlocks(db: Db, podId: string, weekOf: string): Promise<DutyBlock[]> {
	const [rows, daysOff] = await Promise.all([
		db
			.selectFrom('duty_blocks')
			.selectAll()
			.where('pod_id', '=', podId)
			.orderBy('weekday')
			.orderBy('starts_at')
			.execute(),
		daysOffBetween(db, podId, weekOf, addDays(weekOf, 6))
	]);
	return rows.map((b) => {
		const date = addDays(weekOf, b.weekday - 1);
		return {
			id: b.id,
			weekday: b.weekday,
			startsAt: b.starts_at,
			endsAt: b.ends_at,
			label: b.label,
			studentsIn: Number(b.students_in) === 1,
			date,
			dayOff: dayOffOn(daysOff, date)?.name ?? null
		};
	});
}

/** The blocks of the week's school days: a day off has no duties to share out. */
const onSchoolDays = (blocks: readonly DutyBlock[]) => blocks.filter((block) => block.dayOff === null);

/** The pod's week of duties, as the schedule page and the board's Duties region show it. */
export async function podWeek(
	db: Db,
	podId: string,
	weekOf: string | null,
	now = new Date()
): Promise<DutyWeek> {
	const pod = await db
		.selectFrom('pods')
		.select('timezone')
		.where('id', '=', podId)
		.executeTakeFirstOrThrow();
	const here = localParts(now, pod.timezone);
	const week = weekOf ?? mondayOf(here.date);
	const [team, blocks, duties, unavailable, handChanged] = await Promise.all([
		podTeam(db, podId),
		podBlocks(db, podId, week),
		db
			.selectFrom('duties')
			.select(['block_id', 'teacher_id', 'duty'])
			.where('pod_id', '=', podId)
			.where('week_of', '=', week)
			.execute(),
		db
			.selectFrom('duty_unavailability')
			.select(['block_id', 'teacher_id'])
			.where('pod_id', '=', podId)
			.where('week_of', '=', week)
			.execute(),
		dutiesSetByHand(db, podId, week)
	]);
	const thisWeek = week === mondayOf(here.date);
	const at = (block: DutyBlock, time: string) => zonedInstant(block.date, time, pod.timezone);
	const running = onSchoolDays(blocks);
	const current = thisWeek
		? running.find((b) => at(b, b.startsAt) <= now && now < at(b, b.endsAt))
		: undefined;
	const next = thisWeek ? running.find((b) => at(b, b.startsAt) > now) : undefined;
	const length = new Map(running.map((b) => [b.id, minutesOf(b)]));
	const workload = new Map<string, number>();
	for (const d of duties) {
		const key = `${d.teacher_id}|${d.duty}`;
		workload.set(key, (workload.get(key) ?? 0) + (length.get(d.block_id) ?? 0));
	}
	return {
		weekOf: week,
		team,
		blocks,
		duties: duties.map((d) => ({ blockId: d.block_id, teacherId: d.teacher_id, duty: d.duty })),
		unavailable: unavailable.map((u) => ({ blockId: u.block_id, teacherId: u.teacher_id })),
		now: { blockId: current?.id ?? null, nextBlockId: next?.id ?? null },
		workload: team.flatMap((t) =>
			DUTIES.map((duty) => ({ teacherId: t.id, duty, minutes: workload.get(`${t.id}|${duty}`) ?? 0 }))
		),
		// A duty of a block the day no longer has went with the block.
		handChanges: [...handChanged].filter((cell) => blocks.some((b) => cell.startsWith(`${b.id}|`))).length
	};
}

/**
 * Which duties of the week (`block|teacher`) the lead set or swapped by hand since the week was
 * last generated, read from the audit log (where every change by hand is written anyway).
 */
async function dutiesSetByHand(db: Db, podId: string, weekOf: string): Promise<Set<string>> {
	const entries = await db
		.selectFrom('audit_log')
		.select(['action', 'entity_id', 'detail'])
		.where('pod_id', '=', podId)
		.where((eb) =>
			eb.or([
				eb.and([eb('entity', '=', 'duty'), eb('action', 'in', ['set', 'swap'])]),
				eb.and([eb('entity', '=', 'duties'), eb('action', '=', 'generate')])
			])
		)
		.orderBy('at')
		.orderBy('id')
		.execute();
	const cells = new Set<string>();
	for (const entry of entries) {
		const detail = JSON.parse(entry.detail) as {
			weekOf?: string;
			teacherId?: string;
			after?: Record<string, string>;
		};
		if (detail.weekOf !== weekOf) continue;
		if (entry.action === 'generate') cells.clear();
		else if (entry.action === 'set' && detail.teacherId) cells.add(`${entry.entity_id}|${detail.teacherId}`);
		else
			for (const teacherId of Object.keys(detail.after ?? {})) cells.add(`${entry.entity_id}|${teacherId}`);
	}
	return cells;
}

const changed = (podId: string, weekOf: string, record: RecordPodEvent) =>
	record(podId, 'duties.changed', { studentIds: [], weekOf });

/**
 * Propose the week with the rotation generator and put it in place of what the week had.
 * Claimed groups planned for a time in the week put their owner on small-group duty there.
 */
export async function generateWeek(
	trx: Transaction<Database>,
	week: { podId: string; weekOf: string },
	record: RecordPodEvent
): Promise<{ problems: string[]; duties: number }> {
	const [team, allBlocks, unavailable, groups] = await Promise.all([
		podTeam(trx, week.podId),
		podBlocks(trx, week.podId, week.weekOf),
		trx
			.selectFrom('duty_unavailability')
			.select(['block_id', 'teacher_id'])
			.where('pod_id', '=', week.podId)
			.where('week_of', '=', week.weekOf)
			.execute(),
		trx
			.selectFrom('intervention_groups')
			.select(['owner_id', 'planned_on', 'planned_start'])
			.where('pod_id', '=', week.podId)
			.where('status', 'in', ['claimed', 'in_session'])
			.where('owner_id', 'is not', null)
			.where('planned_on', '>=', week.weekOf)
			.where('planned_on', '<=', addDays(week.weekOf, 6))
			.execute()
	]);
	if (allBlocks.length === 0) {
		throw new Invalid('The pod has no blocks yet: set out the day first.');
	}
	const blocks = onSchoolDays(allBlocks);
	const groupOwners = groups.flatMap((g) => {
		const block = blocks.find(
			(b) =>
				b.date === g.planned_on &&
				g.planned_start &&
				b.startsAt <= g.planned_start &&
				g.planned_start < b.endsAt
		);
		return block ? [{ teacherId: g.owner_id!, blockId: block.id }] : [];
	});
	const rotation = generateRotation({
		// Who teaches from afar holds no duty in the room.
		teachers: team.filter((t) => t.role !== 'support' && !t.remote).map((t) => t.id),
		support: team.filter((t) => t.role === 'support' && !t.remote).map((t) => t.id),
		blocks,
		unavailable: unavailable.map((u) => ({ teacherId: u.teacher_id, blockId: u.block_id })),
		groupOwners
	});
	await trx
		.deleteFrom('duties')
		.where('pod_id', '=', week.podId)
		.where('week_of', '=', week.weekOf)
		.execute();
	if (rotation.assignments.length) {
		await trx
			.insertInto('duties')
			.values(
				rotation.assignments.map((a) => ({
					id: newId(),
					pod_id: week.podId,
					block_id: a.blockId,
					week_of: week.weekOf,
					teacher_id: a.teacherId,
					duty: a.duty
				}))
			)
			.execute();
	}
	await changed(week.podId, week.weekOf, record);
	return { problems: rotation.problems, duties: rotation.assignments.length };
}

async function blockOf(db: Db, podId: string, blockId: string) {
	const block = await db
		.selectFrom('duty_blocks')
		.select(['id', 'label', 'weekday', 'starts_at'])
		.where('id', '=', blockId)
		.where('pod_id', '=', podId)
		.executeTakeFirst();
	if (!block) throw new NotFound('No block of this pod’s day has that id.');
	return block;
}

/** A block of the week on a school day: a day off on the school calendar has no duties. */
async function schoolDayBlock(db: Db, podId: string, weekOf: string, blockId: string) {
	const block = await blockOf(db, podId, blockId);
	const date = addDays(weekOf, block.weekday - 1);
	const dayOff = dayOffOn(await daysOffBetween(db, podId, date, date), date);
	if (dayOff) {
		throw new Invalid(
			`${dayOff.name} is on the school calendar on ${date}: there is no school, so no duties, that day.`
		);
	}
	return block;
}

/** What support staff may hold: the room's floor, or a group they are given to run. */
export const SUPPORT_DUTIES: readonly Duty[] = ['floor', 'small_group'];

async function teamMember(db: Db, podId: string, teacherId: string, duty?: Duty) {
	const member = await db
		.selectFrom('pod_staff')
		.select('role')
		.where('pod_id', '=', podId)
		.where('user_id', '=', teacherId)
		.executeTakeFirst();
	if (!member) throw new NotFound('That teacher is not on this pod’s team.');
	if (member.role === 'support' && duty !== undefined && !SUPPORT_DUTIES.includes(duty)) {
		throw new Invalid(
			'Support staff hold the floor or run a small group; conferences, planning and observation are the teachers’.'
		);
	}
}

/** The lead sets one teacher's duty in one block by hand. Answers what it was before. */
export async function setDuty(
	trx: Transaction<Database>,
	change: { podId: string; weekOf: string; blockId: string; teacherId: string; duty: Duty },
	record: RecordPodEvent
): Promise<{ before: Duty | null }> {
	await schoolDayBlock(trx, change.podId, change.weekOf, change.blockId);
	await teamMember(trx, change.podId, change.teacherId, change.duty);
	const before = await trx
		.selectFrom('duties')
		.select('duty')
		.where('block_id', '=', change.blockId)
		.where('week_of', '=', change.weekOf)
		.where('teacher_id', '=', change.teacherId)
		.executeTakeFirst();
	await trx
		.insertInto('duties')
		.values({
			id: newId(),
			pod_id: change.podId,
			block_id: change.blockId,
			week_of: change.weekOf,
			teacher_id: change.teacherId,
			duty: change.duty
		})
		.onConflict((oc) => oc.columns(['block_id', 'week_of', 'teacher_id']).doUpdateSet({ duty: change.duty }))
		.execute();
	await trx
		.deleteFrom('duty_unavailability')
		.where('pod_id', '=', change.podId)
		.where('week_of', '=', change.weekOf)
		.where('block_id', '=', change.blockId)
		.where('teacher_id', '=', change.teacherId)
		.execute();
	await changed(change.podId, change.weekOf, record);
	return { before: before?.duty ?? null };
}

/** Two teachers trade their duties in one block. */
export async function swapDuties(
	trx: Transaction<Database>,
	swap: { podId: string; weekOf: string; blockId: string; teacherIds: [string, string] },
	record: RecordPodEvent
): Promise<{ duties: Record<string, Duty> }> {
	const block = await schoolDayBlock(trx, swap.podId, swap.weekOf, swap.blockId);
	const rows = await trx
		.selectFrom('duties')
		.select(['id', 'teacher_id', 'duty'])
		.where('block_id', '=', swap.blockId)
		.where('week_of', '=', swap.weekOf)
		.where('teacher_id', 'in', swap.teacherIds)
		.execute();
	if (rows.length !== 2) {
		throw new Conflict(
			`Both teachers need a duty in ${block.label} to swap: generate the week or set one first.`
		);
	}
	const [a, b] = rows;
	// Each takes the other's duty: one a member of support staff may not hold is refused.
	await teamMember(trx, swap.podId, a.teacher_id, b.duty);
	await teamMember(trx, swap.podId, b.teacher_id, a.duty);
	await trx.updateTable('duties').set({ duty: b.duty }).where('id', '=', a.id).execute();
	await trx.updateTable('duties').set({ duty: a.duty }).where('id', '=', b.id).execute();
	await changed(swap.podId, swap.weekOf, record);
	return { duties: { [a.teacher_id]: b.duty, [b.teacher_id]: a.duty } };
}

/** A teacher is away for a block of the week (no duty there), or back. */
export async function setAway(
	trx: Transaction<Database>,
	away: { podId: string; weekOf: string; blockId: string; teacherId: string; away: boolean },
	record: RecordPodEvent
): Promise<void> {
	await blockOf(trx, away.podId, away.blockId);
	await teamMember(trx, away.podId, away.teacherId);
	if (away.away) {
		await trx
			.insertInto('duty_unavailability')
			.values({
				pod_id: away.podId,
				week_of: away.weekOf,
				block_id: away.blockId,
				teacher_id: away.teacherId
			})
			.onConflict((oc) => oc.doNothing())
			.execute();
		await trx
			.deleteFrom('duties')
			.where('block_id', '=', away.blockId)
			.where('week_of', '=', away.weekOf)
			.where('teacher_id', '=', away.teacherId)
			.execute();
	} else {
		await trx
			.deleteFrom('duty_unavailability')
			.where('pod_id', '=', away.podId)
			.where('week_of', '=', away.weekOf)
			.where('block_id', '=', away.blockId)
			.where('teacher_id', '=', away.teacherId)
			.execute();
	}
	await changed(away.podId, away.weekOf, record);
}

export interface NewBlock {
	startsAt: string;
	endsAt: string;
	label: string;
	studentsIn: boolean;
}

/** The lead sets out one weekday's blocks; that day's duties go with the old blocks. */
export async function saveDay(
	trx: Transaction<Database>,
	day: { podId: string; weekday: number; blocks: readonly NewBlock[] },
	record: RecordPodEvent
): Promise<void> {
	const sorted = [...day.blocks].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
	for (const [i, block] of sorted.entries()) {
		if (block.endsAt <= block.startsAt) {
			throw new Invalid(`${block.label} ends before it starts.`);
		}
		const next = sorted[i + 1];
		if (next && next.startsAt < block.endsAt) {
			throw new Invalid(`${block.label} and ${next.label} overlap.`);
		}
	}
	await trx
		.deleteFrom('duty_blocks')
		.where('pod_id', '=', day.podId)
		.where('weekday', '=', day.weekday)
		.execute();
	if (sorted.length) {
		await trx
			.insertInto('duty_blocks')
			.values(
				sorted.map((b) => ({
					id: newId(),
					pod_id: day.podId,
					weekday: day.weekday,
					starts_at: b.startsAt,
					ends_at: b.endsAt,
					label: b.label,
					students_in: b.studentsIn ? 1 : 0
				}))
			)
			.execute();
	}
	await record(day.podId, 'duties.changed', { studentIds: [], weekday: day.weekday });
}
