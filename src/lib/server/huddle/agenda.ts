import { readableCycles } from '../coaching/coaching';
import type { Db } from '../db';
import { podObservations, type Observation } from '../team/observations';
import type { FlagRule, FlagStatus, PodRole } from '../db/schema';
import { workForRules } from '../flags/engine';
import { podFlags } from '../flags/flags';
import { dueWords, mustDoPace } from '../flags/rules';
import { readThresholds } from '../flags/thresholds';
import { isoNow } from '../ids';
import { fullNameOf } from '../people';
import { daysOffAround } from '../calendar/calendar';
import { localParts, podTime, type PodTime } from '../pods/clock';

// The team huddle: an agenda for the team's common planning time, read from the pod's data.
// Every query is bounded by the pod; coaching notes also by who is looking.

const DAY_MS = 86_400_000;
const hoursSince = (iso: string, now: Date) =>
	Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / 3_600_000));

/** Who is reading the agenda: coaching notes are the lead's and their teacher's alone. */
export interface HuddleViewer {
	id: string;
	role: PodRole | 'admin';
}

export interface UnclaimedGroup {
	id: string;
	title: string;
	focusSkill: string | null;
	plannedOn: string | null;
	plannedStart: string | null;
	members: { studentId: string; name: string }[];
	createdAt: string;
	ageHours: number;
}

export interface LongOpenFlag {
	id: string;
	studentId: string;
	studentName: string;
	rule: FlagRule;
	reason: string;
	activityTitle: string | null;
	status: Exclude<FlagStatus, 'resolved'>;
	createdAt: string;
	ageHours: number;
}

export interface BehindPace {
	studentId: string;
	name: string;
	grade: number;
	done: number;
	total: number;
	/** Must-dos their due dates call for by now, rounded (the behind_pace rule's figure). */
	expected: number;
	/** The must-dos due by today and not done, soonest due first: 'Quiz: food webs (due Mon)'. */
	late: string[];
}

export interface GroupOutcome {
	id: string;
	title: string;
	owner: string | null;
	outcomeNote: string | null;
	memberCount: number;
	doneAt: string;
	/** The pod's local date it closed, 'YYYY-MM-DD'. */
	doneOn: string;
}

export interface CoachingStepDue {
	id: string;
	teacherId: string;
	teacherName: string;
	focus: string;
	nextStep: string;
	followUpOn: string;
	reflected: boolean;
}

export interface HuddleAgenda {
	pod: { id: string; name: string };
	/** The pod's local date, 'YYYY-MM-DD', and the day as a teacher says it. */
	date: string;
	dayName: string;
	/** The local date this school week began (its Monday). */
	weekOf: string;
	/** Whose coaching notes the last section holds: all the pod's, or the viewer's own. */
	/** Whose coaching steps the viewer sees: the pod's (lead), their own (teacher), none (support). */
	coachingScope: 'pod' | 'own' | 'none';
	unclaimedGroups: UnclaimedGroup[];
	longOpenFlags: LongOpenFlag[];
	behindPace: BehindPace[];
	groupOutcomes: GroupOutcome[];
	/** What the adults saw on the floor in the last day, those not yet got first. */
	observations: Observation[];
	coachingDue: CoachingStepDue[];
}

const MARK_ORDER = { not_yet: 0, partly: 1, got_it: 2 } as const;

