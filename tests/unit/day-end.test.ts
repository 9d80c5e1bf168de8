import { describe, expect, it } from 'vitest';
import { USUAL_WEEK } from '../../src/lib/pods/school-week';
import type { DayOff } from '../../src/lib/server/calendar/school-days';
import { dayClosedBefore, zonedInstant } from '../../src/lib/server/pods/clock';

// What the end of the school day has closed (issue 19): a pod in New York, school 08:30–15:00
// Monday to Friday. Whatever went up before the instant dayClosedBefore answers is closed.
const pod = { timezone: 'America/New_York', school_week: JSON.stringify(USUAL_WEEK) };
const local = (date: string, hhmm: string) => zonedInstant(date, hhmm, pod.timezone);
const STAFF_DAY: DayOff = { firstDay: '2026-11-19', lastDay: '2026-11-19', name: 'Staff day' };

describe('dayClosedBefore', () => {
	it.each<[string, Date, DayOff[], Date]>([
		['in school: what went up before today', local('2026-11-18', '10:00'), [], local('2026-11-18', '00:00')],
		[
			'before school: what went up before today',
			local('2026-11-18', '07:00'),
			[],
			local('2026-11-18', '00:00')
		],
		['at the bell: today’s school day too', local('2026-11-18', '15:00'), [], local('2026-11-18', '15:00')],
		[
			'in the evening: still today’s school day, not the evening',
			local('2026-11-18', '21:00'),
			[],
			local('2026-11-18', '15:00')
		],
		['Saturday: Friday and before', local('2026-11-21', '10:00'), [], local('2026-11-21', '00:00')],
		[
			'Monday morning: the weekend and before',
			local('2026-11-23', '08:00'),
			[],
			local('2026-11-23', '00:00')
		],
		[
			'a day off in the afternoon: what went up before it',
			local('2026-11-19', '16:00'),
			[STAFF_DAY],
			local('2026-11-19', '00:00')
		],
		['summer time (EDT), after school', local('2026-06-10', '15:30'), [], new Date('2026-06-10T19:00:00Z')]
	])('%s', (_name, now, daysOff, closedBefore) => {
		expect(dayClosedBefore(pod, now, daysOff).toISOString()).toBe(closedBefore.toISOString());
	});

	it('reads school hours in the pod’s time zone, not the server’s: 15:00 UTC is 10:00 in New York', () => {
		expect(dayClosedBefore(pod, new Date('2026-11-18T15:00:00Z')).toISOString()).toBe(
			'2026-11-18T05:00:00.000Z'
		);
	});
});
