import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../db';
import { takeTurns } from '../db/locks';
import { Conflict, NotFound } from '../errors';
import { isoNow, newId } from '../ids';
import { gradeSpan } from '../pods/queries';

// A district's schools: a pod belongs to one. Created by hand on the admin page (or named after a
// pod when its school is left unnamed); OneRoster orgs keep their sourcedId in source_id.

export const SCHOOL_NAME_LIMIT = 120;

/** Check-then-insert of names: schools are created and renamed one at a time. */
const SCHOOL_NAMES = 'school-names';

async function refuseTakenName(db: Db, name: string, besides?: string): Promise<void> {
	const taken = await db
		.selectFrom('schools')
		.select('name')
		// Lowered by the engine on both sides, as the unique index lowers them.
		.where(sql<string>`lower(name)`, '=', sql<string>`lower(${name})`)
		.$if(besides !== undefined, (qb) => qb.where('id', '!=', besides!))
		.executeTakeFirst();
	if (taken) {
		throw new Conflict(
			`There is already a school named “${taken.name}”. Choose another name, or put the pod in that school.`
		);
	}
}

/** A new school; its name must differ from every other school's (case aside). */
export async function createSchool(
	trx: Transaction<Database>,
	school: { name: string; sourceId?: string | null },
	now = new Date()
): Promise<{ id: string; name: string }> {
	const name = school.name.trim();
	await takeTurns(trx, [SCHOOL_NAMES]);
	await refuseTakenName(trx, name);
	const id = newId();
	await trx
		.insertInto('schools')
		.values({ id, name, source_id: school.sourceId ?? null, created_at: isoNow(now) })
		.execute();
	return { id, name };
}

/** A school's new name; null when it already had that name (nothing to change, nothing to log). */
export async function renameSchool(
	trx: Transaction<Database>,
	schoolId: string,
	newName: string
): Promise<{ id: string; name: string; before: string } | null> {
	const name = newName.trim();
	await takeTurns(trx, [SCHOOL_NAMES]);
	const school = await trx
		.selectFrom('schools')
		.select(['id', 'name'])
		.where('id', '=', schoolId)
		.executeTakeFirst();
	if (!school) throw new NotFound('No school has that id. Reload the page to see the schools there are.');
	if (school.name === name) return null;
	await refuseTakenName(trx, name, school.id);
	await trx.updateTable('schools').set({ name }).where('id', '=', school.id).execute();
	return { id: school.id, name, before: school.name };
}

/** The school a new pod goes into: one named, a new one by name, or (unnamed) one after the pod. */
export async function schoolForNewPod(
	trx: Transaction<Database>,
	school: { id: string } | { name: string } | undefined,
	podName: string,
	now = new Date()
): Promise<{ id: string; name: string; created: boolean }> {
	if (school && 'id' in school) {
		const found = await trx
			.selectFrom('schools')
			.select(['id', 'name'])
			.where('id', '=', school.id)
			.executeTakeFirst();
		if (!found) throw new NotFound('No school has that id. Reload the page and choose the school again.');
		return { ...found, created: false };
	}
	// Left unnamed, it is called after its first pod, as the pods that came before schools were.
	const name = school?.name.trim() || `School of ${podName.trim()}`.slice(0, SCHOOL_NAME_LIMIT);
	return { ...(await createSchool(trx, { name }, now)), created: true };
}

export interface SchoolPod {
	id: string;
	name: string;
	grades: string;
	joinCode: string;
	studentCount: number;
	archived: boolean;
}

/** Every school with its pods (archived ones too, marked), by name: the admin's home page. */
export async function schoolsWithPods(db: Db) {
	const [schools, pods] = await Promise.all([
		db.selectFrom('schools').select(['id', 'name', 'source_id']).orderBy('name').execute(),
		db
			.selectFrom('pods')
			.select((eb) => [
				'id',
				'school_id',
				'name',
				'grade_low',
				'grade_high',
				'join_code',
				'archived_at',
				eb
					.selectFrom('pod_students')
					.select((s) => s.fn.countAll<number>().as('n'))
					.whereRef('pod_students.pod_id', '=', 'pods.id')
					.as('studentCount')
			])
			.orderBy('name')
			.execute()
	]);
	return schools.map((school) => ({
		id: school.id,
		name: school.name,
		fromOneRoster: school.source_id !== null,
		pods: pods
			.filter((pod) => pod.school_id === school.id)
			.map((pod): SchoolPod => ({
				id: pod.id,
				name: pod.name,
				grades: gradeSpan(pod.grade_low, pod.grade_high),
				joinCode: pod.join_code,
				studentCount: Number(pod.studentCount ?? 0),
				archived: pod.archived_at !== null
			}))
	}));
}
