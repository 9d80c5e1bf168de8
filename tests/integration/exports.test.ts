import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MASTERY_PERCENT } from '../../src/lib/progress/derive';
import { PROGRESS_CSV_HEADER } from '../../src/lib/server/exports/progress';
import { SCORE_SOURCE_EXTENSION } from '../../src/lib/server/exports/xapi';
import { callerAs, createTestPod, type TestPod } from '../support/pod';
import { freshStudent } from '../support/students';

// Pod progress leaving Podboard: a CSV a spreadsheet opens, and xAPI statements a learning
// record store accepts; each export written to the audit log.

let pod: TestPod;
/** A student whose two quizzes end one passed, one failed. */
let quizzer: { id: string; name: string };
beforeAll(async () => {
	pod = await createTestPod();
	quizzer = await freshStudent(pod, { givenName: 'Quinn', familyName: 'Quizzer' });
	const items = await pod.db
		.selectFrom('assignments')
		.innerJoin('activities', 'activities.id', 'assignments.activity_id')
		.select(['assignments.id', 'activities.max_score'])
		.where('student_id', '=', quizzer.id)
		.orderBy('position')
		.execute();
	const at = (minute: number) => new Date(Date.now() - (60 - minute) * 60_000).toISOString();
	const events = items.flatMap((item, i) => [
		{ eventId: randomUUID(), assignmentId: item.id, kind: 'start' as const, occurredAt: at(i * 10) },
		{
			eventId: randomUUID(),
			assignmentId: item.id,
			kind: 'submit' as const,
			// The first at full marks, the second at none.
			score: i === 0 ? (item.max_score ?? 100) : 0,
			occurredAt: at(i * 10 + 5)
		}
	]);
	const student = await callerAs({ ...pod, users: { ...pod.users, student: quizzer.id } }, 'student');
	await student.progress.record({ events });
	// The teacher marks both: verified scores, which the pod believes.
	const teacher = await callerAs(pod, 'teacher');
	for (const [i, item] of items.entries())
		await teacher.progress.setScore({
			podId: pod.podId,
			assignmentId: item.id,
			score: i === 0 ? (item.max_score ?? 100) : 0
		});
});
afterAll(() => pod.db.destroy());

const exportAudits = () =>
	pod.db
		.selectFrom('audit_log')
		.selectAll()
		.where('action', '=', 'export')
		.where('entity', '=', 'pod_progress')
		.orderBy('at')
		.execute();

const podAssignments = () =>
	pod.db
		.selectFrom('assignments')
		.innerJoin('activities', 'activities.id', 'assignments.activity_id')
		.select([
			'assignments.id',
			'assignments.student_id',
			'assignments.status',
			'assignments.score',
			'activities.id as activity_id',
			'activities.title',
			'activities.kind',
			'activities.max_score'
		])
		.where('assignments.pod_id', '=', pod.podId)
		.execute();

