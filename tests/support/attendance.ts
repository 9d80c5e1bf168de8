// The school day a test marks attendance on, whatever day the suite runs: the demo pod's week is
// Monday to Friday in New York with no day off, so the latest weekday there on or before today.
export function lastSchoolDay(now = new Date()): string {
	const today = now.toLocaleDateString('en-CA', { timeZone: 'America/New_York' });
	const at = new Date(`${today}T12:00:00Z`);
	while (at.getUTCDay() === 0 || at.getUTCDay() === 6) at.setUTCDate(at.getUTCDate() - 1);
	return at.toISOString().slice(0, 10);
}
