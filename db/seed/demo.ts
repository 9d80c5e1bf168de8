import type { Insertable, Kysely, Transaction } from 'kysely';
import { pictureSecret } from '../../src/lib/auth/pictures';
import { hashSecret } from '../../src/lib/server/auth/passwords';
import type {
	ActivityKind,
	Database,
	PodRole,
	Priority,
	ProgressEventKind
} from '../../src/lib/server/db/schema';
import { generateWeek, mondayOf } from '../../src/lib/server/duties/duties';
import { closeTheDay } from '../../src/lib/server/flags/day-end';
import { evaluateFlags } from '../../src/lib/server/flags/engine';
import { readThresholds } from '../../src/lib/server/flags/thresholds';
import { raiseHand } from '../../src/lib/server/help/requests';
import { newId } from '../../src/lib/server/ids';
import { appendPodEvent, type RecordPodEvent } from '../../src/lib/server/live/log';
import { deriveAssignmentState } from '../../src/lib/progress/derive';
import { checkEvidence, submissionEvidence } from '../../src/lib/mastery/model';
import { scoreCheck } from '../../src/lib/server/checks/score';
import { keepMastery } from '../../src/lib/server/mastery/mastery';
import { answersScoring, DEMO_CHECKS } from './demo-checks';
import { seedRidgePod } from './demo-ridge';

// The demo pod that `npm start` seeds into an empty database (DESIGN.md §4 fixes these names).

export interface DemoStaffMember {
	email: string;
	givenName: string;
	familyName: string;
	/** null: not a member of the pod (the admin). */
	podRole: PodRole | null;
	isAdmin: boolean;
	/** The pod's teacher of record, teaching it from afar (and Pod Ridge at another school). */
	remoteTeacherOfRecord?: boolean;
}

export const DEMO = {
	schoolName: 'Northside Demo School',
	podName: 'Pod North',
	joinCode: 'DEMO42',
	staffPassword: 'podboard-demo',
	pictures: ['cat', 'sun', 'tree'] as const,
	staff: [
		{
			email: 'lead@demo.school',
			givenName: 'Maya',
			familyName: 'Okafor',
			podRole: 'lead',
			isAdmin: false
		},
		{
			email: 'teacher1@demo.school',
			givenName: 'Daniel',
			familyName: 'Reyes',
			podRole: 'teacher',
			isAdmin: false
		},
		{
			email: 'teacher2@demo.school',
			givenName: 'Priya',
			familyName: 'Shah',
			podRole: 'teacher',
			isAdmin: false
		},
		{
			email: 'support@demo.school',
			givenName: 'Rosa',
			familyName: 'Delgado',
			podRole: 'support',
			isAdmin: false
		},
		{
			email: 'remote@demo.school',
			givenName: 'Grace',
			familyName: 'Adeyemi',
			podRole: 'teacher',
			isAdmin: false,
			remoteTeacherOfRecord: true
		},
		{
			email: 'admin@demo.school',
			givenName: 'Sam',
			familyName: 'Whitfield',
			podRole: null,
			isAdmin: true
		}
	] satisfies DemoStaffMember[]
};

const TIMEZONE = 'America/New_York';
const SESSION_START = '08:30';
const SESSION_END = '15:00';
/** Three adults for 72 students. */
const STUDENTS_PER_ADULT = 25;
const FLAG_THRESHOLDS = {
	stuckMinutes: 20,
	idleMinutes: 10,
	lowScorePercent: { assessment: 70, practice: 60 },
	behindPaceRatio: 0.7
};
const STUDENT_COUNT = 72;
const HISTORY_SCHOOL_DAYS = 4;
/** Rows per INSERT: keeps each statement well under SQLite's bound-variable limit. */
const CHUNK = 200;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

// ---------------------------------------------------------------------------------------------
// Curriculum: standard-style skills and the pod's activity library.

type Subject = 'math' | 'reading' | 'science';

const SKILLS: { code: string; name: string; subject: Subject; grade: number }[] = [
	{ code: '4.NF.1', name: 'Equivalent fractions', subject: 'math', grade: 4 },
	{ code: '4.NF.7', name: 'Comparing decimals', subject: 'math', grade: 4 },
	{ code: '4.NBT.5', name: 'Multi-digit multiplication', subject: 'math', grade: 4 },
	{ code: '4.MD.3', name: 'Area and perimeter', subject: 'math', grade: 4 },
	{ code: '5.NF.1', name: 'Adding fractions with unlike denominators', subject: 'math', grade: 5 },
	{ code: '5.NBT.7', name: 'Decimal operations', subject: 'math', grade: 5 },
	{ code: '5.MD.5', name: 'Volume of rectangular prisms', subject: 'math', grade: 5 },
	{ code: '6.RP.3', name: 'Ratio and rate reasoning', subject: 'math', grade: 6 },
	{ code: '6.EE.2', name: 'Expressions with variables', subject: 'math', grade: 6 },
	{ code: 'RL.4.3', name: 'Characters, setting and events', subject: 'reading', grade: 4 },
	{ code: 'RI.4.3', name: 'Explaining events and ideas', subject: 'reading', grade: 4 },
	{ code: 'RL.5.2', name: 'Theme and summary', subject: 'reading', grade: 5 },
	{ code: 'RI.5.8', name: 'Reasons and evidence', subject: 'reading', grade: 5 },
	{ code: 'RL.6.4', name: 'Word choice and tone', subject: 'reading', grade: 6 },
	{ code: 'RI.6.2', name: 'Central idea', subject: 'reading', grade: 6 },
	{ code: '4-PS3-2', name: 'Energy transfer', subject: 'science', grade: 4 },
	{ code: '4-ESS2-1', name: 'Weathering and erosion', subject: 'science', grade: 4 },
	{ code: '5-PS1-1', name: 'Particles of matter', subject: 'science', grade: 5 },
	{ code: '5-LS2-1', name: 'Food webs and ecosystems', subject: 'science', grade: 5 },
	{ code: 'MS-ESS1-1', name: 'Moon phases and eclipses', subject: 'science', grade: 6 }
];

