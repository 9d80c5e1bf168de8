import type { Transaction } from 'kysely';
import { describeWeek, inWeekdayOrder, weekProblem, type SchoolWeek } from '../../pods/school-week';
import { announceAfterCommit } from '../live/log';
import type { Database, Db } from '../db';
import { takeTurns } from '../db/locks';
import { Conflict, Invalid, NotFound } from '../errors';
import { DEFAULT_THRESHOLDS } from '../flags/thresholds';
import { isoNow, newId } from '../ids';
import { schoolForNewPod } from '../schools/schools';
import { schoolWeekOf } from './clock';
import { unusedJoinCode } from './join-codes';
import { canonicalTimeZone } from './time-zones';

// A pod as the school admin sets it up: its school, name, grades, clock, week and ratio; its pod
// code; archiving it (read-only and off every list, its data kept until erased) and back.

/** What the admin's pod form sets. */
export interface PodFields {
	name: string;
	gradeLow: number;
	gradeHigh: number;
	timeZone: string;
	schoolWeek: SchoolWeek;
	/** The most students one adult may have; null when the school sets none. */
	studentsPerAdult: number | null;
}

/** Pod codes are drawn one pod at a time, so two new pods never draw the same. */
const JOIN_CODES = 'join-codes';

/** The fields as stored, or the reason they cannot be (nothing is changed then). */
function checked(fields: PodFields) {
	const name = fields.name.trim();
	if (fields.gradeLow > fields.gradeHigh) {
		throw new Invalid(
			`The lowest grade (${fields.gradeLow}) is above the highest (${fields.gradeHigh}): swap them, or make them the same for a one-grade pod.`
		);
	}
	const timezone = canonicalTimeZone(fields.timeZone);
	if (!timezone) throw new Invalid(`“${fields.timeZone}” is not a time zone. Choose one from the list.`);
	const problem = weekProblem(fields.schoolWeek);
	if (problem) throw new Invalid(problem);
	return {
		name,
		grade_low: fields.gradeLow,
		grade_high: fields.gradeHigh,
		timezone,
		school_week: JSON.stringify(inWeekdayOrder(fields.schoolWeek)),
		students_per_adult: fields.studentsPerAdult
	};
}

/** Two pods of one school with one name would be told apart by nobody. */
async function refuseTakenPodName(db: Db, schoolId: string, name: string, besides?: string) {
	const taken = await db
		.selectFrom('pods')
		.innerJoin('schools', 'schools.id', 'pods.school_id')
		.select(['pods.name', 'schools.name as school'])
		.where('pods.school_id', '=', schoolId)
		.where('pods.name', '=', name)
		.$if(besides !== undefined, (qb) => qb.where('pods.id', '!=', besides!))
		.executeTakeFirst();
	if (taken)
		throw new Conflict(`${taken.school} already has a pod named ${taken.name}. Choose another name.`);
}

/** A new pod, in a school chosen, named, or (unnamed) made for it, with a fresh pod code. */
export async function createPod(
	trx: Transaction<Database>,
	pod: PodFields & { school?: { id: string } | { name: string } },
	now = new Date()
) {
	const row = checked(pod);
	const school = await schoolForNewPod(trx, pod.school, row.name, now);
	await refuseTakenPodName(trx, school.id, row.name);
	await takeTurns(trx, [JOIN_CODES]);
	const id = newId();
	const joinCode = await unusedJoinCode(trx);
	await trx
		.insertInto('pods')
		.values({
			id,
			school_id: school.id,
			...row,
			join_code: joinCode,
			flag_thresholds: JSON.stringify(DEFAULT_THRESHOLDS),
			created_at: isoNow(now)
		})
		.execute();
	return { id, name: row.name, joinCode, school };
}

/** The pod, refused by name when it is archived: an archived pod is read-only. */
async function podToChange(db: Db, podId: string) {
	const pod = await db.selectFrom('pods').selectAll().where('id', '=', podId).executeTakeFirst();
	if (!pod) throw new NotFound('No pod has that id. Reload the page to see the pods there are.');
	if (pod.archived_at !== null) throw new Conflict(archivedMessage(pod.name));
	return pod;
}

/** What every write to an archived pod answers. */
export const archivedMessage = (podName: string) =>
	`${podName} is archived, so it is read-only: nothing was changed. A school admin can restore it on the admin page.`;

