import type { Insertable } from 'kysely';
import type { Subject } from '../../library/catalog';
import type { Db } from '../db';
import type { Skill, SkillTable } from '../db/schema';
import { newId } from '../ids';
import { changedFields, type Changes } from './changes';
import { Conflict, NotFound } from '../errors';

// A pod's managed list of skills (standard codes). Every function is scoped by pod id.

export interface SkillFields {
	code: string;
	name: string;
	subject: Subject;
	grade: number;
}

export interface SkillInLibrary extends SkillFields {
	id: string;
	/** Activities in the library (not archived) that practise this skill. */
	activityCount: number;
	/** Archived activities that still name it: they keep it, so it cannot be deleted. */
	archivedActivityCount: number;
}

/** The pod's skills by subject, grade and code, each with how many activities use it. */
export async function skillsInPod(db: Db, podId: string): Promise<SkillInLibrary[]> {
	const [skills, uses] = await Promise.all([
		db
			.selectFrom('skills')
			.select(['id', 'code', 'name', 'subject', 'grade'])
			.where('pod_id', '=', podId)
			.orderBy('subject')
			.orderBy('grade')
			.orderBy('code')
			.execute(),
		db
			.selectFrom('activity_skills')
			.innerJoin('activities', 'activities.id', 'activity_skills.activity_id')
			.select((eb) => [
				'activity_skills.skill_id',
				eb.fn.countAll<number>().as('total'),
				eb.fn.count<number>('activities.archived_at').as('archived')
			])
			.where('activities.pod_id', '=', podId)
			.groupBy('activity_skills.skill_id')
			.execute()
	]);
	const usesBySkill = new Map(uses.map((use) => [use.skill_id, use]));
	return skills.map((skill) => {
		const use = usesBySkill.get(skill.id);
		const archived = Number(use?.archived ?? 0);
		return {
			...skill,
			subject: skill.subject as Subject,
			activityCount: Number(use?.total ?? 0) - archived,
			archivedActivityCount: archived
		};
	});
}

export async function skillInPod(db: Db, podId: string, skillId: string): Promise<Skill> {
	const skill = await db
		.selectFrom('skills')
		.selectAll()
		.where('pod_id', '=', podId)
		.where('id', '=', skillId)
		.executeTakeFirst();
	if (!skill) throw new NotFound("That skill is not in this pod's list.");
	return skill;
}

/** Codes are compared without regard to case: "4.nf.1" is the same standard as "4.NF.1". */
async function refuseTakenCode(db: Db, podId: string, code: string, exceptSkillId?: string) {
	const taken = await db
		.selectFrom('skills')
		.select('code')
		.where('pod_id', '=', podId)
		.where((eb) => eb(eb.fn('lower', ['code']), '=', code.toLowerCase()))
		.$if(exceptSkillId !== undefined, (qb) => qb.where('id', '!=', exceptSkillId!))
		.executeTakeFirst();
	if (taken) {
		throw new Conflict(`Skill code ${taken.code} is already in this pod's list`);
	}
}

export async function createSkill(db: Db, podId: string, fields: SkillFields): Promise<Skill> {
	await refuseTakenCode(db, podId, fields.code);
	const skill: Insertable<SkillTable> = { id: newId(), pod_id: podId, ...fields };
	await db.insertInto('skills').values(skill).execute();
	return { ...skill };
}

export async function updateSkill(
	db: Db,
	podId: string,
	skillId: string,
	fields: SkillFields
): Promise<{ skill: Skill; changes: Changes }> {
	const before = await skillInPod(db, podId, skillId);
	if (fields.code !== before.code) await refuseTakenCode(db, podId, fields.code, skillId);
	const changes = changedFields(before, {
		code: fields.code,
		name: fields.name,
		subject: fields.subject,
		grade: fields.grade
	});
	if (Object.keys(changes).length) {
		await db
			.updateTable('skills')
			.set(fields)
			.where('pod_id', '=', podId)
			.where('id', '=', skillId)
			.execute();
	}
	return { skill: { ...before, ...fields }, changes };
}

/** Deleting a skill would strip it from activities (archived ones too) and groups: refused while in use. */
export async function deleteSkill(db: Db, podId: string, skillId: string): Promise<Skill> {
	const skill = await skillInPod(db, podId, skillId);
	const [activities, groups] = await Promise.all([
		db
			.selectFrom('activity_skills')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('skill_id', '=', skillId)
			.executeTakeFirstOrThrow(),
		db
			.selectFrom('intervention_groups')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('pod_id', '=', podId)
			.where('focus_skill_id', '=', skillId)
			.executeTakeFirstOrThrow()
	]);
	const activityCount = Number(activities.n);
	const groupCount = Number(groups.n);
	if (activityCount > 0) {
		throw new Conflict(
			`Skill ${skill.code} is used by ${plural(activityCount, 'activity', 'activities')}; take it off them before deleting it.`
		);
	}
	if (groupCount > 0) {
		throw new Conflict(
			`Skill ${skill.code} is the focus of ${plural(groupCount, 'intervention group', 'intervention groups')}, so it stays in the list.`
		);
	}
	await db.deleteFrom('skills').where('pod_id', '=', podId).where('id', '=', skillId).execute();
	return skill;
}

const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;
