// How "Assign to many" reads to a teacher. Browser-safe and pure.

const students = (n: number): string => (n === 1 ? '1 student' : `${n} students`);

/** "12 students will get Quiz: adding fractions; 3 already have it". */
export function previewSentence(title: string, willGet: number, alreadyHave: number): string {
	const already = alreadyHave === 1 ? '1 already has it' : `${alreadyHave} already have it`;
	if (willGet === 0) {
		return alreadyHave === 0
			? `Nobody would get ${title}`
			: `Nobody new would get ${title}; ${alreadyHave === 1 ? 'the 1 student already has it' : `all ${alreadyHave} already have it`}`;
	}
	const will = `${students(willGet)} will get ${title}`;
	return alreadyHave === 0 ? will : `${will}; ${already}`;
}

/** "Assigned Quiz: adding fractions to 12 students (3 already had it)". */
export function assignedSentence(title: string, got: number, alreadyHad: number): string {
	if (got === 0) return `Nobody new got ${title}`;
	const had = alreadyHad === 0 ? '' : ` (${alreadyHad} already had it)`;
	return `Assigned ${title} to ${students(got)}${had}`;
}