describe('progress as CSV', () => {
	const parseCsv = (body: string): string[][] => parse(body, { bom: true, relax_column_count: false });

	it('starts with a UTF-8 byte-order mark and ends its lines CRLF', async () => {
		const file = await (await callerAs(pod, 'lead')).exports.progressCsv({ podId: pod.podId });
		expect(file.body.charCodeAt(0)).toBe(0xfeff);
		expect(file.body.endsWith('\r\n')).toBe(true);
		expect(file.body.replaceAll('\r\n', '').includes('\n')).toBe(false);
		expect(file.filename).toMatch(/^pod-north-progress-\d{4}-\d{2}-\d{2}\.csv$/);
		expect(file.contentType).toBe('text/csv; charset=utf-8');
	});

	it('has the columns and one row per student × playlist item', async () => {
		const file = await (await callerAs(pod, 'lead')).exports.progressCsv({ podId: pod.podId });
		const [header, ...rows] = parseCsv(file.body);
		expect(header).toEqual([...PROGRESS_CSV_HEADER]);
		const assignments = await podAssignments();
		expect(rows).toHaveLength(assignments.length);
		expect(file.count).toBe(assignments.length);
		const pairs = rows.map((row) => `${row[0]}|${row[4]}`);
		expect(new Set(pairs).size).toBe(rows.length);
		expect(new Set(pairs)).toEqual(new Set(assignments.map((a) => `${a.student_id}|${a.title}`)));
		const quizRows = rows.filter((row) => row[0] === quizzer.id);
		expect(quizRows.map((row) => [row[1], row[2], row[3], row[9]])).toEqual([
			['Quinn Quizzer', '5', 'Fresh', 'mastered'],
			['Quinn Quizzer', '5', 'Fresh', 'submitted']
		]);
		expect(quizRows.map((row) => row[10])).toEqual(['100', '0']);
	});

	it('quotes commas, quotes and line breaks, and turns would-be formulas into text', async () => {
		const tricky = await freshStudent(pod, {
			givenName: '=HYPERLINK("http://evil")',
			familyName: 'O"Neil, Jr.'
		});
		await pod.db
			.updateTable('pod_students')
			.set({ cohort: '+1 line\nbreak' })
			.where('user_id', '=', tricky.id)
			.execute();
		const activityId = randomUUID();
		await pod.db
			.insertInto('activities')
			.values({
				id: activityId,
				pod_id: pod.podId,
				title: '@SUM(1+1), "quoted"',
				subject: 'math',
				kind: 'practice',
				grade_low: 4,
				grade_high: 6,
				estimated_minutes: 10,
				resource_url: null,
				max_score: null,
				archived_at: null,
				created_at: new Date().toISOString()
			})
			.execute();
		await pod.db
			.insertInto('assignments')
			.values({
				id: randomUUID(),
				pod_id: pod.podId,
				student_id: tricky.id,
				activity_id: activityId,
				position: 9,
				priority: 'aspire',
				due_on: null,
				assigned_by: null,
				assigned_at: new Date().toISOString()
			})
			.execute();

		const file = await (await callerAs(pod, 'lead')).exports.progressCsv({ podId: pod.podId });
		const row = parseCsv(file.body).find((r) => r[0] === tricky.id && r[4].includes('SUM'))!;
		expect(row[1]).toBe(`'=HYPERLINK("http://evil") O"Neil, Jr.`);
		expect(row[3]).toBe(`'+1 line\nbreak`);
		expect(row[4]).toBe(`'@SUM(1+1), "quoted"`);
		// The raw text: RFC 4180 quoting, quotes doubled.
		expect(file.body).toContain(`"'=HYPERLINK(""http://evil"") O""Neil, Jr."`);
		// No cell of the whole file starts a formula.
		for (const cells of parseCsv(file.body)) {
			for (const cell of cells) expect(cell).not.toMatch(/^[=+\-@]/);
		}
	});
});

// xAPI 1.0.3, "Statement" (section 2.4), as far as Podboard's statements use it. Strict
// objects: a record store must reject a statement with a property the spec does not define.
const iri = z.url();
const languageMap = z.record(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/), z.string());
const isoDuration = z
	.string()
	.regex(/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/);
const xapiStatement = z.strictObject({
	id: z.uuid(),
	actor: z.strictObject({
		objectType: z.literal('Agent').optional(),
		name: z.string().min(1).optional(),
		// Exactly one inverse functional identifier; Podboard's is an account.
		account: z.strictObject({ homePage: iri, name: z.string().min(1) })
	}),
	verb: z.strictObject({ id: iri, display: languageMap.optional() }),
	object: z.strictObject({
		objectType: z.literal('Activity').optional(),
		id: iri,
		definition: z
			.strictObject({
				name: languageMap.optional(),
				description: languageMap.optional(),
				type: iri.optional()
			})
			.optional()
	}),
	result: z
		.strictObject({
			score: z
				.strictObject({
					scaled: z.number().min(-1).max(1).optional(),
					raw: z.number().optional(),
					min: z.number().optional(),
					max: z.number().optional()
				})
				.refine((s) => s.min === undefined || s.max === undefined || s.min < s.max, 'min < max')
				.refine(
					(s) => s.raw === undefined || ((s.min ?? -Infinity) <= s.raw && s.raw <= (s.max ?? Infinity)),
					'raw between min and max'
				)
				.optional(),
			success: z.boolean().optional(),
			completion: z.boolean().optional(),
			response: z.string().optional(),
			duration: isoDuration.optional(),
			// Section 2.4.5: a map whose keys are IRIs (Podboard's: where the score comes from).
			extensions: z.record(iri, z.json()).optional()
		})
		.optional(),
	context: z.strictObject({ platform: z.string().optional() }).optional(),
	timestamp: z.iso.datetime({ offset: true })
});

const VERB = (name: string) => `http://adlnet.gov/expapi/verbs/${name}`;

