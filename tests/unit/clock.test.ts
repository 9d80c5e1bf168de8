import { describe, expect, it } from 'vitest';
import { endOfSchoolDay, localParts, zonedInstant } from '../../src/lib/server/pods/clock';
import { USUAL_WEEK } from '../../src/lib/pods/school-week';

describe('pod clock', () => {
	it.each([
		['winter, New York', '2026-11-23', '15:00', 'America/New_York', '2026-11-23T20:00:00.000Z'],
		['summer, New York', '2026-06-10', '08:30', 'America/New_York', '2026-06-10T12:30:00.000Z'],
		['Kolkata half-hour offset', '2026-11-23', '09:00', 'Asia/Kolkata', '2026-11-23T03:30:00.000Z'],
		['UTC', '2026-11-23', '09:00', 'UTC', '2026-11-23T09:00:00.000Z']
	])('%s: %s %s is %s', (_name, date, time, zone, expected) => {
		expect(zonedInstant(date, time, zone).toISOString()).toBe(expected);
	});

	it('reads the local date, time and weekday', () => {
		expect(localParts(new Date('2026-11-24T02:00:00Z'), 'America/New_York')).toEqual({
			date: '2026-11-23',
			time: '21:00',
			weekday: 1
		});
	});

	it('ends a student session half an hour after school, or two hours on when school is out', () => {
		const pod = { timezone: 'America/New_York', school_week: JSON.stringify(USUAL_WEEK) };
		expect(endOfSchoolDay(pod, new Date('2026-11-23T14:00:00Z')).toISOString()).toBe(
			'2026-11-23T20:30:00.000Z'
		);
		expect(endOfSchoolDay(pod, new Date('2026-11-23T22:00:00Z')).toISOString()).toBe(
			'2026-11-24T00:00:00.000Z'
		);
	});
});
