import { sql, type Insertable } from 'kysely';
import type { ArchivedView, Subject } from '../../library/catalog';
import type { Db } from '../db';
import type { Activity, ActivityKind, ActivityTable } from '../db/schema';
import { isoNow, newId } from '../ids';
import { changedFields, type Changes } from './changes';
import { Invalid, NotFound } from '../errors';

// The pod's activity library. Every query is scoped by pod id, so its cost follows the pod's size.

export interface ActivityFields {
	title: string;
	subject: Subject;
	kind: ActivityKind;
	skillIds: string[];
	gradeLow: number;
	gradeHigh: number;
	estimatedMinutes: number;
	resourceUrl: string | null;
	maxScore: number | null;
}

export interface ActivityFilters {
	/** Part of the title, or of a skill's code or name; any case. */
	search?: string;
	subject?: Subject;
	skillId?: string;
	/** Activities whose grade band contains this grade. */
	grade?: number;
	kind?: ActivityKind;
	archived?: ArchivedView;
}

export interface SkillTag {
	id: string;
	code: string;
	name: string;
}

export interface LibraryActivity {
	id: string;
	title: string;
	subject: Subject;
	kind: ActivityKind;
	gradeLow: number;
	gradeHigh: number;
	estimatedMinutes: number;
	resourceUrl: string | null;
	maxScore: number | null;
	archivedAt: string | null;
	createdAt: string;
	skills: SkillTag[];
	/** Students with this activity on their playlist. */
	studentsAssigned: number;
}

/** `%` and `_` in what a teacher types are letters, not wildcards. */
const likePattern = (text: string): string => `%${text.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;

export async function listActivities(
	db: Db,
	podId: string,
	filters: ActivityFilters = {}
): Promise<LibraryActivity[]> {
	const archived = filters.archived ?? 'active';
	const pattern = filters.search ? likePattern(filters.search) : undefined;
	const rows = await db
		.selectFrom('activities')
		.selectAll('activities')
		.select((eb) =>
			eb
				.selectFrom('assignments')
				.select((a) => a.fn.countAll<number>().as('n'))
				.whereRef('assignments.activity_id', '=', 'activities.id')
				.as('studentsAssigned')
		)
		.where('activities.pod_id', '=', podId)
		.$if(archived === 'active', (qb) => qb.where('activities.archived_at', 'is', null))
		.$if(archived === 'archived', (qb) => qb.where('activities.archived_at', 'is not', null))
		.$if(filters.subject !== undefined, (qb) => qb.where('activities.subject', '=', filters.subject!))
		.$if(filters.kind !== undefined, (qb) => qb.where('activities.kind', '=', filters.kind!))
		.$if(filters.grade !== undefined, (qb) =>
			qb
				.where('activities.grade_low', '<=', filters.grade!)
				.where('activities.grade_high', '>=', filters.grade!)
		)
		.$if(filters.skillId !== undefined, (qb) =>
			qb.where((eb) =>
				eb.exists(
					eb
						.selectFrom('activity_skills')
						.select('activity_skills.skill_id')
						.whereRef('activity_skills.activity_id', '=', 'activities.id')
						.where('activity_skills.skill_id', '=', filters.skillId!)
				)
			)
		)
		.$if(pattern !== undefined, (qb) =>
			qb.where((eb) =>
				eb.or([
					sql<boolean>`lower(${eb.ref('activities.title')}) like ${pattern} escape '\\'`,
					eb.exists(
						eb
							.selectFrom('activity_skills')
							.innerJoin('skills', 'skills.id', 'activity_skills.skill_id')
							.select('skills.id')
							.whereRef('activity_skills.activity_id', '=', 'activities.id')
							.where((s) =>
								s.or([
									sql<boolean>`lower(${s.ref('skills.code')}) like ${pattern} escape '\\'`,
									sql<boolean>`lower(${s.ref('skills.name')}) like ${pattern} escape '\\'`
								])
							)
					)
				])
			)
		)
		.orderBy('activities.subject')
		.orderBy('activities.title')
		.execute();

	const skillsByActivity = await skillTagsInPod(db, podId);
	return rows.map((row) => ({
		...fromRow(row),
		skills: skillsByActivity.get(row.id) ?? [],
		studentsAssigned: Number(row.studentsAssigned ?? 0)
	}));
}

/** One activity of the pod, with its skills and how many students have it. */
export async function activityInPod(db: Db, podId: string, activityId: string): Promise<LibraryActivity> {
	const [row, skills, assigned] = await Promise.all([
		db
			.selectFrom('activities')
			.selectAll()
			.where('pod_id', '=', podId)
			.where('id', '=', activityId)
			.executeTakeFirst(),
		db
			.selectFrom('activity_skills')
			.innerJoin('skills', 'skills.id', 'activity_skills.skill_id')
			.select(['skills.id', 'skills.code', 'skills.name'])
			.where('activity_skills.activity_id', '=', activityId)
			.where('skills.pod_id', '=', podId)
			.orderBy('skills.code')
			.execute(),
		db
			.selectFrom('assignments')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('pod_id', '=', podId)
			.where('activity_id', '=', activityId)
			.executeTakeFirstOrThrow()
	]);
	if (!row) throw new NotFound("That activity is not in this pod's library.");
	return { ...fromRow(row), skills, studentsAssigned: Number(assigned.n) };
}

export async function createActivity(
	db: Db,
	podId: string,
	fields: ActivityFields,
	now = new Date()
): Promise<LibraryActivity> {
	const skills = await skillsOfPod(db, podId, fields.skillIds);
	const activity: Insertable<ActivityTable> = {
		id: newId(),
		pod_id: podId,
		...toColumns(fields),
		archived_at: null,
		created_at: isoNow(now)
	};
	await db.insertInto('activities').values(activity).execute();
	if (skills.length) {
		await db
			.insertInto('activity_skills')
			.values(skills.map((skill) => ({ activity_id: activity.id, skill_id: skill.id })))
			.execute();
	}
	return activityInPod(db, podId, activity.id);
}

/**
 * Replace an activity's fields and skills. Returns what changed, field by field, with skills
 * as the codes added and removed; an update that changes nothing still succeeds.
 */
export async function updateActivity(
	db: Db,
	podId: string,
	activityId: string,
	fields: ActivityFields
): Promise<{ activity: LibraryActivity; changes: Changes }> {
	const before = await activityInPod(db, podId, activityId);
	const skills = await skillsOfPod(db, podId, fields.skillIds);
	const { skillIds: _skillIds, ...scalars } = fields;
	const changes = changedFields(before, scalars);

	const had = new Set(before.skills.map((skill) => skill.id));
	const wants = new Set(skills.map((skill) => skill.id));
	const added = skills.filter((skill) => !had.has(skill.id));
	const removed = before.skills.filter((skill) => !wants.has(skill.id));
	if (added.length || removed.length) {
		changes.skills = {
			from: before.skills.map((skill) => skill.code),
			to: skills.map((skill) => skill.code)
		};
	}

	if (Object.keys(scalars).some((field) => field in changes)) {
		await db
			.updateTable('activities')
			.set(toColumns(fields))
			.where('pod_id', '=', podId)
			.where('id', '=', activityId)
			.execute();
	}
	if (removed.length) {
		await db
			.deleteFrom('activity_skills')
			.where('activity_id', '=', activityId)
			.where(
				'skill_id',
				'in',
				removed.map((skill) => skill.id)
			)
			.execute();
	}
	if (added.length) {
		await db
			.insertInto('activity_skills')
			.values(added.map((skill) => ({ activity_id: activityId, skill_id: skill.id })))
			.execute();
	}
	return { activity: await activityInPod(db, podId, activityId), changes };
}

/**
 * Archive (a time) or restore (null). Never deletes: assignments, progress events and groups
 * keep pointing at the activity; only the library's default list stops showing it.
 */
export async function setArchived(
	db: Db,
	podId: string,
	activityId: string,
	archivedAt: Date | null
): Promise<{ activity: LibraryActivity; changed: boolean }> {
	const before = await activityInPod(db, podId, activityId);
	const changed = (before.archivedAt === null) !== (archivedAt === null);
	if (changed) {
		await db
			.updateTable('activities')
			.set({ archived_at: archivedAt && isoNow(archivedAt) })
			.where('pod_id', '=', podId)
			.where('id', '=', activityId)
			.execute();
	}
	return { activity: changed ? await activityInPod(db, podId, activityId) : before, changed };
}

/** The named skills, all of which must be in this pod's list; in code order, duplicates dropped. */
async function skillsOfPod(db: Db, podId: string, skillIds: string[]): Promise<SkillTag[]> {
	const wanted = [...new Set(skillIds)];
	if (!wanted.length) return [];
	const skills = await db
		.selectFrom('skills')
		.select(['id', 'code', 'name'])
		.where('pod_id', '=', podId)
		.where('id', 'in', wanted)
		.orderBy('code')
		.execute();
	const missing = wanted.find((id) => !skills.some((skill) => skill.id === id));
	if (missing) {
		throw new Invalid(`Skill ${missing} is not in this pod's list; add it under Skills first.`);
	}
	return skills;
}

