// A quick check the tests share, and a playlist item that carries it, made in the database.
import type { Check } from '../../src/lib/server/checks/format';
import { freshAssignment } from './playlists';
import type { TestPod } from './pod';

/** Five questions; the key's words are unusual on purpose, so a search for them finds only a leak. */
export const FIVE_QUESTIONS: Check = {
	format: 'podboard-check',
	version: 1,
	attemptsAllowed: 2,
	showAnswers: true,
	items: [
		{
			type: 'choice',
			prompt: 'Which is equal to 1/2?',
			choices: ['2/4', '2/3', '3/5'],
			correct: [0],
			skills: []
		},
		{
			type: 'choice',
			prompt: 'Which are even?',
			choices: ['3', '4', '7', '10'],
			correct: [1, 3],
			skills: []
		},
		{ type: 'numeric', prompt: 'What is 0.25 + 0.5?', answer: 0.75, tolerance: 0.001, skills: [] },
		{ type: 'numeric', prompt: 'What is 7 × 6?', answer: 42, tolerance: 0, skills: [] },
		{ type: 'text', prompt: 'The bottom of a fraction is its…', accepted: ['Denominatorqx'], skills: [] }
	]
};
/** The right answers to FIVE_QUESTIONS, as a student sends them. */
export const RIGHT_ANSWERS = [[0], [1, 3], '0.75', '42', 'denominatorqx'];

/** A playlist item of the student's on a new assessment that carries `check` (the five questions unless told). */
export async function checkedAssignment(pod: TestPod, studentId: string, check: Check = FIVE_QUESTIONS) {
	const item = await freshAssignment(pod, studentId, { kind: 'assessment', priority: 'must' });
	await pod.db
		.insertInto('activity_checks')
		.values({
			activity_id: item.activityId,
			pod_id: pod.podId,
			body: JSON.stringify(check),
			updated_by: null,
			updated_at: new Date().toISOString()
		})
		.execute();
	await pod.db
		.updateTable('activities')
		.set({ max_score: check.items.length })
		.where('id', '=', item.activityId)
		.execute();
	return item;
}
