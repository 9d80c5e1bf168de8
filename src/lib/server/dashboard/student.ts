import type { Db } from '../db';
import { skillTrends } from '../mastery/report';
import { playlistFor } from '../playlists/queries';

/**
 * What the board's side panel shows for one student: playlist (with the questions they missed on
 * their latest try of each check), recent events, open flags, and each skill's mastery over time.
 */
export async function studentPanel(db: Db, podId: string, studentId: string) {
	const playlist = await playlistFor(db, podId, studentId);
	const [recentEvents, openFlags, submissions, skills] = await Promise.all([
		db
			.selectFrom('progress_events')
			.innerJoin('assignments', 'assignments.id', 'progress_events.assignment_id')
			.innerJoin('activities', 'activities.id', 'assignments.activity_id')
			.select([
				'progress_events.id',
				'progress_events.kind',
				'progress_events.score',
				'progress_events.score_source',
				'progress_events.occurred_at',
				'progress_events.recorded_by',
				'activities.title',
				'activities.max_score'
			])
			.where('progress_events.student_id', '=', studentId)
			.where('progress_events.pod_id', '=', podId)
			.orderBy('progress_events.occurred_at', 'desc')
			.limit(15)
			.execute(),
		db
			.selectFrom('flags')
			.select(['id', 'rule', 'reason', 'created_at'])
			.where('pod_id', '=', podId)
			.where('student_id', '=', studentId)
			.where('status', 'in', ['open', 'grouped'])
			.orderBy('created_at', 'desc')
			.execute(),
		db
			.selectFrom('check_submissions')
			.select(['assignment_id', 'results'])
			.where('pod_id', '=', podId)
			.where('student_id', '=', studentId)
			.orderBy('received_at')
			.execute(),
		skillTrends(db, podId, studentId)
	]);
	// Each check's latest try (they come oldest first): the questions not right, numbered from 1.
	const missed = new Map<string, number[]>();
	for (const submission of submissions) {
		const results = JSON.parse(submission.results) as { right: boolean }[];
		missed.set(
			submission.assignment_id,
			results.flatMap((result, i) => (result.right ? [] : [i + 1]))
		);
	}
	return {
		...playlist,
		items: playlist.items.map((item) => ({ ...item, missed: missed.get(item.id) ?? null })),
		skills,
		recentEvents: recentEvents.map((e) => ({
			id: e.id,
			kind: e.kind,
			/** Points out of `maxScore` (a percent when the activity has none). */
			score: e.score,
			maxScore: e.max_score,
			scoreSource: e.score_source,
			at: e.occurred_at,
			byTeacher: e.recorded_by !== null,
			title: e.title
		})),
		openFlags: openFlags.map((f) => ({ id: f.id, rule: f.rule, reason: f.reason, at: f.created_at }))
	};
}