interface ActivityDef {
	title: string;
	subject: Subject;
	kind: ActivityKind;
	grades: [low: number, high: number];
	minutes: number;
	skills: string[];
	maxScore?: number;
	url?: string;
}

// One activity per line: the library reads as a table.
// prettier-ignore
const ACTIVITIES: ActivityDef[] = [
	// Math
	{ title: 'Equivalent fractions: fraction strips', subject: 'math', kind: 'lesson', grades: [4, 5], minutes: 20, skills: ['4.NF.1'], url: 'https://example.org/math/fraction-strips' },
	{ title: 'Fractions practice 1', subject: 'math', kind: 'practice', grades: [4, 4], minutes: 15, skills: ['4.NF.1'] },
	{ title: 'Fractions practice 2', subject: 'math', kind: 'practice', grades: [4, 5], minutes: 20, skills: ['4.NF.1', '5.NF.1'] },
	{ title: 'Fractions practice 3', subject: 'math', kind: 'practice', grades: [5, 5], minutes: 20, skills: ['5.NF.1'] },
	{ title: 'Quiz: equivalent fractions', subject: 'math', kind: 'assessment', grades: [4, 4], minutes: 15, skills: ['4.NF.1'], maxScore: 10 },
	{ title: 'Adding unlike fractions with area models', subject: 'math', kind: 'lesson', grades: [5, 6], minutes: 25, skills: ['5.NF.1'], url: 'https://example.org/math/unlike-fractions' },
	{ title: 'Quiz: adding fractions', subject: 'math', kind: 'assessment', grades: [5, 6], minutes: 20, skills: ['5.NF.1'], maxScore: 5 },
	{ title: 'Multiplication with area models', subject: 'math', kind: 'lesson', grades: [4, 4], minutes: 25, skills: ['4.NBT.5'] },
	{ title: 'Multi-digit multiplication practice', subject: 'math', kind: 'practice', grades: [4, 5], minutes: 20, skills: ['4.NBT.5'] },
	{ title: 'Quiz: comparing decimals', subject: 'math', kind: 'assessment', grades: [4, 5], minutes: 15, skills: ['4.NF.7'], maxScore: 5 },
	{ title: 'Decimal place-value card sort', subject: 'math', kind: 'offline', grades: [4, 5], minutes: 15, skills: ['4.NF.7'] },
	{ title: 'Decimal operations practice', subject: 'math', kind: 'practice', grades: [5, 6], minutes: 20, skills: ['5.NBT.7'] },
	{ title: 'Garden plot: area and perimeter', subject: 'math', kind: 'project', grades: [4, 5], minutes: 45, skills: ['4.MD.3'] },
	{ title: 'Build a box: volume', subject: 'math', kind: 'project', grades: [5, 6], minutes: 40, skills: ['5.MD.5'] },
	{ title: 'Unit test: volume', subject: 'math', kind: 'assessment', grades: [5, 5], minutes: 30, skills: ['5.MD.5'], maxScore: 20 },
	{ title: 'Ratio tables with a teacher', subject: 'math', kind: 'small_group', grades: [6, 6], minutes: 25, skills: ['6.RP.3'] },
	{ title: 'Ratios and rates practice', subject: 'math', kind: 'practice', grades: [6, 6], minutes: 20, skills: ['6.RP.3'] },
	{ title: 'Quiz: ratios and rates', subject: 'math', kind: 'assessment', grades: [6, 6], minutes: 20, skills: ['6.RP.3'], maxScore: 10 },
	{ title: 'Writing expressions with variables', subject: 'math', kind: 'lesson', grades: [6, 6], minutes: 20, skills: ['6.EE.2'], url: 'https://example.org/math/expressions' },
	{ title: 'Unit test: expressions', subject: 'math', kind: 'assessment', grades: [6, 6], minutes: 30, skills: ['6.EE.2'], maxScore: 20 },
	// Reading
	{ title: 'Theme in fables: read & respond', subject: 'reading', kind: 'practice', grades: [4, 5], minutes: 30, skills: ['RL.5.2'], url: 'https://example.org/reading/fables' },
	{ title: 'Summarizing a story', subject: 'reading', kind: 'lesson', grades: [4, 6], minutes: 20, skills: ['RL.5.2'] },
	{ title: 'Quiz: theme and summary', subject: 'reading', kind: 'assessment', grades: [5, 6], minutes: 20, skills: ['RL.5.2'], maxScore: 10 },
	{ title: 'Character map: Because of Winn-Dixie', subject: 'reading', kind: 'offline', grades: [4, 4], minutes: 25, skills: ['RL.4.3'] },
	{ title: 'Book club: character choices', subject: 'reading', kind: 'small_group', grades: [4, 5], minutes: 30, skills: ['RL.4.3'] },
	{ title: 'Cause and effect in history texts', subject: 'reading', kind: 'lesson', grades: [4, 5], minutes: 20, skills: ['RI.4.3'] },
	{ title: 'Evidence hunt: persuasive articles', subject: 'reading', kind: 'practice', grades: [5, 6], minutes: 25, skills: ['RI.5.8'], url: 'https://example.org/reading/evidence-hunt' },
	{ title: 'Quiz: reasons and evidence', subject: 'reading', kind: 'assessment', grades: [5, 5], minutes: 15, skills: ['RI.5.8'], maxScore: 10 },
	{ title: 'Word choice and tone in poetry', subject: 'reading', kind: 'lesson', grades: [6, 6], minutes: 20, skills: ['RL.6.4'] },
	{ title: 'Central idea practice', subject: 'reading', kind: 'practice', grades: [6, 6], minutes: 20, skills: ['RI.6.2'] },
	{ title: 'Quiz: central idea', subject: 'reading', kind: 'assessment', grades: [6, 6], minutes: 15, skills: ['RI.6.2'], maxScore: 10 },
	// Science
	{ title: 'Energy transfer: marble ramps', subject: 'science', kind: 'project', grades: [4, 4], minutes: 45, skills: ['4-PS3-2'] },
	{ title: 'Energy in collisions', subject: 'science', kind: 'lesson', grades: [4, 5], minutes: 20, skills: ['4-PS3-2'], url: 'https://example.org/science/collisions' },
	{ title: 'Stream table: weathering and erosion', subject: 'science', kind: 'small_group', grades: [4, 5], minutes: 35, skills: ['4-ESS2-1'] },
	{ title: 'Quiz: weathering and erosion', subject: 'science', kind: 'assessment', grades: [4, 4], minutes: 15, skills: ['4-ESS2-1'], maxScore: 10 },
	{ title: 'Particles of matter simulation', subject: 'science', kind: 'lesson', grades: [5, 6], minutes: 20, skills: ['5-PS1-1'], url: 'https://example.org/science/particles' },
	{ title: 'Particles of matter practice', subject: 'science', kind: 'practice', grades: [5, 5], minutes: 15, skills: ['5-PS1-1'] },
	{ title: 'Food web card sort', subject: 'science', kind: 'offline', grades: [5, 6], minutes: 20, skills: ['5-LS2-1'] },
	{ title: 'Quiz: food webs', subject: 'science', kind: 'assessment', grades: [5, 6], minutes: 15, skills: ['5-LS2-1'], maxScore: 5 },
	{ title: 'Moon phases journal', subject: 'science', kind: 'project', grades: [6, 6], minutes: 30, skills: ['MS-ESS1-1'] },
	{ title: 'Quiz: moon phases', subject: 'science', kind: 'assessment', grades: [6, 6], minutes: 15, skills: ['MS-ESS1-1'], maxScore: 10 }
];

