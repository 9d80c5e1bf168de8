import type { Kysely, Transaction } from 'kysely';
import type { Database, Db } from '../db';
import { asOneServer } from '../db/locks';
import { isoNow, newId } from '../ids';
import { writeWithEvents, type RecordPodEvent } from '../live/log';
import { daysOffAround, daysOffBySchool, weekBefore } from '../calendar/calendar';
import { localParts, podTime, zonedInstant } from '../pods/clock';
import { GOOD_NEWS_RULES } from '../db/schema';
import { podContacts } from '../attendance/coverage';
import { countsAsEvidence } from '../../progress/score';
import type { FlagThresholds } from './thresholds';
import { absentOn } from '../attendance/absent';
import { whenNoRequestWaits } from '../requests-first';
import {
	AUTO_RULES,
	concernsFor,
	openKey,
	reconcile,
	type ActiveFlag,
	type AssignmentForRules,
	type AutoRule,
	type Reconciled,
	type StudentForRules
} from './rules';
import { sweepDayEnd } from './day-end';
import { readThresholds } from './thresholds';

const ACTIVE = ['open', 'grouped'] as const;

/**
 * Run the automatic flag rules for some of the pod's students (all of them when `studentIds`
 * is left out), in the caller's transaction: raise what is new, clear what has gone, and tell
 * the boards. Runs after every ingested batch, and from the sweep for students whose flags changed.
 */
export async function evaluateFlags(
	trx: Transaction<Database>,
	podId: string,
	record: RecordPodEvent,
	{ studentIds, now = new Date() }: { studentIds?: readonly string[]; now?: Date } = {}
): Promise<{ raised: number; cleared: number }> {
	const { raise, clear } = await planFlags(trx, podId, { studentIds, now });
	if (raise.length === 0 && clear.length === 0) return { raised: 0, cleared: 0 };

	const at = isoNow(now);
	if (raise.length) {
		await trx
			.insertInto('flags')
			.values(
				raise.map((r) => ({
					id: newId(),
					pod_id: podId,
					student_id: r.studentId,
					assignment_id: r.assignmentId,
					rule: r.rule,
					reason: r.reason,
					raised_by: null,
					open_key: openKey(r.studentId, r.rule, r.assignmentId),
					created_at: at
				}))
			)
			// Two evaluations at once (a batch and the sweep) raise it once.
			.onConflict((oc) => oc.column('open_key').doNothing())
			.execute();
	}
	for (const c of clear) {
		await trx
			.updateTable('flags')
			.set({
				status: 'resolved',
				open_key: null,
				resolved_at: at,
				resolved_by: null,
				resolution_note: c.note
			})
			.where('id', '=', c.flagId)
			.where('status', 'in', ACTIVE)
			.execute();
	}
	await flagsChanged(trx, podId, studentsChanged({ raise, clear }), record);
	return { raised: raise.length, cleared: clear.length };
}

/**
 * What the rules would raise and clear for these students now, without writing anything: the
 * sweep reads this outside a transaction, so requests run between its queries.
 */