/** Every activity's skills in the pod, in one query over the pod's skills. */
async function skillTagsInPod(db: Db, podId: string): Promise<Map<string, SkillTag[]>> {
	const rows = await db
		.selectFrom('activity_skills')
		.innerJoin('skills', 'skills.id', 'activity_skills.skill_id')
		.select(['activity_skills.activity_id', 'skills.id', 'skills.code', 'skills.name'])
		.where('skills.pod_id', '=', podId)
		.orderBy('skills.code')
		.execute();
	const byActivity = new Map<string, SkillTag[]>();
	for (const { activity_id, ...skill } of rows) {
		const list = byActivity.get(activity_id) ?? [];
		list.push(skill);
		byActivity.set(activity_id, list);
	}
	return byActivity;
}

function toColumns(fields: ActivityFields) {
	return {
		title: fields.title,
		subject: fields.subject,
		kind: fields.kind,
		grade_low: fields.gradeLow,
		grade_high: fields.gradeHigh,
		estimated_minutes: fields.estimatedMinutes,
		resource_url: fields.resourceUrl,
		max_score: fields.maxScore
	};
}

function fromRow(row: Activity): Omit<LibraryActivity, 'skills' | 'studentsAssigned'> {
	return {
		id: row.id,
		title: row.title,
		subject: row.subject as Subject,
		kind: row.kind,
		gradeLow: row.grade_low,
		gradeHigh: row.grade_high,
		estimatedMinutes: row.estimated_minutes,
		resourceUrl: row.resource_url,
		maxScore: row.max_score,
		archivedAt: row.archived_at,
		createdAt: row.created_at
	};
}
