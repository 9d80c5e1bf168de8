// Quick checks: the team puts one on an activity; a student takes it from their playlist and the
// server scores it, so the score is verified (`checked`), not typed. The key stays here.
import type { Transaction } from 'kysely';
import type { Database, Db } from '../db';
import { dialectOf } from '../db/sql';
import { Conflict, Invalid, NotAllowed, NotFound } from '../errors';
import { isoNow } from '../ids';
import type { RecordPodEvent } from '../live/log';
import { recordProgress } from '../progress/record';
import { checkEvidence } from '../../mastery/model';
import { checkInput, checkProblem, type Check } from './format';
import { questionsOf, scoreCheck, type Answer, type CheckResult, type Question } from './score';

/** The check on an activity of the pod, key and all (for its team), or null. */
export async function checkOf(db: Db, podId: string, activityId: string): Promise<Check | null> {
	const row = await db
		.selectFrom('activity_checks')
		.select('body')
		.where('pod_id', '=', podId)
		.where('activity_id', '=', activityId)
		.executeTakeFirst();
	return row ? readCheck(row.body) : null;
}

const readCheck = (body: string): Check => checkInput.parse(JSON.parse(body));

/**
 * Put a check on an activity of the pod (or take it off, with null). Its skill codes must be on the
 * pod's list; the activity's max score becomes the number of items (a point each), so a checked
 * score reads as a percent like any other.
 */
export async function setCheck(
	trx: Transaction<Database>,
	podId: string,
	activityId: string,
	input: unknown,
	userId: string
): Promise<Check | null> {
	const activity = await trx
		.selectFrom('activities')
		.select(['id', 'title'])
		.where('pod_id', '=', podId)
		.where('id', '=', activityId)
		.executeTakeFirst();
	if (!activity) throw new NotFound('No activity of this pod has that id.');
	if (input === null) {
		await trx.deleteFrom('activity_checks').where('activity_id', '=', activityId).execute();
		return null;
	}
	const parsed = checkInput.safeParse(input);
	if (!parsed.success) throw new Invalid(`This check cannot be used: ${checkProblem(parsed.error)}`);
	const check = parsed.data;
	const known = new Set(
		(await trx.selectFrom('skills').select('code').where('pod_id', '=', podId).execute()).map((s) => s.code)
	);
	for (const [i, item] of check.items.entries()) {
		const unknown = item.skills.find((code) => !known.has(code));
		if (unknown) throw new Invalid(`items[${i}].skills: ${unknown} is not on this pod's list of skills`);
	}
	const row = { pod_id: podId, body: JSON.stringify(check), updated_by: userId, updated_at: isoNow() };
	await trx
		.insertInto('activity_checks')
		.values({ activity_id: activityId, ...row })
		.onConflict((oc) => oc.column('activity_id').doUpdateSet(row))
		.execute();
	await trx
		.updateTable('activities')
		.set({ max_score: check.items.length })
		.where('id', '=', activityId)
		.execute();
	return check;
}

/** The student's own playlist item with its check: refused when it is not theirs or has none. */
async function studentsCheck(db: Db, student: { id: string; podId: string }, assignmentId: string) {
	const row = await db
		.selectFrom('assignments')
		.innerJoin('activities', 'activities.id', 'assignments.activity_id')
		.leftJoin('activity_checks', 'activity_checks.activity_id', 'activities.id')
		.select(['assignments.id', 'activities.title', 'activity_checks.body'])
		.where('assignments.id', '=', assignmentId)
		.where('assignments.student_id', '=', student.id)
		.where('assignments.pod_id', '=', student.podId)
		.executeTakeFirst();
	if (!row) throw new NotAllowed('You can only take checks on your own playlist.');
	if (row.body === null) throw new NotFound(`${row.title} has no check to take.`);
	return { title: row.title, check: readCheck(row.body) };
}

async function submissionsOf(db: Db, assignmentId: string) {
	return db
		.selectFrom('check_submissions')
		.select(['id', 'answers', 'results', 'points', 'max_points'])
		.where('assignment_id', '=', assignmentId)
		.orderBy('received_at')
		.orderBy('id')
		.execute();
}

export interface StudentCheckResult {
	points: number;
	maxPoints: number;
	/** Right or not per item, with the right answer where the team lets students see it. */
	items: CheckResult['items'];
}

const resultOf = (row: { results: string; points: number; max_points: number }): StudentCheckResult => ({
	points: row.points,
	maxPoints: row.max_points,
	items: JSON.parse(row.results)
});