async function planFlags(
	db: Db,
	podId: string,
	{ studentIds, now }: { studentIds?: readonly string[]; now: Date }
): Promise<Reconciled> {
	if (studentIds && studentIds.length === 0) return { raise: [], clear: [] };
	const [pod, daysOff] = await Promise.all([
		db
			.selectFrom('pods')
			.select(['timezone', 'school_week', 'flag_thresholds'])
			.where('id', '=', podId)
			.executeTakeFirstOrThrow(),
		daysOffAround(db, podId, now)
	]);
	const time = podTime(pod, now, daysOff);
	const thresholds = readThresholds(pod.flag_thresholds);

	const today = localParts(now, pod.timezone).date;
	const [roster, work, hands, inSession, active, resolved, absent] = await Promise.all([
		db
			.selectFrom('pod_students')
			.innerJoin('users', 'users.id', 'pod_students.user_id')
			.select('users.id')
			.where('pod_students.pod_id', '=', podId)
			.where('users.status', '=', 'active')
			.$if(studentIds !== undefined, (q) => q.where('users.id', 'in', studentIds!))
			.execute(),
		workForRules(db, podId, { studentIds }),
		db
			.selectFrom('help_requests')
			.select(['student_id', 'asked_at'])
			.where('pod_id', '=', podId)
			.where('open_key', 'is not', null)
			.where('claimed_by', 'is', null)
			.$if(studentIds !== undefined, (q) => q.where('student_id', 'in', studentIds!))
			.execute(),
		db
			.selectFrom('group_members')
			.innerJoin('intervention_groups', 'intervention_groups.id', 'group_members.group_id')
			.select('group_members.student_id')
			.where('intervention_groups.pod_id', '=', podId)
			.where('intervention_groups.status', '=', 'in_session')
			.execute(),
		db
			.selectFrom('flags')
			.select(['id', 'student_id', 'rule', 'assignment_id'])
			.where('pod_id', '=', podId)
			.where('status', 'in', ACTIVE)
			.where('rule', 'in', AUTO_RULES)
			.$if(studentIds !== undefined, (q) => q.where('student_id', 'in', studentIds!))
			.execute(),
		db
			.selectFrom('flags')
			.select(['student_id', 'rule', 'assignment_id', 'resolved_at'])
			.where('pod_id', '=', podId)
			.where('status', '=', 'resolved')
			.where('rule', 'in', AUTO_RULES)
			// Older resolutions cannot outrank a cause: every cause is at most a week old or stale.
			.where('resolved_at', '>=', isoNow(new Date(time.weekStart.getTime() - 7 * 86_400_000)))
			.$if(studentIds !== undefined, (q) => q.where('student_id', 'in', studentIds!))
			.execute(),
		absentOn(db, podId, today, studentIds)
	]);

	const team = await teamRulesInput(db, podId, {
		studentIds,
		thresholds,
		dayStart: zonedInstant(today, '00:00', pod.timezone).toISOString(),
		// This week's troubles: from Monday's midnight, as a low score's are.
		weekStart: isoNow(time.weekBegan),
		now
	});
	const handUp = new Map(hands.map((h) => [h.student_id, h.asked_at]));
	const grouped = new Set(inSession.map((m) => m.student_id));
	const students: StudentForRules[] = roster.map(({ id }) => ({
		id,
		assignments: (work.get(id) ?? []).map((a) => ({
			...a,
			troubles: team.troubles.get(a.id) ?? 0,
			handRaised: team.handRaised.has(a.id)
		})),
		handUpSince: handUp.get(id) ?? null,
		inGroupSession: grouped.has(id),
		absentToday: absent.has(id),
		lastContactToday: team.lastContact.get(id) ?? null,
		recentResults: team.results.get(id) ?? []
	}));
	const lastResolved = new Map<string, string>();
	for (const r of resolved) {
		const key = openKey(r.student_id, r.rule, r.assignment_id);
		if (r.resolved_at && r.resolved_at > (lastResolved.get(key) ?? '')) lastResolved.set(key, r.resolved_at);
	}
	const activeFlags: ActiveFlag[] = active.map((f) => ({
		id: f.id,
		studentId: f.student_id,
		rule: f.rule as AutoRule,
		assignmentId: f.assignment_id
	}));
	const concerns = new Map(students.map((s) => [s.id, concernsFor(s, thresholds, time)]));
	return reconcile(students, concerns, activeFlags, lastResolved, time);
}

/**
 * What the team's own rules read (each only when the lead has turned it on, so a pod without them
 * pays nothing): each student's latest adult contact today; this week's troubles on each playlist
 * item and whether a hand went up about it; each student's counted results of the last two weeks.
 */
