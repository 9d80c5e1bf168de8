// The automatic flags, as pure functions of a student's situation and the pod's clock, so
// every rule is tested without a server. A rule says *why* in words a teacher trusts, and a
// flag whose cause is gone clears itself and says so.
import { isDone } from '../../progress/derive';
import type { ActivityKind, AssignmentStatus, FlagRule, Priority } from '../db/schema';
import type { PodTime } from '../pods/clock';
import type { FlagThresholds } from './thresholds';

export type AutoRule = Exclude<FlagRule, 'manual'>;
export const AUTO_RULES: readonly AutoRule[] = ['stuck', 'idle', 'low_score', 'behind_pace', 'hand_up'];

export interface AssignmentForRules {
	id: string;
	title: string;
	kind: ActivityKind;
	priority: Priority;
	status: AssignmentStatus;
	/** Percent. */
	score: number | null;
	lastEventAt: string | null;
}

export interface StudentForRules {
	id: string;
	assignments: readonly AssignmentForRules[];
	/** When the hand still up (nobody has taken it) went up. */
	handUpSince: string | null;
	/** With a teacher in an intervention group that is in session right now. */
	inGroupSession: boolean;
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
		if (line !== undefined && isDone(a.status) && a.score !== null && a.score < line && a.lastEventAt) {
			concerns.push({
				rule: 'low_score',
				assignmentId: a.id,
				reason: `Scored ${a.score}% on ${a.title} (under ${line}%)`,
				since: a.lastEventAt,
				// Last week's scores stay flagged until resolved, but do not raise new flags.
				fresh: a.lastEventAt >= time.weekStart.toISOString()
			});
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
	const pace = mustDoPace(student.assignments, time);
	if (pace.expected >= 1 && pace.done < pace.expected * thresholds.behindPaceRatio) {
		concerns.push({
			rule: 'behind_pace',
			assignmentId: null,
			reason: `${pace.done} of ${pace.total} must-dos done this week; by ${time.dayName} about ${Math.round(pace.expected)} would be on pace`,
			since: time.weekStart.toISOString(),
			fresh: time.schoolToday
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
	return concerns;
}

/**
 * This week's must-dos: those open when the week began or added since. How many are done, and
 * how many the share of the week gone by calls for.
 */
export function mustDoPace(
	assignments: readonly AssignmentForRules[],
	time: Pick<PodTime, 'weekStart' | 'weekElapsed'>
) {
	const weekStart = time.weekStart.toISOString();
	const thisWeek = assignments.filter(
		(a) => a.priority === 'must' && !(isDone(a.status) && (a.lastEventAt ?? '') < weekStart)
	);
	const done = thisWeek.filter((a) => isDone(a.status)).length;
	return { total: thisWeek.length, done, expected: thisWeek.length * time.weekElapsed };
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
			return assignment?.score != null ? said(`now ${assignment.score}%`) : said('the score was taken back');
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
	}
}

const statusWord = (status: AssignmentStatus) => (status === 'mastered' ? 'mastered' : 'submitted');
