// The automatic flags, as pure functions of a student's situation and the pod's clock, so
// every rule is tested without a server. A rule says *why* in words a teacher trusts, and a
// flag whose cause is gone clears itself and says so.
import { isDone } from '../../progress/derive';
import { countsAsEvidence, scoreText, scoreWithSource } from '../../progress/score';
import type { ActivityKind, AssignmentStatus, FlagRule, Priority, ScoreSource } from '../db/schema';
import type { PodTime } from '../pods/clock';
import type { FlagThresholds } from './thresholds';

export type AutoRule = Exclude<FlagRule, 'manual'>;
export const AUTO_RULES: readonly AutoRule[] = [
	'stuck',
	'idle',
	'low_score',
	'behind_pace',
	'hand_up',
	'no_contact',
	'help_avoidance',
	'on_streak'
];

export interface AssignmentForRules {
	id: string;
	title: string;
	kind: ActivityKind;
	priority: Priority;
	status: AssignmentStatus;
	/** Percent. */
	score: number | null;
	/**
	 * Where the score comes from: a self-reported one counts only where the pod says so. Absent
	 * (or null) with a score: read as the student's own.
	 */
	scoreSource?: ScoreSource | null;
	lastEventAt: string | null;
	/** The pod-local date it is due, 'YYYY-MM-DD'; none: it keeps the week's pace. */
	dueOn?: string | null;
	/** This week: times stuck on it or scoring low on it (help avoidance). */
	troubles?: number;
	/** This week: a hand went up about it. */
	handRaised?: boolean;
}

export interface StudentForRules {
	id: string;
	assignments: readonly AssignmentForRules[];
	/** When the hand still up (nobody has taken it) went up. */
	handUpSince: string | null;
	/** With a teacher in an intervention group that is in session right now. */
	inGroupSession: boolean;
	/** Marked absent today: nobody expects work from them, so no idle, stuck-by-time or pace flag. */
	absentToday?: boolean;
	/** The latest contact with an adult today (a hand answered, a group, an observation); null: none. */
	lastContactToday?: string | null;
	/** The student's latest counted results, oldest first: a streak is read from their end. */
	recentResults?: readonly { title: string; percent: number; at: string }[];
}

export interface Concern {
	rule: AutoRule;
	assignmentId: string | null;
	reason: string;
	/** When the cause began: a flag resolved after this is not raised again for the same cause. */
	since: string;
	/** A cause that may raise a new flag; one that is not fresh only keeps an open flag open. */
	fresh: boolean;
}

const minutesBetween = (from: string | Date, to: Date) =>
	Math.floor((to.getTime() - new Date(from).getTime()) / 60_000);

/** Kinds of work done with a teacher or off the device: no events for a while is expected. */
const AWAY_FROM_DEVICE: ReadonlySet<ActivityKind> = new Set(['small_group', 'offline']);

