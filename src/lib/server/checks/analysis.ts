// Item analysis for the team: for each question of a check, how many got it right, the wrong
// answer given most, and who missed it, from each student's latest try. Read live by the page.
import type { Db } from '../db';
import { NotFound } from '../errors';
import { latestSeq } from '../live/log';
import { checkOf } from './checks';
import type { CheckItem } from './format';
import { normalText, type Answer } from './score';

export interface ItemReport {
	number: number;
	prompt: string;
	/** Whole percent of the students who tried it that got it right. */
	percentRight: number;
	/** The wrong answer given most, in words, and by how many; null when nobody missed it. */
	mostChosenWrong: { answer: string; students: number } | null;
	/** Who missed it, by name: the group a teacher may form. */
	missedBy: { id: string; name: string }[];
}

/** A wrong answer in words: the choices picked, or what was typed (as compared). */
function answerWords(item: CheckItem, answer: Answer | undefined): string {
	if (item.type === 'choice') {
		const picked = Array.isArray(answer) ? answer : [];
		return picked.length ? picked.map((at) => item.choices[at] ?? '?').join('; ') : '(no answer)';
	}
	const typed = typeof answer === 'string' ? normalText(answer) : '';
	return typed || '(no answer)';
}

export async function itemAnalysis(db: Db, podId: string, activityId: string) {
	const [check, activity, seq] = await Promise.all([
		checkOf(db, podId, activityId),
		db
			.selectFrom('activities')
			.select('title')
			.where('pod_id', '=', podId)
			.where('id', '=', activityId)
			.executeTakeFirst(),
		latestSeq(db, podId)
	]);
	if (!activity || !check) throw new NotFound('No activity of this pod with a check has that id.');
	const rows = await db
		.selectFrom('check_submissions')
		.innerJoin('assignments', 'assignments.id', 'check_submissions.assignment_id')
		.innerJoin('users', 'users.id', 'check_submissions.student_id')
		.select([
			'check_submissions.student_id',
			'check_submissions.answers',
			'check_submissions.results',
			'users.given_name',
			'users.family_name'
		])
		.where('check_submissions.pod_id', '=', podId)
		.where('assignments.activity_id', '=', activityId)
		.orderBy('check_submissions.received_at')
		.orderBy('check_submissions.id')
		.execute();
	// Each student's latest try: later rows overwrite earlier ones.
	const latest = new Map(rows.map((row) => [row.student_id, row]));
	const tries = [...latest.values()].map((row) => ({
		student: { id: row.student_id, name: `${row.given_name} ${row.family_name}` },
		answers: JSON.parse(row.answers) as Answer[],
		right: (JSON.parse(row.results) as { right: boolean }[]).map((item) => item.right)
	}));
	const items: ItemReport[] = check.items.map((item, i) => {
		const missed = tries.filter((t) => t.right[i] === false);
		const wrong = new Map<string, number>();
		for (const t of missed) {
			const words = answerWords(item, t.answers[i]);
			wrong.set(words, (wrong.get(words) ?? 0) + 1);
		}
		const [most] = [...wrong.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
		return {
			number: i + 1,
			prompt: item.prompt,
			percentRight: tries.length ? Math.round(((tries.length - missed.length) / tries.length) * 100) : 0,
			mostChosenWrong: most ? { answer: most[0], students: most[1] } : null,
			missedBy: missed.map((t) => t.student).sort((a, b) => a.name.localeCompare(b.name))
		};
	});
	return { title: activity.title, students: tries.length, items, seq };
}
