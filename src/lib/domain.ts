// The classroom's vocabulary: words the server stores and the pages show. Browser-safe, so a page
// and the database schema (src/lib/server/db/schema.ts re-exports these) share one definition each.

export type UserKind = 'staff' | 'student';
/**
 * A pod's adults: the lead facilitator, team teachers, and support staff (aides, tutors,
 * residents) who supervise the room, answer hands and run assigned groups but never change plans,
 * scores or coaching.
 */
export const POD_ROLES = ['lead', 'teacher', 'support'] as const;
export type PodRole = (typeof POD_ROLES)[number];
export type Priority = 'must' | 'should' | 'aspire';
/** A student's day in the room: present unless someone on staff marked them otherwise. */
export const ATTENDANCE_STATUSES = ['present', 'absent', 'late'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];
/** An adult's quick mark of what they saw a student do on the floor. */
export const OBSERVATION_MARKS = ['got_it', 'partly', 'not_yet'] as const;
export type ObservationMark = (typeof OBSERVATION_MARKS)[number];
export type ActivityKind = 'lesson' | 'practice' | 'project' | 'assessment' | 'small_group' | 'offline';
export type AssignmentStatus = 'not_started' | 'in_progress' | 'stuck' | 'submitted' | 'mastered';
/** `undo_submit`: the student takes back their latest "Done" within UNDO_DONE_MINUTES of it. */
export type ProgressEventKind = 'start' | 'progress' | 'stuck' | 'submit' | 'help' | 'undo_submit';
/**
 * Where a score comes from: `checked` (scored by Podboard), `teacher` (marked or overridden by
 * staff), `content` (reported by the activity itself), `self` (typed by the student). The first
 * three are verified evidence; a self-reported score counts for mastery and low-score flags only
 * where the pod says so.
 */
export const SCORE_SOURCES = ['checked', 'teacher', 'content', 'self'] as const;
export type ScoreSource = (typeof SCORE_SOURCES)[number];
export const FLAG_RULES = [
	'stuck',
	'idle',
	'low_score',
	'behind_pace',
	'hand_up',
	'no_contact',
	'help_avoidance',
	'on_streak',
	'manual'
] as const;
/** A flag that is good news, to show the student: not a concern, not counted among a student's open flags. */
export const GOOD_NEWS_RULES = ['on_streak'] as const satisfies readonly (typeof FLAG_RULES)[number][];
export type FlagRule = (typeof FLAG_RULES)[number];
export type FlagStatus = 'open' | 'grouped' | 'resolved';
export type GroupStatus = 'proposed' | 'claimed' | 'in_session' | 'done';
export type Duty = 'floor' | 'small_group' | 'conferences' | 'planning' | 'observation';
export type CardStatus = 'active' | 'replaced' | 'voided';
/** Why a link to set a password was made: a new account, or a password to set again. */
export type InvitationPurpose = 'invite' | 'reset';
export type InvitationStatus = 'open' | 'used' | 'ended';
