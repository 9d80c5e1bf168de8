import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type {
	ActivityKind,
	AttendanceStatus,
	ObservationMark,
	AssignmentStatus,
	CardStatus,
	Duty,
	FlagRule,
	FlagStatus,
	GroupStatus,
	InvitationPurpose,
	InvitationStatus,
	PodRole,
	Priority,
	ProgressEventKind,
	ScoreSource,
	UserKind
} from '../../domain';

// One section per table, mirroring db/migrations. Timestamps are ISO-8601 UTC text,
// local dates 'YYYY-MM-DD', local times 'HH:MM'; booleans are 0 | 1 on both engines.

// The vocabulary is defined once, browser-safe, in src/lib/domain.ts; the tables below use it.
export * from '../../domain';

/** A school of the district: pods belong to one. `source_id` is its OneRoster org's sourcedId. */
export interface SchoolTable {
	id: string;
	name: string;
	source_id: string | null;
	created_at: string;
}
export type School = Selectable<SchoolTable>;

/** A day (or days, both ends included) without school on a school's calendar. */
export interface SchoolDayOffTable {
	id: string;
	school_id: string;
	/** Local dates 'YYYY-MM-DD'; first_day <= last_day. */
	first_day: string;
	last_day: string;
	/** "Thanksgiving break", "Teacher work day". */
	name: string;
	/** Added by an admin ('hand') or implied by a OneRoster export's terms ('oneroster'). */
	source: 'hand' | 'oneroster';
	/** An imported day off: the sessions it comes from ('between:<a>:<b>'), found again by the next import. */
	source_key: string | null;
	created_at: string;
}

export interface PodTable {
	id: string;
	/** Never null: every writer names one (SQLite could not add the column as NOT NULL). */
	school_id: string;
	name: string;
	grade_low: number;
	grade_high: number;
	join_code: string;
	timezone: string;
	/** JSON: the school days and their hours, a SchoolWeek (src/lib/pods/school-week.ts). */
	school_week: string;
	/** The most students one adult may have; null until an admin sets it. */
	students_per_adult: number | null;
	flag_thresholds: string;
	/** Set when an admin archived the pod: read-only, hidden from lists, its data kept. */
	archived_at: ColumnType<string | null, string | null | undefined, string | null>;
	created_at: string;
}
export type Pod = Selectable<PodTable>;
export type NewPod = Insertable<PodTable>;

export interface UserTable {
	id: string;
	kind: UserKind;
	given_name: string;
	family_name: string;
	email: string | null;
	password_hash: string | null;
	picture_password_hash: string | null;
	is_admin: Generated<number>;
	status: Generated<'active' | 'inactive'>;
	source_id: string | null;
	created_at: string;
}
export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;

export interface PodStaffTable {
	pod_id: string;
	user_id: string;
	role: PodRole;
	/** 1: the pod's teacher of record (sets and grades the work). */
	teacher_of_record: Generated<number>;
	/** 1: teaches the pod from afar, not in the room (no floor duty). */
	remote: Generated<number>;
}

export interface PodStudentTable {
	pod_id: string;
	user_id: string;
	grade_level: number;
	cohort: string | null;
}

export interface SessionTable {
	token_hash: string;
	user_id: string;
	pod_id: string | null;
	created_at: string;
	last_seen_at: string;
	idle_minutes: number;
	expires_at: string;
}
export type Session = Selectable<SessionTable>;

export interface SignInAttemptTable {
	id: string;
	account_key: string;
	address: string;
	/** The address as throttling counts it: an IPv4 address, or an IPv6 address's /64. */
	network: string | null;
	succeeded: number;
	at: string;
	/** Set when a lead (or admin) unlocked the account: the failure no longer counts. */
	cleared_at: string | null;
	cleared_by: string | null;
}

/** Wrong pod codes and unknown card links, counted per network and quarter hour. */
export interface SignInCounterTable {
	bucket: 'pod-code' | 'card-link' | 'invite-link';
	network: string;
	window_start: string;
	count: number;
}

export interface SkillTable {
	id: string;
	pod_id: string;
	code: string;
	name: string;
	subject: string;
	grade: number;
}
export type Skill = Selectable<SkillTable>;

export interface ActivityTable {
	id: string;
	pod_id: string;
	title: string;
	subject: string;
	kind: ActivityKind;
	grade_low: number;
	grade_high: number;
	estimated_minutes: number;
	resource_url: string | null;
	max_score: number | null;
	archived_at: string | null;
	created_at: string;
}
export type Activity = Selectable<ActivityTable>;