/** The settings that differ, as { field: [before, after] }: the audit entry's detail. */
function differences(before: Record<string, unknown>, after: Record<string, unknown>) {
	return Object.fromEntries(
		Object.entries(after)
			.filter(([field, value]) => before[field] !== value)
			.map(([field, value]) => [field, [before[field], value]])
	);
}

/** New settings for a pod, and its school; null when nothing differs. */
export async function updatePod(
	trx: Transaction<Database>,
	podId: string,
	fields: PodFields & { schoolId: string }
) {
	const pod = await podToChange(trx, podId);
	const row = checked(fields);
	if (fields.schoolId !== pod.school_id) {
		const school = await trx
			.selectFrom('schools')
			.select('id')
			.where('id', '=', fields.schoolId)
			.executeTakeFirst();
		if (!school) throw new NotFound('No school has that id. Reload the page and choose the school again.');
	}
	await refuseTakenPodName(trx, fields.schoolId, row.name, pod.id);
	const changed = differences(pod, { ...row, school_id: fields.schoolId });
	if (Object.keys(changed).length === 0) return null;
	await trx
		.updateTable('pods')
		.set({ ...row, school_id: fields.schoolId })
		.where('id', '=', pod.id)
		.execute();
	return { id: pod.id, name: row.name, changed };
}

/**
 * Archive a pod: read-only and off every list from now on. Its students' sessions end (a session
 * opened while this runs is refused anyway: resolveSession checks the pod). Null when it already was.
 */
export async function archivePod(trx: Transaction<Database>, podId: string, now = new Date()) {
	const pod = await trx
		.selectFrom('pods')
		.select(['id', 'name', 'archived_at'])
		.where('id', '=', podId)
		.executeTakeFirst();
	if (!pod) throw new NotFound('No pod has that id. Reload the page to see the pods there are.');
	const archived = await trx
		.updateTable('pods')
		.set({ archived_at: isoNow(now) })
		.where('id', '=', pod.id)
		.where('archived_at', 'is', null)
		.executeTakeFirst();
	if (Number(archived.numUpdatedRows) === 0) return null;
	const ended = await trx
		.deleteFrom('sessions')
		.where('pod_id', '=', pod.id)
		.returning('token_hash')
		.execute();
	announceAfterCommit(trx, async (bus) => {
		if (ended.length) await bus.sessionEnded(...ended.map((session) => session.token_hash));
	});
	return { id: pod.id, name: pod.name, sessionsEnded: ended.length };
}

/** Bring an archived pod back; null when it was not archived. */
export async function restorePod(trx: Transaction<Database>, podId: string) {
	const pod = await trx.selectFrom('pods').select(['id', 'name']).where('id', '=', podId).executeTakeFirst();
	if (!pod) throw new NotFound('No pod has that id. Reload the page to see the pods there are.');
	const restored = await trx
		.updateTable('pods')
		.set({ archived_at: null })
		.where('id', '=', pod.id)
		.where('archived_at', 'is not', null)
		.executeTakeFirst();
	return Number(restored.numUpdatedRows) === 0 ? null : pod;
}

/** A new pod code: the old one stops working the moment this commits. */
export async function changeJoinCode(trx: Transaction<Database>, podId: string) {
	const pod = await podToChange(trx, podId);
	await takeTurns(trx, [JOIN_CODES]);
	const joinCode = await unusedJoinCode(trx);
	await trx.updateTable('pods').set({ join_code: joinCode }).where('id', '=', pod.id).execute();
	return { id: pod.id, joinCode, before: pod.join_code };
}

/** A pod's settings as its form shows them (archived pods too: the admin restores them there). */
export async function podSettings(db: Db, podId: string) {
	const pod = await db
		.selectFrom('pods')
		.innerJoin('schools', 'schools.id', 'pods.school_id')
		.selectAll('pods')
		.select('schools.name as schoolName')
		.where('pods.id', '=', podId)
		.executeTakeFirst();
	if (!pod) throw new NotFound('No pod has that id. Reload the page to see the pods there are.');
	const week = schoolWeekOf(pod);
	return {
		id: pod.id,
		name: pod.name,
		school: { id: pod.school_id, name: pod.schoolName },
		gradeLow: pod.grade_low,
		gradeHigh: pod.grade_high,
		timeZone: pod.timezone,
		schoolWeek: week,
		week: describeWeek(week),
		studentsPerAdult: pod.students_per_adult,
		joinCode: pod.join_code,
		archivedAt: pod.archived_at
	};
}