/** Everything about this student that should be flagged right now. */
export function concernsFor(student: StudentForRules, thresholds: FlagThresholds, time: PodTime): Concern[] {
	const concerns: Concern[] = [];
	const today = time.sessionStart?.toISOString() ?? null;

	const lastActive = latest(student.assignments.map((a) => a.lastEventAt));
	// What the student is on now: the work their latest event was about.
	const current = student.assignments.find((a) => lastActive !== null && a.lastEventAt === lastActive);
	const onDevice = current !== undefined && !AWAY_FROM_DEVICE.has(current.kind);

	for (const a of student.assignments) {
		if (a.status === 'stuck' && a.lastEventAt) {
			concerns.push({
				rule: 'stuck',
				assignmentId: a.id,
				reason: `Tapped “I’m stuck” on ${a.title} at ${time.clock(a.lastEventAt)}`,
				since: a.lastEventAt,
				fresh: true
			});
		}
		const line = thresholds.lowScorePercent[a.kind];
		if (line !== undefined && isDone(a.status) && a.score !== null && a.lastEventAt) {
			const counts = countsAsEvidence(a.scoreSource ?? 'self', thresholds.selfReportedScoresCount);
			if (!counts) {
				// A score the pod does not believe neither raises a low-score flag nor clears one a
				// verified score raised: it keeps an open one open.
				concerns.push({
					rule: 'low_score',
					assignmentId: a.id,
					reason: `Scored ${scoreWithSource({ percent: a.score }, 'self')} on ${a.title}, which this pod does not count`,
					since: a.lastEventAt,
					fresh: false
				});
			} else if (a.score < line) {
				concerns.push({
					rule: 'low_score',
					assignmentId: a.id,
					reason: `Scored ${scoreText({ percent: a.score })} on ${a.title} (under ${line}%${a.scoreSource === 'self' || !a.scoreSource ? ', self-reported' : ''})`,
					since: a.lastEventAt,
					// Last week's scores stay flagged until resolved, but do not raise new flags. (This week
					// begins at Monday's midnight, not its bell: a score sent at 07:00 Monday is this week's.)
					fresh: a.lastEventAt >= time.weekBegan.toISOString()
				});
			}
		}
	}

	// The time-based rules: only in session, only for a student at work today, and never for
	// one who is with a teacher in a group or waiting with a hand up.
	const watched =
		current !== undefined &&
		lastActive !== null &&
		time.inSession &&
		today !== null &&
		lastActive >= today &&
		!student.inGroupSession &&
		!student.absentToday &&
		student.handUpSince === null;
	if (watched) {
		const quiet = minutesBetween(lastActive, time.now);
		if (current.status === 'in_progress') {
			// On an activity with nothing since: stuck, once it has been long enough. Work with a
			// teacher or off the device sends nothing for a while on purpose.
			if (onDevice && quiet >= thresholds.stuckMinutes) {
				concerns.push({
					rule: 'stuck',
					assignmentId: current.id,
					reason: `In progress on ${current.title}, nothing since ${time.clock(lastActive)}`,
					since: lastActive,
					fresh: true
				});
			}
		} else if (current.status !== 'stuck' && quiet >= thresholds.idleMinutes) {
			// Between activities (the last one finished) with nothing since: idle.
			concerns.push({
				rule: 'idle',
				assignmentId: null,
				reason: `Nothing on their playlist since ${time.clock(lastActive)}`,
				since: lastActive,
				fresh: true
			});
		}
	}

	// A day without school (a weekend, a holiday) raises no pace or hand-up flag: nobody is in the
	// room to see it. One already open stays open until a school day says otherwise.
	// Pace follows due dates (dueShare): due before today counts 1, due later this week a pro-rated share, undated the week's.
	const pace = mustDoPace(student.assignments, time);
	if (pace.expected >= 1 && pace.done < pace.expected * thresholds.behindPaceRatio) {
		concerns.push({
			rule: 'behind_pace',
			assignmentId: null,
			reason: paceReason(pace, time),
			since: time.weekStart.toISOString(),
			// Absent today: an open pace flag stays open, but none is raised.
			fresh: time.schoolToday && !student.absentToday
		});
	}

	if (student.handUpSince && minutesBetween(student.handUpSince, time.now) >= thresholds.handUpMinutes) {
		concerns.push({
			rule: 'hand_up',
			assignmentId: null,
			reason: `Hand up since ${time.clock(student.handUpSince)} and nobody has come yet`,
			since: student.handUpSince,
			fresh: time.schoolToday
		});
	}

	// No adult all day: only in session, only for a student who is in.
	if (thresholds.noContactMinutes !== null && time.inSession && time.sessionStart && !student.absentToday) {
		const since = student.lastContactToday ?? time.sessionStart.toISOString();
		const quiet = minutesBetween(since, time.now);
		if (quiet >= thresholds.noContactMinutes) {
			concerns.push({
				rule: 'no_contact',
				assignmentId: null,
				reason: student.lastContactToday
					? `No adult since ${time.clock(since)} (${quiet} min)`
					: `No adult contact today since school began at ${time.clock(since)} (${quiet} min)`,
				since,
				fresh: true
			});
		}
	}

	// Trouble on one activity, again and again, and never a hand up about it.
	if (thresholds.helpAvoidanceTimes !== null) {
		for (const a of student.assignments) {
			if ((a.troubles ?? 0) >= thresholds.helpAvoidanceTimes && !a.handRaised) {
				concerns.push({
					rule: 'help_avoidance',
					assignmentId: a.id,
					reason: `Stuck or scoring low ${a.troubles} times on ${a.title} this week, and no hand raised for it`,
					since: time.weekStart.toISOString(),
					fresh: true
				});
			}
		}
	}

	// Good news: the latest results, all at proficient or better.
	const streak = thresholds.streakResults;
	const results = student.recentResults ?? [];
	if (streak !== null && results.length >= streak) {
		const run = results.slice(-streak);
		if (run.every((r) => r.percent >= thresholds.masteryLevels.proficient)) {
			const latest = run[run.length - 1];
			concerns.push({
				rule: 'on_streak',
				assignmentId: null,
				reason: `${streak} verified results in a row at ${thresholds.masteryLevels.proficient}% or better, the latest ${scoreText({ percent: latest.percent })} on ${latest.title}`,
				since: run[0].at,
				fresh: true
			});
		}
	}
	return concerns;
}