/** The huddle agenda for a pod at `now`, as `viewer` may see it. */
export async function huddleAgenda(
	db: Db,
	podId: string,
	viewer: HuddleViewer,
	now = new Date()
): Promise<HuddleAgenda> {
	const [pod, daysOff] = await Promise.all([
		db
			.selectFrom('pods')
			.select(['id', 'name', 'timezone', 'school_week', 'flag_thresholds'])
			.where('id', '=', podId)
			.executeTakeFirstOrThrow(),
		daysOffAround(db, podId, now)
	]);
	// The pace the flag rules hold students to: the week's days off count for nothing.
	const time = podTime(pod, now, daysOff);
	const today = localParts(now, pod.timezone).date;

	const coachingScope = viewer.role === 'support' ? 'none' : viewer.role === 'teacher' ? 'own' : 'pod';
	const [unclaimedGroups, longOpenFlags, behindPace, groupOutcomes, observations, coachingDue] =
		await Promise.all([
			unclaimed(db, podId, now),
			flagsOpenADay(db, podId, now),
			studentsBehindPace(db, podId, time, readThresholds(pod.flag_thresholds).behindPaceRatio),
			outcomesSince(db, podId, time.weekBegan, pod.timezone),
			podObservations(db, podId, { since: new Date(now.getTime() - 86_400_000).toISOString(), limit: 40 }),
			// The same rule as the coaching page: a teacher reads their own cycles, the lead all, support
			// staff none.
			coachingScope === 'none'
				? []
				: coachingStepsDue(db, podId, today, readableCycles({ id: viewer.id, podRole: viewer.role }) ?? null)
		]);
	return {
		pod: { id: pod.id, name: pod.name },
		date: today,
		dayName: time.dayName,
		weekOf: localParts(time.weekStart, pod.timezone).date,
		coachingScope,
		unclaimedGroups,
		longOpenFlags,
		behindPace,
		groupOutcomes,
		observations: observations.toSorted(
			(a, b) =>
				(a.mark ? MARK_ORDER[a.mark] : 3) - (b.mark ? MARK_ORDER[b.mark] : 3) || b.at.localeCompare(a.at)
		),
		coachingDue
	};
}

/** Proposed groups (nobody has claimed them), oldest first, with who is in them. */
async function unclaimed(db: Db, podId: string, now: Date): Promise<UnclaimedGroup[]> {
	const groups = await db
		.selectFrom('intervention_groups as g')
		.leftJoin('skills', 'skills.id', 'g.focus_skill_id')
		.select([
			'g.id',
			'g.title',
			'skills.code',
			'skills.name',
			'g.planned_on',
			'g.planned_start',
			'g.created_at'
		])
		.where('g.pod_id', '=', podId)
		.where('g.status', '=', 'proposed')
		.orderBy('g.created_at')
		.execute();
	if (groups.length === 0) return [];
	const members = await db
		.selectFrom('group_members')
		.innerJoin('intervention_groups as g', 'g.id', 'group_members.group_id')
		.innerJoin('users', 'users.id', 'group_members.student_id')
		.select(['group_members.group_id', 'group_members.student_id', fullNameOf('users').as('name')])
		.where('g.pod_id', '=', podId)
		.where('g.status', '=', 'proposed')
		.orderBy('users.given_name')
		.orderBy('users.family_name')
		.execute();
	return groups.map((g) => ({
		id: g.id,
		title: g.title,
		focusSkill: g.code && g.name ? `${g.code} ${g.name}` : null,
		plannedOn: g.planned_on,
		plannedStart: g.planned_start,
		members: members
			.filter((m) => m.group_id === g.id)
			.map((m) => ({ studentId: m.student_id, name: m.name })),
		createdAt: g.created_at,
		ageHours: hoursSince(g.created_at, now)
	}));
}

/** Flags still open (or waiting in a group) that were raised more than a day ago, oldest first. */
async function flagsOpenADay(db: Db, podId: string, now: Date): Promise<LongOpenFlag[]> {
	const dayAgo = isoNow(new Date(now.getTime() - DAY_MS));
	const open = await podFlags(db, podId);
	return open
		.filter((f) => f.createdAt < dayAgo)
		.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.studentName.localeCompare(b.studentName))
		.map((f) => ({
			id: f.id,
			studentId: f.studentId,
			studentName: f.studentName,
			rule: f.rule,
			reason: f.reason,
			activityTitle: f.activityTitle,
			status: f.status as LongOpenFlag['status'],
			createdAt: f.createdAt,
			ageHours: hoursSince(f.createdAt, now)
		}));
}

/**
 * Students whose must-dos done this week are under the pod's behind-pace share of what the
 * week so far calls for: the same test as the `behind_pace` rule, furthest behind first.
 */