// ---------------------------------------------------------------------------------------------
// Students: given names are all different, so "Given F." on the join page is never ambiguous.

// prettier-ignore
const GIVEN_NAMES = [
	'Aaliyah', 'Aarav', 'Abdi', 'Adaeze', 'Aiden', 'Akira', 'Alejandro', 'Amara', 'Amir', 'Ana',
	'Anika', 'Arjun', 'Ava', 'Ayaan', 'Beatriz', 'Caleb', 'Camila', 'Chloe', 'Dante', 'Darius',
	'Diego', 'Elena', 'Eli', 'Emeka', 'Emma', 'Esperanza', 'Ethan', 'Farah', 'Fatima', 'Gabriel',
	'Grace', 'Hana', 'Hassan', 'Ibrahim', 'Imani', 'Ines', 'Isabella', 'Isaiah', 'Jamal', 'Jasmine',
	'Javier', 'Jin', 'Joaquin', 'Jordan', 'Julian', 'Kai', 'Kavya', 'Kenji', 'Khadija', 'Kofi',
	'Layla', 'Leah', 'Lena', 'Leo', 'Liam', 'Lucia', 'Luis', 'Malik', 'Mariam', 'Mateo', 'Mei', 'Mia',
	'Mohammed', 'Nadia', 'Naomi', 'Nia', 'Noah', 'Nora', 'Olivia', 'Omar', 'Oscar', 'Owen', 'Rafael',
	'Ravi', 'Rosa', 'Ruby', 'Samir', 'Santiago', 'Sienna', 'Sofia', 'Soo-ah', 'Tariq', 'Thandiwe',
	'Theo', 'Tomás', 'Valentina', 'Wei', 'Xavier', 'Yara', 'Yusuf', 'Zainab', 'Zoe'
];

// prettier-ignore
const FAMILY_NAMES = [
	'Abebe', 'Adeyemi', 'Alvarez', 'Andersen', 'Baker', 'Banerjee', 'Bello', 'Brooks', 'Castillo',
	'Chen', 'Cohen', 'Cruz', 'Diallo', 'Dubois', 'Edwards', 'Fernandez', 'Flores', 'Garcia',
	'Goldberg', 'Gupta', 'Haddad', 'Hernandez', 'Hoang', 'Ibrahim', 'Ito', 'Jackson', 'Jensen',
	'Johnson', 'Kamau', 'Kaur', 'Khan', 'Kim', 'Kowalski', 'Lee', 'Lopez', 'Mahmoud', 'Martinez',
	'Mensah', 'Moreau', 'Murphy', 'Nakamura', 'Nguyen', 'Novak', "O'Brien", 'Okonkwo', 'Ortiz',
	'Patel', 'Petrov', 'Quinn', 'Ramirez', 'Rossi', 'Said', 'Santos', 'Schmidt', 'Singh', 'Sullivan',
	'Tanaka', 'Thompson', 'Torres', 'Tran', 'Wang', 'Washington', 'Williams', 'Yamamoto', 'Yilmaz',
	'Zhang'
];

const COHORTS = ['Cedar', 'Maple', 'Birch'] as const;

/** How a student is doing this fortnight: drives playlist length, pace, scores and stuck moments. */
type Pace = 'ahead' | 'steady' | 'behind';

const PACE: Record<
	Pace,
	{
		playlist: [min: number, max: number];
		/** Playlist minutes on a typical day; the rest is groups, lunch, specials. */
		dailyMinutes: number;
		/** Multiplies an activity's estimated minutes. */
		speed: number;
		/** Assessment score as a fraction of the max, before noise. */
		score: [min: number, max: number];
		stuckChance: number;
		absentChance: number;
	}