export type PaceClock = Pick<PodTime, 'weekStart' | 'weekElapsed' | 'date' | 'weekEnd' | 'weekShareBy'>;

export interface MustDoPace {
	/** This week's must-dos, and how many of them are done. */
	total: number;
	done: number;
	/** How many must-dos the due dates call for by now (see `dueShare`). */
	expected: number;
	/** Of this week's must-dos, those due today or earlier, and the ones of them not done. */
	dueByToday: number;
	late: AssignmentForRules[];
	/** The must-dos not done, soonest due first (no due date last). */
	notDone: AssignmentForRules[];
}

/**
 * This week's must-dos: those open when the week began or added since. How many are done, and
 * how many their due dates call for by now.
 */
export function mustDoPace(assignments: readonly AssignmentForRules[], time: PaceClock): MustDoPace {
	const weekStart = time.weekStart.toISOString();
	const thisWeek = assignments.filter(
		(a) => a.priority === 'must' && !(isDone(a.status) && (a.lastEventAt ?? '') < weekStart)
	);
	const notDone = thisWeek.filter((a) => !isDone(a.status)).sort(bySoonestDue);
	const dueByToday = thisWeek.filter((a) => a.dueOn && a.dueOn <= time.date);
	return {
		total: thisWeek.length,
		done: thisWeek.length - notDone.length,
		expected: thisWeek.reduce((sum, a) => sum + dueShare(a.dueOn ?? null, time), 0),
		dueByToday: dueByToday.length,
		late: notDone.filter((a) => a.dueOn && a.dueOn <= time.date),
		notDone
	};
}

/**
 * How much of one must-do is due by now, 0 … 1. The rule: due before today counts fully; due
 * later this week (today included) counts the week's school time gone by over the school time up
 * to the end of its due day; due after this week counts nothing yet; no due date keeps the
 * week's share.
 */
export function dueShare(dueOn: string | null, time: PaceClock): number {
	if (!dueOn) return time.weekElapsed;
	if (dueOn < time.date) return 1;
	if (dueOn > time.weekEnd) return 0;
	const by = time.weekShareBy(dueOn);
	return by > 0 ? Math.min(1, time.weekElapsed / by) : 1;
}

const bySoonestDue = (a: AssignmentForRules, b: AssignmentForRules) =>
	(a.dueOn ?? '9999').localeCompare(b.dueOn ?? '9999') || a.title.localeCompare(b.title);

/** Titles named in a pace reason; the rest are counted. */
const NAMED = 3;

/** The behind-pace reason: which must-dos are due and not done, or how far behind the week is. */
function paceReason(pace: MustDoPace, time: PaceClock & Pick<PodTime, 'dayName'>): string {
	const named = (items: readonly AssignmentForRules[]) => {
		const titles = items
			.slice(0, NAMED)
			.map((a) => (a.dueOn ? `${a.title} (${dueWords(a.dueOn, time)})` : a.title));
		return items.length > NAMED ? `${titles.join(', ')} and ${items.length - NAMED} more` : titles.join(', ');
	};
	if (pace.late.length)
		return `${pace.late.length} of ${mustDos(pace.dueByToday)} due by today not done: ${named(pace.late)}`;
	return `${pace.done} of ${mustDos(pace.total)} done this week; by ${time.dayName} about ${Math.round(pace.expected)} would be on pace. Not done: ${named(pace.notDone)}`;
}

const mustDos = (n: number) => (n === 1 ? '1 must-do' : `${n} must-dos`);

const SHORT_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "due today", "due Thu" this week (Monday to Sunday), else "due Nov 12". */
export function dueWords(dueOn: string, time: Pick<PaceClock, 'date' | 'weekEnd'>): string {
	if (dueOn === time.date) return 'due today';
	const due = new Date(`${dueOn}T12:00:00Z`);
	const daysBeforeWeekEnd = Math.round(
		(Date.parse(`${time.weekEnd}T12:00:00Z`) - due.getTime()) / 86_400_000
	);
	return daysBeforeWeekEnd >= 0 && daysBeforeWeekEnd <= 6
		? `due ${SHORT_DAYS[due.getUTCDay()]}`
		: `due ${MONTHS[due.getUTCMonth()]} ${due.getUTCDate()}`;
}

