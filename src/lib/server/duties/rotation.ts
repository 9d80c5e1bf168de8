// The duty rotation generator: a pure function of the team, the week's blocks, who is away and
// whose claimed groups meet when, so its guarantees are checked by property tests.
import type { Duty } from '../db/schema';

export interface RotationBlock {
	id: string;
	weekday: number;
	/** Local 'HH:MM'. */
	startsAt: string;
	endsAt: string;
	studentsIn: boolean;
}

export interface RotationInput {
	/** The pod's teachers (lead and team teachers), in a stable order (the tie-breaker). */
	teachers: readonly string[];
	/**
	 * The pod's support staff: whenever students are in, each one in holds the floor beside the
	 * teacher on it. They take no other duty here (the lead may give one by hand), and the split of
	 * duties stays among the teachers, as fair as before.
	 */
	support?: readonly string[];
	blocks: readonly RotationBlock[];
	/** Adults away for a block: no duty there. */
	unavailable: readonly { teacherId: string; blockId: string }[];
	/** A claimed group meets in this block: its owner runs it (small-group duty). */
	groupOwners: readonly { teacherId: string; blockId: string }[];
}

export interface DutyAssignment {
	blockId: string;
	teacherId: string;
	duty: Duty;
}

export interface Rotation {
	assignments: DutyAssignment[];
	/** What could not be honoured, in words the lead can act on. */
	problems: string[];
}

/** Duties other than the floor while students are in, rotated so each comes round. */
const WITH_STUDENTS: readonly Duty[] = ['small_group', 'conferences', 'observation'];

export const minutesOf = (block: Pick<RotationBlock, 'startsAt' | 'endsAt'>) => {
	const [sh, sm] = block.startsAt.split(':').map(Number);
	const [eh, em] = block.endsAt.split(':').map(Number);
	return Math.max(0, eh * 60 + em - (sh * 60 + sm));
};

/**
 * Propose a week of duties. Every available teacher gets exactly one duty in every block
 * (nobody double-booked, nobody idle); whenever students are in, at least one adult is on the
 * floor (a teacher, and the support staff who are in beside them); a claimed group's owner is on small-group duty in the group's block; and each duty
 * goes to the teacher who has had the fewest minutes of it so far, so the split is as even as
 * the blocks allow. With students out, everyone plans (common planning time); with students in,
 * a teacher free of the floor and of a group who has not planned yet that day plans then, so
 * every teacher with a free block in a day has planning time in it.
 */
export function generateRotation(input: RotationInput): Rotation {
	const assignments: DutyAssignment[] = [];
	const problems: string[] = [];
	const support = input.support ?? [];
	const minutes = new Map([...input.teachers, ...support].map((t) => [t, new Map<Duty, number>()]));
	const had = (teacher: string, duty: Duty) => minutes.get(teacher)!.get(duty) ?? 0;
	const away = new Set(input.unavailable.map((u) => `${u.teacherId}|${u.blockId}`));
	/** `weekday|teacher` for each teacher who has planning time that day already. */
	const plannedOn = new Set<string>();
	const ordered = [...input.blocks].sort(
		(a, b) => a.weekday - b.weekday || a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id)
	);

	ordered.forEach((block, index) => {
		const length = minutesOf(block);
		const give = (teacherId: string, duty: Duty) => {
			assignments.push({ blockId: block.id, teacherId, duty });
			if (duty === 'planning') plannedOn.add(`${block.weekday}|${teacherId}`);
			minutes.get(teacherId)!.set(duty, had(teacherId, duty) + length);
		};
		const present = input.teachers.filter((t) => !away.has(`${t}|${block.id}`));
		if (!block.studentsIn) {
			for (const teacher of present) give(teacher, 'planning');
			return;
		}
		const supportIn = support.filter((s) => !away.has(`${s}|${block.id}`));
		for (const adult of supportIn) give(adult, 'floor');
		if (present.length === 0) {
			if (supportIn.length) return;
			problems.push(
				`Nobody is in for ${dayName(block.weekday)} ${block.startsAt}–${block.endsAt}: students need an adult on the floor.`
			);
			return;
		}
		const owners = new Set(
			input.groupOwners
				.filter((g) => g.blockId === block.id && present.includes(g.teacherId))
				.map((g) => g.teacherId)
		);
		// The floor first: the fewest floor minutes so far, from those not running a group. Support
		// staff on the floor are beside that teacher, not instead: the help queue stays a teacher's.
		const notRunning = present.filter((t) => !owners.has(t));
		const floorFrom = notRunning.length ? notRunning : present;
		const floor = fewest(floorFrom, 'floor', had);
		if (owners.has(floor)) {
			problems.push(
				`${dayName(block.weekday)} ${block.startsAt}: the only adult in runs a group then; they are on the floor instead.`
			);
		}
		give(floor, 'floor');
		for (const owner of owners) if (owner !== floor) give(owner, 'small_group');

		// Planning time every day: whoever is free in this block and has not planned today plans
		// now (a day whose blocks all have students in would otherwise give nobody any).
		const free = present.filter((t) => t !== floor && !owners.has(t));
		const planners = free.filter((t) => !plannedOn.has(`${block.weekday}|${t}`));
		for (const teacher of planners) give(teacher, 'planning');
		// The others, a rotating choice of duties, each to whoever has had least of it.
		let rest = free.filter((t) => !planners.includes(t));
		const duties = rotate(WITH_STUDENTS, index);
		for (let i = 0; rest.length > 0; i++) {
			const duty = duties[i % duties.length];
			const teacher = fewest(rest, duty, had);
			give(teacher, duty);
			rest = rest.filter((t) => t !== teacher);
		}
	});
	return { assignments, problems };
}

function fewest(teachers: readonly string[], duty: Duty, had: (t: string, d: Duty) => number): string {
	let best = teachers[0];
	for (const t of teachers) if (had(t, duty) < had(best, duty)) best = t;
	return best;
}

const rotate = <T>(list: readonly T[], by: number): T[] => list.map((_, i) => list[(i + by) % list.length]);

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const dayName = (weekday: number) => DAYS[weekday - 1] ?? `Day ${weekday}`;