> = {
	ahead: {
		playlist: [11, 14],
		dailyMinutes: 48,
		speed: 0.8,
		score: [0.75, 1],
		stuckChance: 0.04,
		absentChance: 0.02
	},
	steady: {
		playlist: [8, 12],
		dailyMinutes: 24,
		speed: 1,
		score: [0.55, 0.98],
		stuckChance: 0.12,
		absentChance: 0.04
	},
	behind: {
		playlist: [6, 9],
		dailyMinutes: 12,
		speed: 1.3,
		score: [0.35, 0.82],
		stuckChance: 0.3,
		absentChance: 0.1
	}
};

/** Students whose last event is 'stuck' right now, and whose hand is up right now. */
const STUCK_NOW = 7;
const HAND_UP_NOW = 2;

const DUTY_BLOCKS = [
	{ starts_at: '08:30', ends_at: '10:00', label: 'Morning block' },
	{ starts_at: '10:00', ends_at: '11:30', label: 'Mid-morning' },
	{ starts_at: '12:15', ends_at: '13:45', label: 'Afternoon' },
	{ starts_at: '13:45', ends_at: '15:00', label: 'Closing' }
];

// ---------------------------------------------------------------------------------------------

export async function hasAnyPod(db: Kysely<Database>): Promise<boolean> {
	const row = await db.selectFrom('pods').select('id').limit(1).executeTakeFirst();
	return row !== undefined;
}

