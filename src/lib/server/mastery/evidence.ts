// Evidence of skills: written with the scored work it comes from, in the same transaction, and
// read back for mastery (src/lib/mastery/model.ts). One row per result on one skill.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db';
import type { ObservationMark, ScoreSource } from '../db/schema';
import { UNDO_DONE_MINUTES } from '../../progress/derive';
import { submissionEvidence, type SkillEvidence } from '../../mastery/model';

/** A scored submission just stored. */
export interface ScoredSubmission {
	eventId: string;
	assignment: {
		id: string;
		pod_id: string;
		student_id: string;
		activity_id: string;
		max_score: number | null;
	};
	score: number;
	source: ScoreSource;
	occurredAt: string;
	/** A quick check's share right per skill id, from its items' tags; other skills take the whole score. */
	skillPercents?: ReadonlyMap<string, number>;
}

/** Store each skill's result from these submissions: the skills their activities practise, and a check's tagged ones. */
export async function recordSkillEvidence(
	trx: Transaction<Database>,
	submissions: readonly ScoredSubmission[]
): Promise<void> {
	if (submissions.length === 0) return;
	const activityIds = [...new Set(submissions.map((s) => s.assignment.activity_id))];
	const practised = new Map<string, string[]>();
	for (const row of await trx
		.selectFrom('activity_skills')
		.select(['activity_id', 'skill_id'])
		.where('activity_id', 'in', activityIds)
		.execute()) {
		practised.set(row.activity_id, [...(practised.get(row.activity_id) ?? []), row.skill_id]);
	}
	const rows = submissions.flatMap((s) =>
		[
			...submissionEvidence(
				{ points: s.score, maxPoints: s.assignment.max_score },
				practised.get(s.assignment.activity_id) ?? [],
				s.skillPercents
			)
		].map(([skillId, percent]) => ({
			progress_event_id: s.eventId,
			skill_id: skillId,
			pod_id: s.assignment.pod_id,
			student_id: s.assignment.student_id,
			assignment_id: s.assignment.id,
			percent: Math.max(0, Math.min(100, percent)),
			source: s.source,
			occurred_at: s.occurredAt
		}))
	);
	for (let i = 0; i < rows.length; i += 500) {
		await trx
			.insertInto('skill_evidence')
			.values(rows.slice(i, i + 500))
			.onConflict((oc) => oc.columns(['progress_event_id', 'skill_id']).doNothing())
			.execute();
	}
}

/**
 * A student took back a "Done" (an `undo_submit`): the result of the submission it takes back is no
 * longer evidence. That is the student's latest own submission before it, within the minutes a Done
 * may be taken back, with no teacher's mark between (the same rule the playlist item follows).
 */
export async function withdrawTakenBackEvidence(
	trx: Transaction<Database>,
	assignmentId: string,
	undoAt: string
): Promise<void> {
	const latest = await trx
		.selectFrom('progress_events')
		.select(['id', 'recorded_by', 'occurred_at'])
		.where('assignment_id', '=', assignmentId)
		.where('kind', '=', 'submit')
		.where('occurred_at', '<=', undoAt)
		.orderBy('occurred_at', 'desc')
		.limit(1)
		.executeTakeFirst();
	if (!latest || latest.recorded_by !== null) return;
	if (Date.parse(undoAt) - Date.parse(latest.occurred_at) > UNDO_DONE_MINUTES * 60_000) return;
	await trx.deleteFrom('skill_evidence').where('progress_event_id', '=', latest.id).execute();
}

/** Every result of a pod's students (these students' only, when named), by student then skill: what mastery is computed from. */
/** An observation's mark as a result on each skill it names: a teacher's, so verified evidence. */
export const OBSERVATION_PERCENT: Record<ObservationMark, number> = { got_it: 100, partly: 50, not_yet: 0 };

export async function evidenceOfPod(
	db: Kysely<Database> | Transaction<Database>,
	podId: string,
	studentIds?: readonly string[]
): Promise<Map<string, Map<string, SkillEvidence[]>>> {
	if (studentIds?.length === 0) return new Map();
	const rows = await db
		.selectFrom('skill_evidence')
		.select(['student_id', 'skill_id', 'percent', 'source', 'occurred_at'])
		.where('pod_id', '=', podId)
		.$if(studentIds !== undefined, (q) => q.where('student_id', 'in', studentIds!))
		.execute();
	const [observed, skills] = await Promise.all([
		db
			.selectFrom('observations')
			.select(['student_id', 'mark', 'skill_ids', 'observed_at'])
			.where('pod_id', '=', podId)
			.where('mark', 'is not', null)
			.where('skill_ids', '!=', '[]')
			.$if(studentIds !== undefined, (q) => q.where('student_id', 'in', studentIds!))
			.execute(),
		db.selectFrom('skills').select('id').where('pod_id', '=', podId).execute()
	]);
	const byStudent = new Map<string, Map<string, SkillEvidence[]>>();
	const add = (studentId: string, skillId: string, result: SkillEvidence) => {
		let bySkill = byStudent.get(studentId);
		if (!bySkill) byStudent.set(studentId, (bySkill = new Map()));
		let list = bySkill.get(skillId);
		if (!list) bySkill.set(skillId, (list = []));
		list.push(result);
	};
	for (const row of rows)
		add(row.student_id, row.skill_id, { percent: row.percent, source: row.source, at: row.occurred_at });
	// What an adult saw on the floor, on each skill of the pod it names (one since deleted counts for nothing).
	const ofPod = new Set(skills.map((s) => s.id));
	for (const o of observed) {
		for (const skillId of JSON.parse(o.skill_ids) as string[]) {
			if (ofPod.has(skillId))
				add(o.student_id, skillId, {
					percent: OBSERVATION_PERCENT[o.mark!],
					source: 'teacher',
					at: o.observed_at
				});
		}
	}
	return byStudent;
}
