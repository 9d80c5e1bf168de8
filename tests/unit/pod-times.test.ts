import { describe, expect, it } from 'vitest';
import { podTimeText } from '../../src/lib/pods/times';
import { concernsFor, type StudentForRules } from '../../src/lib/server/flags/rules';
import { DEFAULT_THRESHOLDS } from '../../src/lib/server/flags/thresholds';
import { podTime } from '../../src/lib/server/pods/clock';
import { USUAL_WEEK } from '../../src/lib/pods/school-week';

// A fixed clock: Monday 30 November 2026, 15:00 UTC. In New York (UTC−5) that is Monday 10:00;
// in Tokyo (UTC+9) Tuesday 00:00. A staff device may be in either: the time shown is the pod's.
const NOW = new Date('2026-11-30T15:00:00Z');
const NEW_YORK = 'America/New_York';
const TOKYO = 'Asia/Tokyo';

describe("a time, on the pod's wall clock", () => {
	it.each<[string, string, string, string]>([
		['this morning in New York', '2026-11-30T14:23:00Z', '09:23', 'Mon 23:23'],
		['Saturday evening in New York', '2026-11-29T00:23:00Z', 'Sat 19:23', 'Sun 09:23'],
		['just after midnight in Tokyo', '2026-11-30T15:00:00Z', '10:00', '00:00'],
		['a minute before midnight tonight in New York', '2026-12-01T04:59:00Z', '23:59', '13:59'],
		['Sunday night in New York, Monday in Tokyo', '2026-11-30T04:30:00Z', 'Sun 23:30', 'Mon 13:30'],
		['a week ago', '2026-11-23T19:05:00Z', 'Nov 23 14:05', 'Nov 24 04:05'],
		['last school year', '2025-06-10T14:12:00Z', 'Jun 10, 2025 10:12', 'Jun 10, 2025 23:12']
	])('%s (%s): New York reads %s, Tokyo %s', (_, at, newYork, tokyo) => {
		expect(podTimeText(at, NOW, NEW_YORK)).toBe(newYork);
		expect(podTimeText(new Date(at), NOW, TOKYO)).toBe(tokyo);
	});

	it('does not depend on the zone of the device or the server', () => {
		const before = process.env.TZ;
		const shown = () => podTimeText('2026-11-29T00:23:00Z', NOW, NEW_YORK);
		try {
			for (const zone of ['UTC', 'Asia/Tokyo', 'Pacific/Honolulu']) {
				process.env.TZ = zone;
				expect(shown()).toBe('Sat 19:23');
			}
		} finally {
			process.env.TZ = before;
		}
	});

	it("is how a flag's reason says it: 24-hour, with the day when it is not today", () => {
		// Stuck since Saturday evening, read on Monday morning in New York.
		const pod = { timezone: NEW_YORK, school_week: JSON.stringify(USUAL_WEEK) };
		const student: StudentForRules = {
			id: 's1',
			assignments: [
				{
					id: 'a1',
					title: 'Decimals',
					kind: 'practice',
					priority: 'should',
					status: 'stuck',
					score: null,
					lastEventAt: '2026-11-29T00:23:00Z'
				}
			],
			handUpSince: null,
			inGroupSession: false
		};
		const stuck = concernsFor(student, DEFAULT_THRESHOLDS, podTime(pod, NOW)).find((c) => c.rule === 'stuck');
		expect(stuck?.reason).toBe('Tapped “I’m stuck” on Decimals at Sat 19:23');
	});
});
