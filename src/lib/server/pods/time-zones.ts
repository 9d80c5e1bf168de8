// The time zones a pod may keep its hours in: the IANA zones this server knows.

/** Every zone the server's ICU knows, and UTC (which V8 leaves off its list), sorted. */
export const TIME_ZONES: readonly string[] = [
	...new Set(['UTC', ...Intl.supportedValuesOf('timeZone')])
].sort();

const LOOKS_LIKE_A_ZONE = /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/;

/**
 * The zone's own spelling ("america/new_york" → "America/New_York"), or null when no clock
 * knows it. Names the list leaves out but ICU still knows (an old alias) are kept as ICU spells them.
 */
export function canonicalTimeZone(name: string): string | null {
	if (!LOOKS_LIKE_A_ZONE.test(name)) return null;
	try {
		return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
	} catch {
		return null;
	}
}

/** The server's own zone, which a new pod starts with: most schools run their server nearby. */
export function serverTimeZone(): string {
	const zone = canonicalTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
	return zone && TIME_ZONES.includes(zone) ? zone : 'UTC';
}