async function studentsBehindPace(
	db: Db,
	podId: string,
	time: PodTime,
	behindPaceRatio: number
): Promise<BehindPace[]> {
	// Computed, not read from open behind_pace flags: the agenda then shows done / total as of
	// now, whether or not the sweep has run since, and still lists a student whose flag a
	// teacher resolved this week but who is still behind.
	const [students, byStudent] = await Promise.all([
		db
			.selectFrom('pod_students')
			.innerJoin('users', 'users.id', 'pod_students.user_id')
			.select(['users.id', fullNameOf('users').as('name'), 'pod_students.grade_level'])
			.where('pod_students.pod_id', '=', podId)
			.where('users.status', '=', 'active')
			.execute(),
		workForRules(db, podId, { mustOnly: true })
	]);
	const behind: { student: BehindPace; shortfall: number }[] = [];
	for (const student of students) {
		const pace = mustDoPace(byStudent.get(student.id) ?? [], time);
		if (pace.expected >= 1 && pace.done < pace.expected * behindPaceRatio) {
			behind.push({
				student: {
					studentId: student.id,
					name: student.name,
					grade: student.grade_level,
					done: pace.done,
					total: pace.total,
					expected: Math.round(pace.expected),
					late: pace.late.map((a) => `${a.title} (${dueWords(a.dueOn!, time)})`)
				},
				shortfall: pace.expected - pace.done
			});
		}
	}
	return behind
		.sort((a, b) => b.shortfall - a.shortfall || a.student.name.localeCompare(b.student.name))
		.map(({ student }) => student);
}

/** Groups closed since this school week began, with who ran them and how it went; newest first. */
async function outcomesSince(
	db: Db,
	podId: string,
	weekStart: Date,
	timeZone: string
): Promise<GroupOutcome[]> {
	const rows = await db
		.selectFrom('intervention_groups as g')
		.leftJoin('users as owner', 'owner.id', 'g.owner_id')
		.select([
			'g.id',
			'g.title',
			fullNameOf('owner').as('owner_name'),
			'g.outcome_note',
			'g.updated_at',
			(eb) =>
				eb
					.selectFrom('group_members')
					.select((m) => m.fn.countAll<number>().as('n'))
					.whereRef('group_members.group_id', '=', 'g.id')
					.as('member_count')
		])
		.where('g.pod_id', '=', podId)
		.where('g.status', '=', 'done')
		.where('g.updated_at', '>=', isoNow(weekStart))
		.orderBy('g.updated_at', 'desc')
		.execute();
	return rows.map((g) => ({
		id: g.id,
		title: g.title,
		owner: g.owner_name,
		outcomeNote: g.outcome_note,
		memberCount: Number(g.member_count ?? 0),
		doneAt: g.updated_at,
		doneOn: localParts(new Date(g.updated_at), timeZone).date
	}));
}

/**
 * Coaching next steps whose follow-up date has come (today, in the pod's time zone, or
 * earlier) and that no later coaching note for the same teacher has followed up yet.
 * `onlyTeacherId`: a team teacher sees only the notes about themselves.
 */
async function coachingStepsDue(
	db: Db,
	podId: string,
	today: string,
	onlyTeacherId: string | null
): Promise<CoachingStepDue[]> {
	const rows = await db
		.selectFrom('coaching_notes as note')
		.innerJoin('users as teacher', 'teacher.id', 'note.teacher_id')
		.select([
			'note.id',
			'note.teacher_id',
			fullNameOf('teacher').as('teacher_name'),
			'note.focus',
			'note.next_step',
			'note.follow_up_on',
			'note.reflection'
		])
		.where('note.pod_id', '=', podId)
		.where('note.follow_up_on', 'is not', null)
		.where('note.follow_up_on', '<=', today)
		.$if(onlyTeacherId !== null, (q) => q.where('note.teacher_id', '=', onlyTeacherId!))
		.where(({ not, exists, selectFrom }) =>
			not(
				exists(
					selectFrom('coaching_notes as later')
						.select('later.id')
						.where('later.pod_id', '=', podId)
						.whereRef('later.teacher_id', '=', 'note.teacher_id')
						.whereRef('later.created_at', '>', 'note.created_at')
				)
			)
		)
		.orderBy('note.follow_up_on')
		.orderBy('teacher.given_name')
		.execute();
	return rows.map((n) => ({
		id: n.id,
		teacherId: n.teacher_id,
		teacherName: n.teacher_name,
		focus: n.focus,
		nextStep: n.next_step,
		followUpOn: n.follow_up_on!,
		reflected: n.reflection !== null && n.reflection.trim() !== ''
	}));
}