async function teamRulesInput(
	db: Db,
	podId: string,
	input: {
		studentIds?: readonly string[];
		thresholds: FlagThresholds;
		dayStart: string;
		weekStart: string;
		now: Date;
	}
) {
	const { studentIds, thresholds } = input;
	const lastContact = new Map<string, string>();
	const troubles = new Map<string, number>();
	const handRaised = new Set<string>();
	const results = new Map<string, { title: string; percent: number; at: string }[]>();
	if (thresholds.noContactMinutes !== null) {
		for (const c of await podContacts(db, podId, { since: input.dayStart, studentIds })) {
			lastContact.set(c.studentId, c.at);
		}
	}
	const percentOf = (score: number, maxScore: number | null) => (maxScore ? (score * 100) / maxScore : score);
	if (thresholds.helpAvoidanceTimes !== null) {
		const [events, hands] = await Promise.all([
			db
				.selectFrom('progress_events as e')
				.innerJoin('assignments as a', 'a.id', 'e.assignment_id')
				.innerJoin('activities as t', 't.id', 'a.activity_id')
				.select([
					'e.assignment_id',
					'e.kind',
					'e.score',
					'e.score_source',
					't.kind as activity_kind',
					't.max_score'
				])
				.where('e.pod_id', '=', podId)
				.where('e.occurred_at', '>=', input.weekStart)
				.where('e.kind', 'in', ['stuck', 'submit'])
				.$if(studentIds !== undefined, (q) => q.where('e.student_id', 'in', studentIds!))
				.execute(),
			db
				.selectFrom('help_requests')
				.select('assignment_id')
				.where('pod_id', '=', podId)
				.where('assignment_id', 'is not', null)
				.where('asked_at', '>=', input.weekStart)
				.$if(studentIds !== undefined, (q) => q.where('student_id', 'in', studentIds!))
				.execute()
		]);
		for (const e of events) {
			const line = thresholds.lowScorePercent[e.activity_kind];
			const low =
				e.kind === 'submit' &&
				e.score !== null &&
				line !== undefined &&
				countsAsEvidence(e.score_source ?? 'self', thresholds.selfReportedScoresCount) &&
				percentOf(e.score, e.max_score) < line;
			if (e.kind === 'stuck' || low) troubles.set(e.assignment_id, (troubles.get(e.assignment_id) ?? 0) + 1);
		}
		for (const h of hands) handRaised.add(h.assignment_id!);
	}
	if (thresholds.streakResults !== null) {
		const rows = await db
			.selectFrom('progress_events as e')
			.innerJoin('assignments as a', 'a.id', 'e.assignment_id')
			.innerJoin('activities as t', 't.id', 'a.activity_id')
			.select(['e.student_id', 'e.score', 'e.score_source', 'e.occurred_at', 't.title', 't.max_score'])
			.where('e.pod_id', '=', podId)
			.where('e.kind', '=', 'submit')
			.where('e.score', 'is not', null)
			.where('e.occurred_at', '>=', isoNow(new Date(input.now.getTime() - 14 * 86_400_000)))
			.$if(studentIds !== undefined, (q) => q.where('e.student_id', 'in', studentIds!))
			.orderBy('e.occurred_at')
			.execute();
		for (const r of rows) {
			if (!countsAsEvidence(r.score_source ?? 'self', thresholds.selfReportedScoresCount)) continue;
			const list = results.get(r.student_id) ?? [];
			list.push({ title: r.title, percent: percentOf(r.score!, r.max_score), at: r.occurred_at });
			results.set(r.student_id, list);
		}
	}
	return { lastContact, troubles, handRaised, results };
}

const studentsChanged = ({ raise, clear }: Reconciled) => [
	...new Set([...raise, ...clear].map((change) => change.studentId))
];

/**
 * Each student's playlist as the rules read it, by student id; only must-dos with `mustOnly`
 * (what the pace rule needs).
 */
export async function workForRules(
	db: Db,
	podId: string,
	{ studentIds, mustOnly = false }: { studentIds?: readonly string[]; mustOnly?: boolean } = {}
): Promise<Map<string, AssignmentForRules[]>> {
	const rows = await db
		.selectFrom('assignments')
		.innerJoin('activities', 'activities.id', 'assignments.activity_id')
		.select([
			'assignments.id',
			'assignments.student_id',
			'activities.title',
			'activities.kind',
			'assignments.priority',
			'assignments.status',
			'assignments.score',
			'assignments.score_source',
			'assignments.last_event_at',
			'assignments.due_on'
		])
		.where('assignments.pod_id', '=', podId)
		.$if(studentIds !== undefined, (q) => q.where('assignments.student_id', 'in', studentIds!))
		.$if(mustOnly, (q) => q.where('assignments.priority', '=', 'must'))
		.execute();
	const work = new Map<string, AssignmentForRules[]>();
	for (const a of rows) {
		const list = work.get(a.student_id) ?? [];
		list.push({
			id: a.id,
			title: a.title,
			kind: a.kind,
			priority: a.priority,
			status: a.status,
			score: a.score,
			scoreSource: a.score_source,
			lastEventAt: a.last_event_at,
			dueOn: a.due_on
		});
		work.set(a.student_id, list);
	}
	return work;
}

/** Tell the boards whose flags changed, with each one's count of open flags now. */
export async function flagsChanged(
	db: Db,
	podId: string,
	studentIds: readonly string[],
	record: RecordPodEvent
) {
	await record(podId, 'flags.changed', {
		studentIds,
		openFlags: await openFlagCounts(db, podId, studentIds)
	});
}