export interface ActivitySkillTable {
	activity_id: string;
	skill_id: string;
}

export interface AssignmentTable {
	id: string;
	pod_id: string;
	student_id: string;
	activity_id: string;
	position: number;
	priority: Priority;
	due_on: string | null;
	assigned_by: string | null;
	assigned_at: string;
	status: Generated<AssignmentStatus>;
	score: number | null;
	/** Where that score comes from; null with no score. */
	score_source: ColumnType<ScoreSource | null, ScoreSource | null | undefined, ScoreSource | null>;
	attempts: Generated<number>;
	seconds_spent: Generated<number>;
	last_event_at: string | null;
}
export type Assignment = Selectable<AssignmentTable>;
export type AssignmentUpdate = Updateable<AssignmentTable>;

export interface ProgressEventTable {
	id: string;
	pod_id: string;
	assignment_id: string;
	student_id: string;
	kind: ProgressEventKind;
	score: number | null;
	/** Where a submit's score comes from; null with no score. */
	score_source: ColumnType<ScoreSource | null, ScoreSource | null | undefined, ScoreSource | null>;
	occurred_at: string;
	received_at: string;
	recorded_by: string | null;
}
export type ProgressEvent = Selectable<ProgressEventTable>;

/** An activity's quick check: its items and answer key (src/lib/server/checks/format.ts). */
export interface ActivityCheckTable {
	activity_id: string;
	pod_id: string;
	/** JSON: a Check. Never sent to a student. */
	body: string;
	updated_by: string | null;
	updated_at: string;
}

/** A student's answers to a check, scored on arrival; the id is the device's, so a retry counts once. */
/** One result on one skill: what mastery over time is computed from (src/lib/mastery/model.ts). */
export interface SkillEvidenceTable {
	progress_event_id: string;
	skill_id: string;
	pod_id: string;
	student_id: string;
	assignment_id: string;
	/** 0–100. */
	percent: number;
	source: ScoreSource;
	occurred_at: string;
}

/** Each student's mastery of a skill now: the model over their evidence, kept with it. */
export interface SkillMasteryTable {
	student_id: string;
	skill_id: string;
	pod_id: string;
	/** The model's whole percent. */
	percent: number;
	/** How many counted results it rests on. */
	results: number;
	/** The local date (a Monday) of the week this row was last written in; '' when unknown. */
	week_of: string;
	/** The percent as that week began; null with no counted evidence by then. */
	week_start_percent: number | null;
	updated_at: string;
}

export interface CheckSubmissionTable {
	id: string;
	pod_id: string;
	assignment_id: string;
	student_id: string;
	/** JSON: one Answer per item. */
	answers: string;
	/** JSON: CheckResult['items']. */
	results: string;
	points: number;
	max_points: number;
	occurred_at: string;
	received_at: string;
}

export interface FlagTable {
	id: string;
	pod_id: string;
	student_id: string;
	assignment_id: string | null;
	rule: FlagRule;
	reason: string;
	raised_by: string | null;
	status: Generated<FlagStatus>;
	open_key: string | null;
	resolved_by: string | null;
	resolved_at: string | null;
	resolution_note: string | null;
	/** The intervention group that took this flag on, while grouped. */
	group_id: string | null;
	created_at: string;
}

export interface InterventionGroupTable {
	id: string;
	pod_id: string;
	title: string;
	focus_skill_id: string | null;
	owner_id: string | null;
	planned_block_id: string | null;
	planned_on: string | null;
	planned_start: string | null;
	status: Generated<GroupStatus>;
	outcome_note: string | null;
	version: Generated<number>;
	created_by: string | null;
	created_at: string;
	updated_at: string;
}

export interface GroupMemberTable {
	group_id: string;
	student_id: string;
	flag_id: string | null;
}

export interface HelpRequestTable {
	id: string;
	pod_id: string;
	student_id: string;
	assignment_id: string | null;
	asked_at: string;
	claimed_by: string | null;
	claimed_at: string | null;
	resolved_at: string | null;
	resolved_by: string | null;
	resolution_note: string | null;
	open_key: string | null;
	version: Generated<number>;
}

/** A mark on a student's school day (no row: present). */
export interface AttendanceTable {
	pod_id: string;
	student_id: string;
	/** The pod's local date, 'YYYY-MM-DD'. */
	day: string;
	status: AttendanceStatus;
	marked_by: string | null;
	marked_at: string;
}

