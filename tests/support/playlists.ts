// Library activities and playlist items made directly in the database, for tests that need a fresh
// one to act on (so parallel calls and repeated runs never share it).
import { randomUUID } from 'node:crypto';
import type { ActivityKind, Priority } from '../../src/lib/domain';
import type { TestPod } from './pod';

export interface FreshActivity {
	id: string;
	title: string;
	/** 10 for an assessment, none otherwise. */
	maxScore: number | null;
}

/** A new activity in the pod's library for grades 4–6: practice unless told, with a skill if given. */
export async function freshActivity(
	pod: TestPod,
	{ kind = 'practice', skillId }: { kind?: ActivityKind; skillId?: string } = {}
): Promise<FreshActivity> {
	const id = randomUUID();
	const activity = {
		id,
		title: `Test ${kind} ${id.slice(0, 8)}`,
		maxScore: kind === 'assessment' ? 10 : null
	};
	await pod.db
		.insertInto('activities')
		.values({
			id,
			pod_id: pod.podId,
			title: activity.title,
			subject: 'math',
			kind,
			grade_low: 4,
			grade_high: 6,
			estimated_minutes: 15,
			max_score: activity.maxScore,
			created_at: new Date().toISOString()
		})
		.execute();
	if (skillId)
		await pod.db.insertInto('activity_skills').values({ activity_id: id, skill_id: skillId }).execute();
	return activity;
}

/**
 * A not-started item at the end of the student's playlist, on the activity given or a new one of
 * `kind`; `should` unless told.
 */
export async function freshAssignment(
	pod: TestPod,
	studentId: string,
	{
		activity,
		kind,
		priority = 'should'
	}: {
		/** An activity already in the library; its max score is not read back. */
		activity?: { id: string; title: string };
		kind?: ActivityKind;
		priority?: Priority;
	} = {}
): Promise<{ id: string; activityId: string; title: string; maxScore: number | null }> {
	const {
		id: activityId,
		title,
		maxScore
	} = activity ? { ...activity, maxScore: null } : await freshActivity(pod, { kind });
	const id = randomUUID();
	await pod.db
		.insertInto('assignments')
		.values({
			id,
			pod_id: pod.podId,
			student_id: studentId,
			activity_id: activityId,
			position: 99,
			priority,
			assigned_at: new Date().toISOString()
		})
		.execute();
	return { id, activityId, title, maxScore };
}