/** Seeds Pod North with staff, 72 students, a library, playlists and a few days of history. */
export async function seedDemoPod(
	db: Kysely<Database>,
	options: { now?: Date } = {}
): Promise<{ podId: string }> {
	const now = options.now ?? new Date();
	const nowMs = now.getTime();
	const random = createRandom(20261118);
	const longAgo = new Date(nowMs - 60 * DAY).toISOString();

	// Demo accounts share one secret each, so the seed hashes twice instead of 76 times.
	const staffHash = await hashSecret(DEMO.staffPassword);
	const pictureHash = await hashSecret(pictureSecret(DEMO.pictures));

	const school: Insertable<Database['schools']> = {
		id: newId(),
		name: DEMO.schoolName,
		source_id: null,
		created_at: longAgo
	};
	const podId = newId();
	const pod: Insertable<Database['pods']> = {
		id: podId,
		school_id: school.id,
		name: DEMO.podName,
		grade_low: 4,
		grade_high: 6,
		join_code: DEMO.joinCode,
		timezone: TIMEZONE,
		school_week: JSON.stringify(
			[1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: SESSION_START, end: SESSION_END }))
		),
		students_per_adult: STUDENTS_PER_ADULT,
		flag_thresholds: JSON.stringify(FLAG_THRESHOLDS),
		created_at: longAgo
	};

	// Staff.
	const users: Insertable<Database['users']>[] = [];
	const podStaff: Insertable<Database['pod_staff']>[] = [];
	const assigners: string[] = [];
	let remoteId = '';
	for (const member of DEMO.staff) {
		const id = newId();
		users.push({
			id,
			kind: 'staff',
			given_name: member.givenName,
			family_name: member.familyName,
			email: member.email,
			password_hash: staffHash,
			picture_password_hash: null,
			is_admin: member.isAdmin ? 1 : 0,
			status: 'active',
			source_id: null,
			created_at: longAgo
		});
		if (member.podRole) {
			const remote = member.remoteTeacherOfRecord ? 1 : 0;
			podStaff.push({ pod_id: podId, user_id: id, role: member.podRole, teacher_of_record: remote, remote });
			if (remote) remoteId = id;
			// The playlists' history is the team in the room's; support staff never change one.
			else if (member.podRole !== 'support') assigners.push(id);
		}
	}

	// Students.
	const grades = random.shuffle([...repeat(4, 25), ...repeat(5, 23), ...repeat(6, 24)]);
	const paces = random.shuffle<Pace>([
		...repeat<Pace>('ahead', 12),
		...repeat<Pace>('steady', 42),
		...repeat<Pace>('behind', 18)
	]);
	const givenNames = random.shuffle([...GIVEN_NAMES]).slice(0, STUDENT_COUNT);
	const podStudents: Insertable<Database['pod_students']>[] = [];
	const students: { id: string; grade: number; pace: Pace }[] = [];
	for (let i = 0; i < STUDENT_COUNT; i++) {
		const id = newId();
		users.push({
			id,
			kind: 'student',
			given_name: givenNames[i],
			family_name: random.pick(FAMILY_NAMES),
			email: null,
			password_hash: null,
			picture_password_hash: pictureHash,
			is_admin: 0,
			status: 'active',
			source_id: null,
			created_at: longAgo
		});
		const cohort = random.chance(0.1) ? null : random.pick(COHORTS);
		podStudents.push({ pod_id: podId, user_id: id, grade_level: grades[i], cohort });
		students.push({ id, grade: grades[i], pace: paces[i] });
	}

	// Skills and the activity library.
	const skillIds = new Map<string, string>();
	const skills: Insertable<Database['skills']>[] = SKILLS.map((skill) => {
		const id = newId();
		skillIds.set(skill.code, id);
		return { id, pod_id: podId, ...skill };
	});
	const library = ACTIVITIES.map((def) => ({ id: newId(), def }));
	const activities: Insertable<Database['activities']>[] = library.map(({ id, def }) => ({
		id,
		pod_id: podId,
		title: def.title,
		subject: def.subject,
		kind: def.kind,
		grade_low: def.grades[0],
		grade_high: def.grades[1],
		estimated_minutes: def.minutes,
		resource_url: def.url ?? null,
		max_score: def.maxScore ?? null,
		archived_at: null,
		created_at: longAgo
	}));
	const activitySkills: Insertable<Database['activity_skills']>[] = library.flatMap(({ id, def }) =>
		def.skills.map((code) => ({
			activity_id: id,
			skill_id: requireValue(skillIds.get(code), code)
		}))
	);

	// The calendar: past school days with history, today (if school is under way), due dates.
	const clock = schoolClock(now);
	const days = clock.historyDays.map((date) => ({
		date,
		startMs: localTimeToUtcMs(date, SESSION_START),
		endMs: Math.min(localTimeToUtcMs(date, SESSION_END), nowMs)
	}));
	const planningDay = addDays(clock.historyDays[0] ?? clock.today, -1);
	// The room as last seen: now while school is in, else the bell of the last school day simulated.
	const lastDay = days.at(-1);
	const roomNow = new Date(lastDay?.endMs ?? nowMs);
	const dayStart = new Date(lastDay?.startMs ?? nowMs);
	const dueDays = {
		must: [2, 3, 4].map((n) => addDays(clock.monday, n)),
		should: [4, 7, 8, 9].map((n) => addDays(clock.monday, n)),
		aspire: [10, 11].map((n) => addDays(clock.monday, n))
	};

	// Which students end the history stuck (or with a hand up): steady or behind, never ahead.
	const strugglers = random.shuffle(students.filter((s) => s.pace !== 'ahead').map((s) => s.id));
	const stuckNow = new Set(strugglers.slice(0, STUCK_NOW));
	const handUpNow = new Set(strugglers.slice(STUCK_NOW, STUCK_NOW + HAND_UP_NOW));

	// Playlists and their history.
	const assignments: Insertable<Database['assignments']>[] = [];
	const events: Insertable<Database['progress_events']>[] = [];
	const checkSubmissions: Insertable<Database['check_submissions']>[] = [];
	const skillEvidence: Insertable<Database['skill_evidence']>[] = [];
	for (const student of students) {
		const pace = PACE[student.pace];
		const eligible = library.filter(
			({ def }) => def.grades[0] <= student.grade && student.grade <= def.grades[1]
		);
		const count = Math.min(eligible.length, random.int(pace.playlist[0], pace.playlist[1]));
		const chosen = random.shuffle([...eligible]).slice(0, count);
		const items = orderPlaylist(
			chosen.map((activity) => ({ activity, priority: priorityFor(activity.def.kind, random) })),
			random
		);
		const assignedBy = random.pick(assigners);
		const assignedAt = localTimeToUtcMs(planningDay, 15 * 60 + 30 + random.int(0, 90));

		const playlist = items.map((item, index) => ({
			id: newId(),
			activity: item.activity,
			priority: item.priority,
			position: index + 1,
			dueOn: random.pick(dueDays[item.priority]),
			events: [] as SimEvent[]
		}));

		simulateHistory(playlist, days, {
			pace: student.pace,
			ending: stuckNow.has(student.id) ? 'stuck' : handUpNow.has(student.id) ? 'help' : null,
			random
		});

		for (const item of playlist) {
			const occurred = item.events.map((e) => ({
				kind: e.kind,
				score: e.score,
				occurredAt: new Date(e.atMs).toISOString(),
				byTeacher: e.byTeacher ?? false,
				source:
					e.score === null
						? null
						: e.byTeacher
							? ('teacher' as const)
							: e.checked
								? ('checked' as const)
								: ('self' as const)
			}));
			const state = deriveAssignmentState(occurred, {
				kind: item.activity.def.kind,
				maxScore: item.activity.def.maxScore ?? null
			});
			assignments.push({
				id: item.id,
				pod_id: podId,
				student_id: student.id,
				activity_id: item.activity.id,
				position: item.position,
				priority: item.priority,
				due_on: item.dueOn,
				assigned_by: assignedBy,
				assigned_at: new Date(assignedAt).toISOString(),
				status: state.status,
				score: state.score,
				score_source: state.scoreSource,
				attempts: state.attempts,
				seconds_spent: state.secondsSpent,
				last_event_at: state.lastEventAt
			});
			for (const [index, event] of occurred.entries()) {
				// The device sends a moment later, never later than "now"; a teacher's mark is made on the
				// server, at once (and takes nothing from the random stream the rest of the history follows).
				const receivedMs = event.byTeacher
					? item.events[index].atMs
					: Math.min(item.events[index].atMs + random.int(300, 2500), nowMs);
				const eventId = newId();
				events.push({
					id: eventId,
					pod_id: podId,
					assignment_id: item.id,
					student_id: student.id,
					kind: event.kind,
					score: event.score,
					score_source: event.source,
					occurred_at: event.occurredAt,
					received_at: new Date(receivedMs).toISOString(),
					recorded_by: event.byTeacher ? assignedBy : null
				});
				if (event.score === null || event.source === null) continue;
				// What the score shows of each skill, as recording it would have stored (mastery over time).
				const demoCheck = DEMO_CHECKS[item.activity.def.title];
				let skillPercents: Map<string, number> | undefined;
				if (event.source === 'checked' && demoCheck) {
					const answers = answersScoring(demoCheck, event.score);
					const result = scoreCheck(demoCheck.check, answers);
					skillPercents = checkEvidence(
						demoCheck.check.items.map((checkItem, i) => ({
							skills: checkItem.skills.map((code) => requireValue(skillIds.get(code), code)),
							right: result.items[i].right
						}))
					);
					checkSubmissions.push({
						id: eventId,
						pod_id: podId,
						assignment_id: item.id,
						student_id: student.id,
						answers: JSON.stringify(answers),
						results: JSON.stringify(result.items),
						points: result.points,
						max_points: result.maxPoints,
						occurred_at: event.occurredAt,
						received_at: new Date(receivedMs).toISOString()
					});
				}
				const practised = item.activity.def.skills.map((code) => requireValue(skillIds.get(code), code));
				for (const [skillId, percent] of submissionEvidence(
					{ points: event.score, maxPoints: item.activity.def.maxScore ?? null },
					practised,
					skillPercents
				)) {
					skillEvidence.push({
						progress_event_id: eventId,
						skill_id: skillId,
						pod_id: podId,
						student_id: student.id,
						assignment_id: item.id,
						percent,
						source: event.source,
						occurred_at: event.occurredAt
					});
				}
			}
		}
	}

	const lastHelp = new Map<string, Insertable<Database['progress_events']>>();
	const dutyBlocks: Insertable<Database['duty_blocks']>[] = [1, 2, 3, 4, 5].flatMap((weekday) =>
		DUTY_BLOCKS.map((block) => ({ id: newId(), pod_id: podId, weekday, students_in: 1, ...block }))
	);

	await db.transaction().execute(async (trx) => {
		await insertRows(trx, 'schools', [school]);
		await insertRows(trx, 'pods', [pod]);
		await insertRows(trx, 'users', users);
		await insertRows(trx, 'pod_staff', podStaff);
		await insertRows(trx, 'pod_students', podStudents);
		await insertRows(trx, 'skills', skills);
		await insertRows(trx, 'activities', activities);
		await insertRows(trx, 'activity_skills', activitySkills);
		await insertRows(trx, 'assignments', assignments);
		await insertRows(trx, 'progress_events', events);
		await insertRows(
			trx,
			'activity_checks',
			library.flatMap(({ id, def }) =>
				DEMO_CHECKS[def.title]
					? [
							{
								activity_id: id,
								pod_id: podId,
								body: JSON.stringify(DEMO_CHECKS[def.title].check),
								updated_by: null,
								updated_at: longAgo
							}
						]
					: []
			)
		);
		await insertRows(trx, 'check_submissions', checkSubmissions);
		await insertRows(trx, 'skill_evidence', skillEvidence);
		await keepMastery(trx, pod, undefined, now);
		await insertRows(trx, 'duty_blocks', dutyBlocks);

		// The room as it is now: the hands still up join the help queue, and the flag rules run.
		const record: RecordPodEvent = (pod, kind, payload) => appendPodEvent(trx, pod, kind, payload, now);
		for (const event of events) {
			const last = lastHelp.get(event.student_id);
			if (
				event.kind === 'help' &&
				handUpNow.has(event.student_id) &&
				(!last || event.occurred_at > last.occurred_at)
			)
				lastHelp.set(event.student_id, event);
		}
		for (const hand of lastHelp.values()) {
			await raiseHand(
				trx,
				{ podId, studentId: hand.student_id, assignmentId: hand.assignment_id, askedAt: hand.occurred_at },
				record
			);
		}
		// The rules run as the room was last seen (now, in school; else the last school day's bell),
		// each flag dated when its rule would have raised it, within that school day; then the day's
		// end closes what it closes, at that bell, as the sweep would: seeded after school or on a
		// weekend, the demo opens with no hand "waiting 2 d".
		await evaluateFlags(trx, podId, record, { now: roomNow });
		await dateFlagsAsRaised(trx, podId, { dayStart, roomNow, assignments, hands: [...lastHelp.values()] });
		await closeTheDay(trx, podId, record, {
			pod: { timezone: TIMEZONE, school_week: pod.school_week },
			now: roomNow,
			daysOff: []
		});
		// This week's duties, as the rotation proposes them.
		await generateWeek(trx, { podId, weekOf: mondayOf(localParts(now).date) }, record);
		// The remote teacher of record's other pod, at another school.
		await seedRidgePod(trx, { now, staffHash, pictureHash, remoteId });
	});

	return { podId };
}