describe('progress as xAPI statements', () => {
	let statements: z.infer<typeof xapiStatement>[];
	beforeAll(async () => {
		const file = await (await callerAs(pod, 'lead')).exports.progressXapi({ podId: pod.podId });
		expect(file.contentType).toBe('application/json; charset=utf-8');
		statements = z.array(xapiStatement).parse(JSON.parse(file.body));
		expect(file.count).toBe(statements.length);
	});

	it('every statement has the structure of xAPI 1.0.3', () => {
		expect(statements.length).toBeGreaterThan(100);
		for (const statement of statements) {
			expect(statement.actor.account.homePage).toBe('http://localhost:3000');
			expect(statement.object.id).toMatch(/^http:\/\/localhost:3000\/activities\/[0-9a-f-]{36}$/);
			expect(Object.keys(statement.verb.display!)).toEqual(['en-US']);
		}
	});

	it('one statement per playlist item with work on it, with the verb its state calls for', async () => {
		const assignments = await podAssignments();
		const started = assignments.filter((a) => a.status !== 'not_started');
		expect(statements).toHaveLength(started.length);
		const byKey = new Map(
			statements.map((s) => [`${s.actor.account.name}|${s.object.id.split('/').at(-1)}`, s])
		);
		const seen = new Set<string>();
		for (const a of started) {
			const statement = byKey.get(`${a.student_id}|${a.activity_id}`)!;
			const scored = (a.max_score !== null || a.kind === 'assessment') && a.score !== null;
			const expected =
				a.status === 'in_progress' || a.status === 'stuck'
					? 'attempted'
					: a.status === 'mastered' && a.score !== null
						? 'passed'
						: a.status === 'submitted' && scored && a.score! < MASTERY_PERCENT
							? 'failed'
							: // At the bar but not mastered: a self-reported score the pod does not count.
								'completed';
			expect(statement.verb, `${a.status} ${a.kind} ${a.score}`).toEqual({
				id: VERB(expected),
				display: { 'en-US': expected }
			});
			seen.add(expected);
			expect(statement.result!.completion).toBe(expected !== 'attempted');
			if (expected === 'passed' || expected === 'failed') {
				expect(statement.result!.success).toBe(expected === 'passed');
			} else {
				expect(statement.result!.success).toBeUndefined();
			}
			if (a.score === null) {
				expect(statement.result!.score).toBeUndefined();
			} else {
				expect(statement.result!.score!.scaled).toBeCloseTo(a.score / 100);
			}
		}
		expect([...seen].sort()).toEqual(['attempted', 'completed', 'failed', 'passed']);
	});

	it("names the student, the activity and the quiz's points out of its maximum", async () => {
		const own = statements.filter((s) => s.actor.account.name === quizzer.id);
		expect(own.map((s) => s.verb.display!['en-US'])).toEqual(['passed', 'failed']);
		expect(own.every((s) => s.actor.name === 'Quinn Quizzer' && s.actor.objectType === 'Agent')).toBe(true);
		const [passed, failed] = own;
		expect(passed.result!.score!.scaled).toBe(1);
		expect(passed.result!.score!.raw).toBe(passed.result!.score!.max);
		expect(failed.result!.score).toMatchObject({ scaled: 0, raw: 0, min: 0 });
		// The teacher marked both: where the score comes from travels with it.
		for (const statement of own)
			expect(statement.result!.extensions).toEqual({ [SCORE_SOURCE_EXTENSION]: 'teacher' });
		expect(typeof passed.object.definition!.name!['en-US']).toBe('string');
	});

	it('statement ids are unique, and the same for the same state in a later export', async () => {
		expect(new Set(statements.map((s) => s.id)).size).toBe(statements.length);
		const again = await (await callerAs(pod, 'admin')).exports.progressXapi({ podId: pod.podId });
		const ids = new Set((JSON.parse(again.body) as { id: string }[]).map((s) => s.id));
		for (const statement of statements) expect(ids.has(statement.id)).toBe(true);
	});
});

describe('who may export, and the record of it', () => {
	it('every export is in the audit log: who, which format, when', async () => {
		const before = (await exportAudits()).length;
		const lead = await callerAs(pod, 'lead');
		const csv = await lead.exports.progressCsv({ podId: pod.podId });
		const xapi = await lead.exports.progressXapi({ podId: pod.podId });
		const entries = (await exportAudits()).slice(before);
		expect(entries).toHaveLength(2);
		expect(entries.map((e) => [e.actor_id, e.pod_id, e.entity_id])).toEqual([
			[pod.users.lead, pod.podId, pod.podId],
			[pod.users.lead, pod.podId, pod.podId]
		]);
		expect(entries.map((e) => JSON.parse(e.detail))).toEqual([
			{ format: 'csv', rows: csv.count },
			{ format: 'xapi', statements: xapi.count }
		]);
		for (const entry of entries) expect(Date.now() - Date.parse(entry.at)).toBeLessThan(60_000);
	});

	it.each(['teacher', 'student', 'otherPodTeacher'] as const)(
		'a %s is refused, and nothing is logged',
		async (role) => {
			const before = (await exportAudits()).length;
			const caller = await callerAs(pod, role);
			for (const call of [caller.exports.progressCsv, caller.exports.progressXapi]) {
				const error = await call({ podId: pod.podId }).catch((e: unknown) => e);
				expect(error).toBeInstanceOf(TRPCError);
				expect((error as TRPCError).code).toBe('FORBIDDEN');
			}
			expect(await exportAudits()).toHaveLength(before);
		}
	);
});