/** The check as the student takes it: questions without the key, their tries, their last result. */
export async function checkToTake(
	db: Db,
	student: { id: string; podId: string },
	assignmentId: string
): Promise<{
	title: string;
	questions: Question[];
	attemptsAllowed: number;
	attemptsUsed: number;
	last: StudentCheckResult | null;
}> {
	const { title, check } = await studentsCheck(db, student, assignmentId);
	const submissions = await submissionsOf(db, assignmentId);
	const last = submissions.at(-1);
	return {
		title,
		questions: questionsOf(check),
		attemptsAllowed: check.attemptsAllowed,
		attemptsUsed: submissions.length,
		last: last ? resultOf(last) : null
	};
}

/**
 * Score a student's answers and store them, with a `submit` progress event of the same id whose
 * score is `checked`. The same submission sent again is answered the same and counted once; an
 * id used for other answers, or a try past those allowed, is refused and changes nothing.
 */
export async function submitCheck(
	trx: Transaction<Database>,
	student: { id: string; podId: string },
	submission: { submissionId: string; assignmentId: string; answers: Answer[]; occurredAt: string },
	recordPodEvent: RecordPodEvent
): Promise<StudentCheckResult> {
	// On PostgreSQL the pod's row first, as every progress write takes it (progress/record.ts),
	// then the playlist item: two tries at once take turns, so the count of tries holds.
	if (dialectOf(trx) === 'postgres') {
		await trx.selectFrom('pods').select('id').where('id', '=', student.podId).forNoKeyUpdate().execute();
		await trx
			.selectFrom('assignments')
			.select('id')
			.where('id', '=', submission.assignmentId)
			.forUpdate()
			.execute();
	}
	const { check } = await studentsCheck(trx, student, submission.assignmentId);
	const answers = JSON.stringify(submission.answers);
	const earlier = await trx
		.selectFrom('check_submissions')
		.select(['assignment_id', 'student_id', 'answers', 'results', 'points', 'max_points'])
		.where('id', '=', submission.submissionId)
		.executeTakeFirst();
	if (earlier) {
		const same =
			earlier.assignment_id === submission.assignmentId &&
			earlier.student_id === student.id &&
			earlier.answers === answers;
		if (!same) throw new Conflict('That submission id was used for other answers: send these with a new id.');
		return resultOf(earlier);
	}
	if (submission.answers.length !== check.items.length) {
		throw new Invalid(
			`Answer each of the ${check.items.length} questions (send an empty answer to skip one).`
		);
	}
	const tries = (await submissionsOf(trx, submission.assignmentId)).length;
	if (tries >= check.attemptsAllowed) {
		throw new Conflict(
			`You have used ${check.attemptsAllowed === 1 ? 'your try' : `all ${check.attemptsAllowed} tries`} at this check.`
		);
	}
	const result = scoreCheck(check, submission.answers);
	// Each item's skills, by the codes the team tagged it with: the check's evidence per skill.
	const skillIds = new Map(
		(await trx.selectFrom('skills').select(['id', 'code']).where('pod_id', '=', student.podId).execute()).map(
			(s) => [s.code, s.id]
		)
	);
	const skillPercents = checkEvidence(
		check.items.map((item, i) => ({
			skills: item.skills.flatMap((code) => skillIds.get(code) ?? []),
			right: result.items[i].right
		}))
	);
	// The event first: its checks (the time, the id) refuse what they must before anything is stored.
	const { acknowledged } = await recordProgress(
		trx,
		{ kind: 'student', studentId: student.id, podId: student.podId },
		[
			{
				eventId: submission.submissionId,
				assignmentId: submission.assignmentId,
				kind: 'submit',
				score: result.points,
				scoreSource: 'checked',
				skillPercents,
				occurredAt: submission.occurredAt
			}
		],
		recordPodEvent
	);
	const stored = await trx
		.selectFrom('progress_events')
		.select('occurred_at')
		.where('id', '=', acknowledged[0])
		.executeTakeFirstOrThrow();
	await trx
		.insertInto('check_submissions')
		.values({
			id: submission.submissionId,
			pod_id: student.podId,
			assignment_id: submission.assignmentId,
			student_id: student.id,
			answers,
			results: JSON.stringify(result.items),
			points: result.points,
			max_points: result.maxPoints,
			occurred_at: stored.occurred_at,
			received_at: isoNow()
		})
		.execute();
	return { points: result.points, maxPoints: result.maxPoints, items: result.items };
}
