import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/lib/server/calendar/school-days';
import { daysOffFromTerms } from '../../src/lib/server/calendar/terms';
import { parseAcademicSessions, type AcademicSession } from '../../src/lib/server/roster/oneroster/parse';

const session = (
	overrides: Partial<AcademicSession> & Pick<AcademicSession, 'sourcedId' | 'type'>
): AcademicSession => ({
	status: 'active',
	line: 2,
	title: overrides.sourcedId,
	startDate: '2026-08-24',
	endDate: '2027-06-11',
	parentSourcedId: null,
	schoolYear: '2027',
	...overrides
});

const YEAR = session({
	sourcedId: 'y27',
	type: 'schoolYear',
	title: '2026–27',
	startDate: '2026-08-24',
	endDate: '2027-06-11'
});
const FALL = session({
	sourcedId: 'fall',
	type: 'semester',
	title: 'Fall',
	startDate: '2026-08-26',
	endDate: '2026-12-18',
	parentSourcedId: 'y27'
});
const SPRING = session({
	sourcedId: 'spring',
	type: 'semester',
	title: 'Spring',
	startDate: '2027-01-05',
	endDate: '2027-06-04',
	parentSourcedId: 'y27'
});

describe('daysOffFromTerms', () => {
	it('reads a real export: the long weekend between its semesters', () => {
		const text = readFileSync('tests/fixtures/oneroster/sis-export/academicSessions.csv', 'utf8');
		const { sessions, errors } = parseAcademicSessions(new Map([['academicSessions.csv', text]]));
		expect(errors).toEqual([]);
		expect(daysOffFromTerms(sessions)).toEqual([
			{
				firstDay: '2027-01-16',
				lastDay: '2027-01-18',
				name: 'Between Fall 2026 and Spring 2027',
				key: 'between:a1b2c3d4-0002-4000-8000-000000002027:a1b2c3d4-0003-4000-8000-000000002027'
			}
		]);
	});

	it('the days of a school year outside its terms: before, between and after', () => {
		expect(
			daysOffFromTerms([SPRING, YEAR, FALL]).map(({ firstDay, lastDay, name }) => [firstDay, lastDay, name])
		).toEqual([
			['2026-08-24', '2026-08-25', 'Before Fall'],
			['2026-12-19', '2027-01-04', 'Between Fall and Spring'],
			['2027-06-05', '2027-06-11', 'After Spring']
		]);
	});

	it('a summer between two school years, and nothing before the first or after the last', () => {
		const next = session({
			sourcedId: 'y28',
			type: 'schoolYear',
			title: '2027–28',
			startDate: '2027-08-23',
			endDate: '2028-06-09',
			schoolYear: '2028'
		});
		expect(daysOffFromTerms([YEAR, next])).toEqual([
			{
				firstDay: '2027-06-12',
				lastDay: '2027-08-22',
				name: 'Between 2026–27 and 2027–28',
				key: 'between:y27:y28'
			}
		]);
	});

	it('ignores grading periods, rows being deleted and rows without dates', () => {
		const quarter = session({
			sourcedId: 'q1',
			type: 'gradingPeriod',
			startDate: '2026-09-01',
			endDate: '2026-10-30',
			parentSourcedId: 'fall'
		});
		const gone = session({
			sourcedId: 'old',
			type: 'semester',
			status: 'tobedeleted',
			startDate: '2026-08-24',
			endDate: '2026-08-25',
			parentSourcedId: 'y27'
		});
		const undated = session({ sourcedId: 'x', type: 'term', startDate: '', endDate: '' });
		expect(daysOffFromTerms([YEAR, FALL, SPRING, quarter, gone, undated])).toEqual(
			daysOffFromTerms([YEAR, FALL, SPRING])
		);
	});

	it('terms that overlap or touch leave no gap between them', () => {
		const q1 = session({
			sourcedId: 'q1',
			type: 'term',
			startDate: '2026-08-24',
			endDate: '2026-11-06',
			parentSourcedId: 'y27'
		});
		const q2 = session({
			sourcedId: 'q2',
			type: 'term',
			startDate: '2026-11-07',
			endDate: '2027-02-01',
			parentSourcedId: 'y27'
		});
		const s1 = session({
			sourcedId: 's1',
			type: 'semester',
			startDate: '2026-08-24',
			endDate: '2027-06-11',
			parentSourcedId: 'y27'
		});
		expect(daysOffFromTerms([YEAR, q1, q2, s1])).toEqual([]);
	});

	it('terms without a school year: the gaps between them', () => {
		const a = session({
			sourcedId: 'a',
			type: 'term',
			title: 'Term 1',
			startDate: '2026-09-01',
			endDate: '2026-10-16'
		});
		const b = session({
			sourcedId: 'b',
			type: 'term',
			title: 'Term 2',
			startDate: '2026-10-26',
			endDate: '2026-12-18'
		});
		expect(daysOffFromTerms([b, a])).toEqual([
			{ firstDay: '2026-10-17', lastDay: '2026-10-25', name: 'Between Term 1 and Term 2', key: 'between:a:b' }
		]);
	});

	it('a school year’s every day is in a term or a day off, never both', () => {
		const day = fc.integer({ min: 0, max: 290 });
		const term = fc.tuple(day, day).map(([a, b]) =>
			session({
				sourcedId: 'renamed below',
				type: 'semester',
				startDate: addDays(YEAR.startDate, Math.min(a, b)),
				endDate: addDays(YEAR.startDate, Math.max(a, b)),
				parentSourcedId: 'y27'
			})
		);
		fc.assert(
			fc.property(fc.array(term, { minLength: 1, maxLength: 6 }), (drawn) => {
				const terms = drawn.map((t, i) => ({ ...t, sourcedId: `t${i}` }));
				const off = daysOffFromTerms([YEAR, ...terms]);
				for (let d = YEAR.startDate; d <= YEAR.endDate; d = addDays(d, 1)) {
					const inTerm = terms.some((t) => t.startDate <= d && d <= t.endDate);
					const inDayOff = off.some((o) => o.firstDay <= d && d <= o.lastDay);
					expect(inTerm !== inDayOff, d).toBe(true);
				}
				expect(new Set(off.map((o) => o.key)).size).toBe(off.length);
			}),
			{ numRuns: 60 }
		);
	});
});