/**
 * Date each seeded flag when its rule would have raised it, as the sweep running all day would
 * have: a tapped "I'm stuck" and a low score at the event, idle, in progress too long and a hand
 * up too long once their minutes had passed; never before the school day or after the room was
 * last seen. So a hand's wait, its flag's time and the student's last event agree.
 */
async function dateFlagsAsRaised(
	trx: Transaction<Database>,
	podId: string,
	seen: {
		dayStart: Date;
		roomNow: Date;
		assignments: readonly Insertable<Database['assignments']>[];
		hands: readonly Insertable<Database['progress_events']>[];
	}
): Promise<void> {
	const limits = readThresholds(JSON.stringify(FLAG_THRESHOLDS));
	const work = new Map(seen.assignments.map((a) => [a.id, a]));
	const lastActive = new Map<string, string>();
	for (const a of seen.assignments)
		if (a.last_event_at && a.last_event_at > (lastActive.get(a.student_id) ?? ''))
			lastActive.set(a.student_id, a.last_event_at);
	const handUp = new Map(seen.hands.map((h) => [h.student_id, h.occurred_at]));
	const flags = await trx
		.selectFrom('flags')
		.select(['id', 'rule', 'student_id', 'assignment_id'])
		.where('pod_id', '=', podId)
		.execute();
	const after = (iso: string | null | undefined, minutes: number) =>
		iso ? Date.parse(iso) + minutes * MINUTE : seen.roomNow.getTime();
	for (const flag of flags) {
		const assignment = flag.assignment_id ? work.get(flag.assignment_id) : undefined;
		const raisedMs =
			flag.rule === 'stuck'
				? after(assignment?.last_event_at, assignment?.status === 'stuck' ? 0 : limits.stuckMinutes)
				: flag.rule === 'low_score'
					? after(assignment?.last_event_at, 0)
					: flag.rule === 'idle'
						? after(lastActive.get(flag.student_id), limits.idleMinutes)
						: flag.rule === 'hand_up'
							? after(handUp.get(flag.student_id), limits.handUpMinutes)
							: seen.roomNow.getTime();
		const created = Math.min(seen.roomNow.getTime(), Math.max(seen.dayStart.getTime(), raisedMs));
		await trx
			.updateTable('flags')
			.set({ created_at: new Date(created).toISOString() })
			.where('id', '=', flag.id)
			.execute();
	}
}