/** How many flags each student has open (grouped ones included: still someone to see). */
export async function openFlagCounts(db: Db, podId: string, studentIds: readonly string[]) {
	const counts: Record<string, number> = Object.fromEntries(studentIds.map((id) => [id, 0]));
	if (studentIds.length === 0) return counts;
	const rows = await db
		.selectFrom('flags')
		.select(['student_id', (eb) => eb.fn.countAll<number>().as('open')])
		.where('pod_id', '=', podId)
		.where('status', 'in', ACTIVE)
		.where('rule', 'not in', GOOD_NEWS_RULES)
		.where('student_id', 'in', studentIds)
		.groupBy('student_id')
		.execute();
	for (const row of rows) counts[row.student_id] = Number(row.open);
	return counts;
}

/**
 * The sweep for the time-based rules (idle, in progress too long, a hand up too long, pace):
 * every pod in session, and every pod with automatic flags or hands still open, so they can
 * clear and the school day's end can close them. When
 * several app servers share a PostgreSQL database, one of them sweeps and the others skip.
 */
export async function sweepFlags(
	db: Kysely<Database>,
	now = new Date(),
	signal?: AbortSignal
): Promise<void> {
	await asOneServer(db, 'flag-sweep', () => sweepEveryPod(db, now, signal), { wait: false });
}

async function sweepEveryPod(db: Kysely<Database>, now: Date, signal?: AbortSignal): Promise<void> {
	const pods = await db
		.selectFrom('pods')
		.select(['id', 'school_id', 'timezone', 'school_week'])
		// An archived pod is read-only: its flags stay as they were left.
		.where('archived_at', 'is', null)
		.execute();
	// A pod on a day off is not in session: its sweep only clears what has gone.
	const daysOff = await daysOffBySchool(db, weekBefore(now));
	const [withFlags, withHands] = await Promise.all([
		db
			.selectFrom('flags')
			.select('pod_id')
			.distinct()
			.where('status', 'in', ACTIVE)
			.where('rule', 'in', AUTO_RULES)
			.execute(),
		db.selectFrom('help_requests').select('pod_id').distinct().where('open_key', 'is not', null).execute()
	]).then((found) => found.map((rows) => new Set(rows.map((row) => row.pod_id))));
	for (const pod of pods) {
		const podDaysOff = daysOff.get(pod.school_id) ?? [];
		if (!withFlags.has(pod.id) && !withHands.has(pod.id) && !podTime(pod, now, podDaysOff).inSession)
			continue;
		// First what the school day's end has closed (hands, the day's flags), then the rules.
		if (withFlags.has(pod.id) || withHands.has(pod.id)) await sweepDayEnd(db, pod, now, podDaysOff);
		await sweepPod(db, pod.id, now, signal);
		if (signal?.aborted) return;
	}
}

/** Students per step of the sweep: each step holds the server for a few milliseconds at most. */
const SWEEP_STEP = 8;

/**
 * One pod's sweep, a few students at a time. Each step reads outside any transaction (SQLite
 * answers synchronously, and a transaction would hold the one connection for the whole read);
 * only students whose flags change are evaluated again, in a short write transaction.
 */
export async function sweepPod(
	db: Kysely<Database>,
	podId: string,
	now = new Date(),
	signal?: AbortSignal
): Promise<void> {
	const roster = await db
		.selectFrom('pod_students')
		.select('user_id')
		.where('pod_id', '=', podId)
		.orderBy('user_id')
		.execute();
	for (let i = 0; i < roster.length; i += SWEEP_STEP) {
		const studentIds = roster.slice(i, i + SWEEP_STEP).map((s) => s.user_id);
		const changed = studentsChanged(await planFlags(db, podId, { studentIds, now }));
		if (changed.length)
			await writeWithEvents(db, (trx, record) =>
				evaluateFlags(trx, podId, record, { studentIds: changed, now })
			);
		await whenNoRequestWaits();
		// Stopping between steps leaves nothing half done: each step's write committed whole.
		if (signal?.aborted) return;
	}
}

/**
 * Sweep every minute until stopped. A failed sweep is logged; the next one tries again. The
 * stop function ends a sweep under way at its next step and resolves once it has, so the
 * server can then close the database under nothing.
 */
export function startFlagSweep(db: Kysely<Database>, everyMs = 60_000): () => Promise<void> {
	const stopping = new AbortController();
	let running: Promise<void> | null = null;
	const timer = setInterval(() => {
		if (running) return;
		running = sweepFlags(db, new Date(), stopping.signal)
			.catch((error) => console.error('Podboard: the flag sweep failed; it runs again in a minute', error))
			.finally(() => (running = null));
	}, everyMs);
	timer.unref();
	return async () => {
		clearInterval(timer);
		stopping.abort();
		await running;
	};
}