function latest(times: readonly (string | null)[]): string | null {
	let found: string | null = null;
	for (const t of times) if (t && (!found || t > found)) found = t;
	return found;
}

/** The key that allows one open flag per student × rule × assignment. */
export const openKey = (studentId: string, rule: FlagRule, assignmentId: string | null) =>
	`${studentId}|${rule}|${assignmentId ?? ''}`;

export interface ActiveFlag {
	id: string;
	studentId: string;
	rule: AutoRule;
	assignmentId: string | null;
}

/** When a teacher (or the rule itself) last resolved each student × rule × assignment. */
export type LastResolved = ReadonlyMap<string, string>;

export interface Reconciled {
	raise: (Concern & { studentId: string })[];
	clear: { flagId: string; studentId: string; note: string }[];
}

/**
 * What to raise and what clears itself, from the students' concerns and their automatic flags
 * still open. A concern raises a flag only when fresh and when nobody resolved that same flag
 * after its cause began (a teacher who resolved "stuck" is not overruled by the same tap).
 */
export function reconcile(
	students: readonly StudentForRules[],
	concerns: ReadonlyMap<string, readonly Concern[]>,
	active: readonly ActiveFlag[],
	lastResolved: LastResolved,
	time: PodTime
): Reconciled {
	const raise: Reconciled['raise'] = [];
	const clear: Reconciled['clear'] = [];
	const open = new Set(active.map((f) => openKey(f.studentId, f.rule, f.assignmentId)));
	const byId = new Map(students.map((s) => [s.id, s]));

	for (const student of students) {
		for (const concern of concerns.get(student.id) ?? []) {
			const key = openKey(student.id, concern.rule, concern.assignmentId);
			if (open.has(key) || !concern.fresh) continue;
			const resolvedAt = lastResolved.get(key);
			if (resolvedAt && resolvedAt >= concern.since) continue;
			raise.push({ ...concern, studentId: student.id });
		}
	}
	for (const flag of active) {
		const student = byId.get(flag.studentId);
		if (!student) continue;
		const holds = (concerns.get(student.id) ?? []).some(
			(c) => c.rule === flag.rule && c.assignmentId === flag.assignmentId
		);
		if (!holds) clear.push({ flagId: flag.id, studentId: student.id, note: whyCleared(flag, student, time) });
	}
	return { raise, clear };
}

/** The words a self-cleared flag leaves behind: what changed. */
export function whyCleared(flag: ActiveFlag, student: StudentForRules, time: PodTime): string {
	const assignment = student.assignments.find((a) => a.id === flag.assignmentId);
	const at = (iso: string | null) => (iso ? ` at ${time.clock(iso)}` : '');
	const said = (words: string) => `Cleared by itself: ${words}`;
	if (flag.assignmentId && !assignment) return said('no longer on the playlist');
	switch (flag.rule) {
		case 'stuck':
			if (assignment && isDone(assignment.status))
				return said(`${statusWord(assignment.status)}${at(assignment.lastEventAt)}`);
			if (student.handUpSince) return said('raised a hand instead');
			if (student.inGroupSession) return said('with a teacher in a group');
			if (assignment?.status === 'in_progress' && !time.inSession) return said('the session ended');
			return said(`working again${at(assignment?.lastEventAt ?? null)}`);
		case 'low_score':
			if (assignment && !isDone(assignment.status)) return said('working on it again');
			return assignment?.score != null
				? said(`now ${scoreWithSource({ percent: assignment.score }, assignment.scoreSource ?? null)}`)
				: said('the score was taken back');
		case 'idle':
			if (!time.inSession) return said('the session ended');
			if (student.inGroupSession) return said('with a teacher in a group');
			return said(`back to work${at(latest(student.assignments.map((a) => a.lastEventAt)))}`);
		case 'behind_pace': {
			const pace = mustDoPace(student.assignments, time);
			return said(`${pace.done} of ${pace.total} must-dos done, on pace`);
		}
		case 'hand_up':
			return said(
				student.handUpSince ? 'the hand is no longer waiting' : 'a teacher took it, or the hand is down'
			);
		case 'no_contact':
			if (!time.inSession) return said('the session ended');
			if (student.absentToday) return said('marked absent');
			return said(`an adult was with them${at(student.lastContactToday ?? null)}`);
		case 'help_avoidance':
			return said(assignment?.handRaised ? 'raised a hand about it' : 'no longer in trouble on it this week');
		case 'on_streak':
			return said('the run of results ended');
	}
}

const statusWord = (status: AssignmentStatus) => (status === 'mastered' ? 'mastered' : 'submitted');
