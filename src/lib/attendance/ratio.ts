// The room's ratio of students to adults: one function, read by the server's attendance and by the
// board as marks arrive, so the line a teacher reads and the warning always agree. Browser-safe.

export interface RoomRatio {
	/** Students on the roster not marked absent today (late ones are in). */
	studentsPresent: number;
	/** Adults marked in and not yet out. */
	adultsIn: number;
	/** The pod's required ratio: at most this many students per adult (null: none set). */
	limit: number | null;
	/** Students per adult now, to one decimal; null with no adult in. */
	perAdult: number | null;
	/** More students per adult than the pod allows, or students with no adult at all. */
	broken: boolean;
	/** How many more adults would mend it (0 when it holds). */
	adultsShort: number;
	/** The line the board shows, and the warning when it is broken. */
	words: string;
}

const students = (n: number) => `${n} ${n === 1 ? 'student' : 'students'}`;
const adults = (n: number) => `${n} ${n === 1 ? 'adult' : 'adults'}`;

export function roomRatio(studentsPresent: number, adultsIn: number, limit: number | null): RoomRatio {
	const perAdult = adultsIn > 0 ? Math.round((studentsPresent / adultsIn) * 10) / 10 : null;
	const needed = limit ? Math.ceil(studentsPresent / limit) : studentsPresent > 0 ? 1 : 0;
	const adultsShort = Math.max(0, needed - adultsIn);
	const broken = adultsShort > 0;
	const allowed = limit ? ` (this pod allows ${limit})` : '';
	let words: string;
	if (adultsIn === 0) {
		words = studentsPresent
			? `${students(studentsPresent)} present and no adult marked in${allowed}: ${adults(adultsShort)} needed.`
			: 'No students present and no adult marked in.';
	} else {
		words = `${students(studentsPresent)} present, ${adults(adultsIn)} in: ${perAdult} per adult${allowed}.`;
		if (broken)
			words += ` Ratio broken: ${adultsShort === 1 ? 'one more adult is' : `${adultsShort} more adults are`} needed.`;
	}
	return { studentsPresent, adultsIn, limit, perAdult, broken, adultsShort, words };
}