// ---------------------------------------------------------------------------------------------
// Playlists

type LibraryEntry = { id: string; def: ActivityDef };

function priorityFor(kind: ActivityKind, random: Random): Priority {
	switch (kind) {
		case 'assessment':
		case 'small_group':
			return random.chance(0.75) ? 'must' : 'should';
		case 'lesson':
			return random.chance(0.6) ? 'must' : 'should';
		case 'practice':
		case 'offline':
			return random.pick<Priority>(['must', 'should', 'should', 'aspire']);
		case 'project':
			return random.chance(0.5) ? 'should' : 'aspire';
	}
}

const PRIORITY_RANK: Record<Priority, number> = { must: 0, should: 1, aspire: 2 };
// Within a priority: learn it, practise it, then show it.
const KIND_RANK: Record<ActivityKind, number> = {
	lesson: 0,
	small_group: 1,
	practice: 1,
	offline: 1,
	project: 2,
	assessment: 3
};

function orderPlaylist<T extends { activity: LibraryEntry; priority: Priority }>(
	items: T[],
	random: Random
): T[] {
	const keyed = items.map((item) => ({
		item,
		key: PRIORITY_RANK[item.priority] * 10 + KIND_RANK[item.activity.def.kind] + random.next()
	}));
	keyed.sort((a, b) => a.key - b.key);
	const ordered = keyed.map((k) => k.item);
	// Musts come first mostly: now and then a teacher pulls a "should" up one place.
	for (let i = 1; i < ordered.length; i++) {
		if (ordered[i - 1].priority === 'must' && ordered[i].priority === 'should' && random.chance(0.15)) {
			[ordered[i - 1], ordered[i]] = [ordered[i], ordered[i - 1]];
		}
	}
	return ordered;
}

// ---------------------------------------------------------------------------------------------
// History: each student works down their playlist in one sitting a day.

interface SimEvent {
	kind: ProgressEventKind;
	score: number | null;
	atMs: number;
	/** A teacher's mark of the work (a verified score), not the student's own event. */
	byTeacher?: boolean;
	/** Answers to the activity's quick check, which Podboard scored. */
	checked?: boolean;
}

interface SimItem {
	activity: LibraryEntry;
	events: SimEvent[];
}

interface SchoolDayWindow {
	date: string;
	startMs: number;
	/** Session end, or "now" for today. */
	endMs: number;
}

function simulateHistory(
	playlist: SimItem[],
	days: SchoolDayWindow[],
	options: { pace: Pace; ending: 'stuck' | 'help' | null; random: Random }
): void {
	const { random, ending } = options;
	const pace = PACE[options.pace];
	const work = playlist.map((item) => ({
		remaining: Math.max(3, Math.round(item.activity.def.minutes * pace.speed * random.float(0.8, 1.2))),
		started: false,
		retried: false,
		stuckOnce: random.chance(pace.stuckChance)
	}));
	let current = 0;
	const emit = (item: SimItem, kind: ProgressEventKind, atMs: number, score: number | null = null) =>
		item.events.push({ kind, score, atMs });

	for (const [dayIndex, day] of days.entries()) {
		const lastDay = dayIndex === days.length - 1;
		if (random.chance(pace.absentChance) && !(lastDay && ending)) continue;
		// Leave room at the end of the last day for the stuck moment or raised hand.
		const endMs = lastDay && ending ? day.endMs - 25 * MINUTE : day.endMs;
		let budget = Math.round(pace.dailyMinutes * random.float(0.6, 1.4));
		const slack = Math.max(0, endMs - day.startMs - (budget + 15) * MINUTE);
		// Today, the work runs up to "now": the room is busy when the demo opens, not idle.
		let cursor = day.startMs + 5 * MINUTE + Math.floor((lastDay ? 1 : random.next()) * slack);

		while (budget >= 2 && current < playlist.length && endMs - cursor >= 2 * MINUTE) {
			const item = playlist[current];
			const state = work[current];
			const available = Math.floor((endMs - cursor) / MINUTE);
			let chunk = Math.min(state.remaining, budget, available);
			// Never leave a sliver of work for tomorrow.
			if (state.remaining - chunk < 2 && state.remaining <= available) chunk = state.remaining;
			if (chunk < 2) break;
			const chunkEnd = cursor + chunk * MINUTE;

			if (!state.started) {
				emit(item, 'start', cursor + random.int(0, 20) * 1000);
				state.started = true;
			}
			// A progress tick every 6–12 minutes, leaving room before the chunk ends.
			for (
				let tick = cursor + random.int(6, 12) * MINUTE;
				tick <= chunkEnd - 4 * MINUTE;
				tick += random.int(6, 12) * MINUTE
			) {
				const at = tick + random.int(0, 40) * 1000;
				if (state.stuckOnce) {
					state.stuckOnce = false;
					emit(item, 'stuck', at);
					// Now and then the student also raises a hand; the next tick shows them moving again.
					if (random.chance(0.2)) emit(item, 'help', at + random.int(60, 150) * 1000);
				} else {
					emit(item, 'progress', at);
				}
			}
			state.remaining -= chunk;
			budget -= chunk;
			cursor = chunkEnd;

			if (state.remaining > 0) {
				// Out of time today: the app saves where they were.
				emit(item, 'progress', Math.min(cursor + random.int(0, 30) * 1000, endMs));
				break;
			}
			const maxScore = item.activity.def.maxScore ?? null;
			const fraction = state.retried ? random.float(0.7, 1) : random.float(pace.score[0], pace.score[1]);
			const score = maxScore === null ? null : Math.round(maxScore * Math.min(1, fraction));
			const submittedAt = Math.min(cursor + random.int(0, 30) * 1000, endMs);
			// Most quizzes a teacher marks minutes after they are handed in (a verified score); the rest
			// the student checks against the key and types the score (self-reported). Chosen by the
			// quiz and the day, not by the random stream, so the rest of the history stays as it was.
			if (score !== null && item.activity.def.title in DEMO_CHECKS) {
				// A quiz with a quick check: the student answers it and Podboard scores it.
				item.events.push({ kind: 'submit', score, atMs: submittedAt, checked: true });
			} else if (score !== null && (item.activity.def.title.length + dayIndex) % 4 !== 0) {
				emit(item, 'submit', submittedAt);
				item.events.push({
					kind: 'submit',
					score,
					atMs: Math.min(submittedAt + 4 * MINUTE, endMs),
					byTeacher: true
				});
			} else {
				emit(item, 'submit', submittedAt, score);
			}
			cursor += random.int(2, 6) * MINUTE;

			// A low quiz score: some students take it again straight away, most move on.
			if (
				maxScore !== null &&
				score !== null &&
				score < maxScore * 0.8 &&
				!state.retried &&
				random.chance(0.35)
			) {
				state.retried = true;
				state.started = false;
				state.remaining = Math.max(3, Math.round(item.activity.def.minutes * 0.6));
			} else {
				current += 1;
			}
		}

		if (lastDay && ending && current < playlist.length) {
			const item = playlist[current];
			const startAt = Math.max(cursor, lastEventMs(playlist) + MINUTE);
			if (!work[current].started) emit(item, 'start', startAt);
			else emit(item, 'progress', startAt);
			emit(item, ending, startAt + random.int(6, 15) * MINUTE + random.int(0, 40) * 1000);
		}
	}
}