/** An adult in the room on a school day, from in_at until out_at (null: still in). */
export interface AdultsInTable {
	pod_id: string;
	user_id: string;
	day: string;
	in_at: string;
	out_at: string | null;
	marked_by: string | null;
}

/** The team's note for the adults in the room on one school day. */
export interface DayNoteTable {
	id: string;
	pod_id: string;
	day: string;
	watch_for: string;
	check_on: string;
	assessment: string;
	written_by: string | null;
	written_at: string;
}

export interface DayNoteAckTable {
	note_id: string;
	user_id: string;
	acknowledged_at: string;
}

/** What an adult saw a student do on the floor. */
export interface ObservationTable {
	id: string;
	pod_id: string;
	student_id: string;
	observed_by: string | null;
	mark: ObservationMark | null;
	note: string;
	/** A JSON list of the pod's skill ids. */
	skill_ids: string;
	observed_at: string;
}

export interface DutyBlockTable {
	id: string;
	pod_id: string;
	weekday: number;
	starts_at: string;
	ends_at: string;
	label: string;
	students_in: Generated<number>;
}

export interface DutyTable {
	id: string;
	pod_id: string;
	block_id: string;
	week_of: string;
	teacher_id: string;
	duty: Duty;
}

export interface DutyUnavailabilityTable {
	pod_id: string;
	week_of: string;
	block_id: string;
	teacher_id: string;
}

export interface SignInCardTable {
	id: string;
	pod_id: string;
	student_id: string;
	/** SHA-256 of the link's token: the token itself is never stored. */
	token_hash: string;
	/** The picture password printed on the card ('cat sun tree'); null once the card ends. */
	pictures: string | null;
	status: CardStatus;
	issued_by: string | null;
	issued_at: string;
	last_used_at: string | null;
	ended_by: string | null;
	ended_at: string | null;
}

/** A one-time link to set a staff member's password: a new account's, or a forgotten one. */
export interface InvitationTable {
	id: string;
	user_id: string;
	/** SHA-256 of the link's token: the token itself is never stored. */
	token_hash: string;
	purpose: InvitationPurpose;
	status: InvitationStatus;
	issued_by: string | null;
	issued_at: string;
	expires_at: string;
	used_at: string | null;
	/** When a newer link (or switching the account off) ended this one before it was used. */
	ended_at: string | null;
}

export interface CoachingNoteTable {
	id: string;
	pod_id: string;
	lead_id: string;
	teacher_id: string;
	focus: string;
	evidence: string;
	next_step: string;
	follow_up_on: string | null;
	reflection: string | null;
	created_at: string;
	updated_at: string;
}

export interface PodEventTable {
	pod_id: string;
	seq: number;
	kind: string;
	payload: string;
	at: string;
}

export interface AuditLogTable {
	id: string;
	at: string;
	actor_id: string | null;
	pod_id: string | null;
	action: string;
	entity: string;
	entity_id: string | null;
	detail: string;
}

export interface Database {
	schools: SchoolTable;
	school_days_off: SchoolDayOffTable;
	pods: PodTable;
	users: UserTable;
	pod_staff: PodStaffTable;
	pod_students: PodStudentTable;
	sessions: SessionTable;
	sign_in_attempts: SignInAttemptTable;
	sign_in_counters: SignInCounterTable;
	skills: SkillTable;
	activities: ActivityTable;
	activity_skills: ActivitySkillTable;
	assignments: AssignmentTable;
	progress_events: ProgressEventTable;
	activity_checks: ActivityCheckTable;
	check_submissions: CheckSubmissionTable;
	skill_evidence: SkillEvidenceTable;
	skill_mastery: SkillMasteryTable;
	flags: FlagTable;
	intervention_groups: InterventionGroupTable;
	group_members: GroupMemberTable;
	help_requests: HelpRequestTable;
	attendance: AttendanceTable;
	day_notes: DayNoteTable;
	observations: ObservationTable;
	day_note_acks: DayNoteAckTable;
	adults_in: AdultsInTable;
	duty_blocks: DutyBlockTable;
	duties: DutyTable;
	duty_unavailability: DutyUnavailabilityTable;
	sign_in_cards: SignInCardTable;
	invitations: InvitationTable;
	coaching_notes: CoachingNoteTable;
	pod_events: PodEventTable;
	audit_log: AuditLogTable;
}
