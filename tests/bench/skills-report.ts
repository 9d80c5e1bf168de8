// The Skills report's figures: mastery evidence written into a district database, then the report
// read through the whole HTTP stack; and a 20-item quick check answered through it.
import { randomUUID } from 'node:crypto';
import SQLite from 'better-sqlite3';
import { createDb } from '../../src/lib/server/db';
import { keepMastery } from '../../src/lib/server/mastery/mastery';
import { percentile, type BenchServer } from './server';

export const SKILLS_REPORT = { skills: 40, resultsEach: 3 };

/**
 * Evidence as a term of checks leaves it: the first pod `SKILLS_REPORT.skills` skills with
 * `resultsEach` results per student on each; every other pod one result per student on each of its
 * skills, so the report must find its pod's rows among many. Written straight into SQLite.
 */
export function writeEvidence(path: string, podIds: readonly string[]): number {
	const db = new SQLite(path);
	db.pragma('journal_mode = WAL');
	const insertSkill = db.prepare(
		`insert into skills (id, pod_id, code, name, subject, grade) values (?, ?, ?, ?, 'math', 5)`
	);
	const insertEvent = db.prepare(
		`insert into progress_events (id, pod_id, assignment_id, student_id, kind, score, score_source, occurred_at, received_at, recorded_by)
		 values (?, ?, ?, ?, 'submit', ?, 'checked', ?, ?, null)`
	);
	const insertEvidence = db.prepare(
		`insert into skill_evidence (progress_event_id, skill_id, pod_id, student_id, assignment_id, percent, source, occurred_at)
		 values (?, ?, ?, ?, ?, ?, 'checked', ?)`
	);
	let rows = 0;
	let seed = 11;
	const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
	const write = db.transaction((podId: string, first: boolean) => {
		const skills = (db.prepare('select id from skills where pod_id = ?').all(podId) as { id: string }[]).map(
			(s) => s.id
		);
		if (first)
			for (let s = skills.length; s < SKILLS_REPORT.skills; s++) {
				const id = randomUUID();
				insertSkill.run(id, podId, `BENCH.${s}`, `Bench skill ${s}`);
				skills.push(id);
			}
		const work = db
			.prepare(
				`select student_id, min(id) as assignment_id from assignments where pod_id = ? group by student_id`
			)
			.all(podId) as { student_id: string; assignment_id: string }[];
		const results = first ? SKILLS_REPORT.resultsEach : 1;
		for (const { student_id, assignment_id } of work) {
			for (let r = 0; r < results; r++) {
				const eventId = randomUUID();
				// One result a day, over the last fortnight: some last week, some this week.
				const at = new Date(Date.now() - (r * 4 + 1) * 86_400_000).toISOString();
				insertEvent.run(eventId, podId, assignment_id, student_id, 5, at, at);
				for (const skill of skills) {
					insertEvidence.run(
						eventId,
						skill,
						podId,
						student_id,
						assignment_id,
						Math.round(random() * 100),
						at
					);
					rows += 1;
				}
			}
		}
	});
	try {
		podIds.forEach((podId, i) => write(podId, i === 0));
	} finally {
		db.close();
	}
	return rows;
}

/** Each pod's kept mastery from the evidence written, as recording it would have kept it. */
export async function keepDistrictMastery(databaseUrl: string, podIds: readonly string[]) {
	const db = createDb(databaseUrl);
	try {
		for (const podId of podIds) {
			await db.transaction().execute(async (trx) => {
				const pod = await trx
					.selectFrom('pods')
					.select(['id', 'flag_thresholds', 'timezone'])
					.where('id', '=', podId)
					.executeTakeFirstOrThrow();
				await keepMastery(trx, pod);
			});
		}
	} finally {
		await db.destroy();
	}
}

/** mastery.report for one pod over HTTP: `requests` timed after 20 that warm up. */
export async function measureSkillsReport(
	server: BenchServer,
	cookie: string,
	podId: string,
	requests: number
) {
	const times: number[] = [];
	let cells = 0;
	for (let i = 0; i < requests + 20; i++) {
		const start = performance.now();
		const report = await server.query<{ students: unknown[]; skills: unknown[] }>(
			'mastery.report',
			{ podId },
			cookie
		);
		if (i >= 20) times.push(performance.now() - start);
		cells = report.students.length * report.skills.length;
	}
	return { p50: percentile(times, 50), p95: percentile(times, 95), cells, requests };
}

/** A 20-item check, every item multiple choice with the first choice right. */
const TWENTY_ITEMS = {
	format: 'podboard-check',
	version: 1,
	attemptsAllowed: 10,
	showAnswers: false,
	items: Array.from({ length: 20 }, (_, i) => ({
		type: 'choice',
		prompt: `Question ${i + 1}`,
		choices: ['right', 'wrong', 'also wrong'],
		correct: [0],
		skills: []
	}))
};

/**
 * checks.submit of a 20-item check through the whole stack (scored, stored, its evidence and the
 * progress event, the flags, the live event): the lead puts the check on each student's playlist
 * items, then the students answer, up to the tries allowed on each.
 */
export async function measureCheckSubmissions(
	server: BenchServer,
	leadCookie: string,
	podId: string,
	students: { cookie: string }[],
	submissions: number
) {
	const work: { cookie: string; assignmentId: string }[] = [];
	const checked = new Set<string>();
	for (const { cookie } of students) {
		const playlist = await server.query<{ items: { id: string; activityId: string }[] }>(
			'playlists.mine',
			undefined,
			cookie
		);
		for (const item of playlist.items) {
			if (!checked.has(item.activityId)) {
				await server.post(
					'checks.set',
					{ podId, activityId: item.activityId, check: JSON.stringify(TWENTY_ITEMS) },
					leadCookie
				);
				checked.add(item.activityId);
			}
			work.push({ cookie, assignmentId: item.id });
		}
	}
	const times: number[] = [];
	for (let i = 0; i < submissions; i++) {
		const { cookie, assignmentId } = work[i % work.length];
		const answers = Array.from({ length: 20 }, (_, k) => [(k + i) % 3 === 0 ? 1 : 0]);
		const start = performance.now();
		await server.post(
			'checks.submit',
			{ submissionId: randomUUID(), assignmentId, answers, occurredAt: new Date().toISOString() },
			cookie
		);
		times.push(performance.now() - start);
	}
	return { p50: percentile(times, 50), p95: percentile(times, 95), submissions };
}