function lastEventMs(playlist: SimItem[]): number {
	return Math.max(0, ...playlist.flatMap((item) => item.events.map((event) => event.atMs)));
}

// ---------------------------------------------------------------------------------------------
// School calendar in the pod's time zone.

const localFormat = new Intl.DateTimeFormat('en-US', {
	timeZone: TIMEZONE,
	hourCycle: 'h23',
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit'
});

function localParts(at: Date): { date: string; minutes: number; utcMsAsLocal: number } {
	const parts = Object.fromEntries(localFormat.formatToParts(at).map((part) => [part.type, part.value]));
	const date = `${parts.year}-${parts.month}-${parts.day}`;
	const minutes = Number(parts.hour) * 60 + Number(parts.minute);
	const utcMsAsLocal = Date.parse(`${date}T00:00:00Z`) + (minutes * 60 + Number(parts.second)) * 1000;
	return { date, minutes, utcMsAsLocal };
}

/** Minutes the pod's clock is ahead of UTC on that date (−300 in New York winter). */
function utcOffsetMinutes(date: string): number {
	// Midday UTC is school hours in New York, well clear of the 2 a.m. daylight-saving switch.
	const probe = new Date(`${date}T16:00:00Z`);
	return Math.round((localParts(probe).utcMsAsLocal - probe.getTime()) / MINUTE);
}

/** A local date and 'HH:MM' (or minutes past midnight) in the pod's zone, as UTC epoch ms. */
function localTimeToUtcMs(date: string, time: string | number): number {
	const minutes = typeof time === 'number' ? time : toMinutes(time);
	return Date.parse(`${date}T00:00:00Z`) + (minutes - utcOffsetMinutes(date)) * MINUTE;
}

function toMinutes(hhmm: string): number {
	const [hours, minutes] = hhmm.split(':').map(Number);
	return hours * 60 + minutes;
}

function addDays(date: string, days: number): string {
	return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** 1 = Monday … 7 = Sunday, as in duty_blocks. */
function isoWeekday(date: string): number {
	return new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
}

function schoolClock(now: Date): { today: string; monday: string; historyDays: string[] } {
	const { date: today, minutes } = localParts(now);
	const weekday = isoWeekday(today);
	// On a weekend "this week" is the coming one.
	const monday = weekday <= 5 ? addDays(today, 1 - weekday) : addDays(today, 8 - weekday);
	const historyDays: string[] = [];
	for (let date = addDays(today, -1); historyDays.length < HISTORY_SCHOOL_DAYS; date = addDays(date, -1)) {
		if (isoWeekday(date) <= 5) historyDays.unshift(date);
	}
	// Today counts once school has run for half an hour.
	if (weekday <= 5 && minutes >= toMinutes(SESSION_START) + 30) historyDays.push(today);
	return { today, monday, historyDays };
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/** mulberry32: tiny, fast and good enough to make the same demo every time. */
function createRandom(seed: number) {
	let state = seed >>> 0;
	const next = (): number => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		float: (min: number, max: number): number => min + next() * (max - min),
		int: (min: number, max: number): number => min + Math.floor(next() * (max - min + 1)),
		chance: (p: number): boolean => next() < p,
		pick<T>(list: readonly T[]): T {
			return list[Math.floor(next() * list.length)];
		},
		shuffle<T>(list: T[]): T[] {
			for (let i = list.length - 1; i > 0; i--) {
				const j = Math.floor(next() * (i + 1));
				[list[i], list[j]] = [list[j], list[i]];
			}
			return list;
		}
	};
}
type Random = ReturnType<typeof createRandom>;

function repeat<T>(value: T, times: number): T[] {
	return Array.from({ length: times }, () => value);
}

function requireValue<T>(value: T | undefined, what: string): T {
	if (value === undefined) throw new Error(`Demo seed: unknown ${what}`);
	return value;
}

async function insertRows<T extends keyof Database & string>(
	trx: Transaction<Database>,
	table: T,
	rows: Insertable<Database[T]>[]
): Promise<void> {
	for (let i = 0; i < rows.length; i += CHUNK) {
		await trx
			.insertInto(table)
			.values(rows.slice(i, i + CHUNK))
			.execute();
	}
}
