import { describe, expect, it } from 'vitest';
import {
	arrangeForStudent,
	statusWithPending,
	workingOn,
	type StudentItem
} from '../../src/lib/playlists/student-view';

const item = (
	id: string,
	position: number,
	priority: StudentItem['priority'],
	status: StudentItem['status']
): StudentItem => ({
	id,
	position,
	priority,
	status
});

describe('the item a raised hand is about', () => {
	const at = (id: string, status: StudentItem['status'], lastEventAt: string | null) => ({
		...item(id, 1, 'must', status),
		lastEventAt
	});
	it.each([
		[
			'the stuck item the student touched last, not the next one in the order',
			[at('first', 'in_progress', '2026-11-23T09:00:00Z'), at('later', 'stuck', '2026-11-23T09:20:00Z')],
			'later'
		],
		[
			'the one worked on last of two under way',
			[at('a', 'stuck', '2026-11-23T09:00:00Z'), at('b', 'in_progress', '2026-11-23T09:05:00Z')],
			'b'
		],
		['none when nothing is under way', [at('a', 'not_started', null), at('b', 'submitted', null)], null]
	])('%s', (_name, items, on) => {
		expect(workingOn(items)?.id ?? null).toBe(on);
	});
});

describe('the student’s view of a playlist', () => {
	it('puts must-dos first, keeps the team’s order within a priority, and done work last', () => {
		const { todo, done } = arrangeForStudent([
			item('aspire', 1, 'aspire', 'not_started'),
			item('should', 2, 'should', 'not_started'),
			item('must-2', 4, 'must', 'not_started'),
			item('must-1', 3, 'must', 'not_started'),
			item('finished', 5, 'must', 'submitted'),
			item('mastered', 0, 'should', 'mastered')
		]);
		expect(todo.map((i) => i.id)).toEqual(['must-1', 'must-2', 'should', 'aspire']);
		expect(done.map((i) => i.id)).toEqual(['mastered', 'finished']);
	});

	it.each([
		[
			'the first must-do when nothing is under way',
			[item('a', 1, 'should', 'not_started'), item('b', 2, 'must', 'not_started')],
			'b'
		],
		[
			'work already under way',
			[item('a', 1, 'must', 'not_started'), item('b', 2, 'should', 'in_progress')],
			'b'
		],
		[
			'stuck work, so the student can say they are no longer stuck',
			[item('a', 1, 'must', 'not_started'), item('b', 2, 'aspire', 'stuck')],
			'b'
		],
		['nothing when all is done', [item('a', 1, 'must', 'submitted')], null]
	])('says what is next: %s', (_name, items, next) => {
		expect(arrangeForStudent(items).next?.id ?? null).toBe(next);
	});

	it.each([
		['not_started', ['start'], 'in_progress'],
		['in_progress', ['stuck'], 'stuck'],
		['stuck', ['progress'], 'in_progress'],
		['not_started', ['start', 'submit'], 'submitted'],
		['mastered', ['start'], 'mastered'],
		['mastered', ['submit'], 'mastered'],
		['submitted', ['stuck'], 'submitted'],
		['in_progress', ['help'], 'in_progress'],
		['not_started', ['help'], 'not_started'],
		['submitted', ['undo_submit'], 'in_progress'],
		['in_progress', ['submit', 'undo_submit'], 'in_progress'],
		['in_progress', [], 'in_progress']
	] as const)('shows %s + waiting %j as %s', (status, pending, shown) => {
		expect(statusWithPending(status, pending)).toBe(shown);
	});
});
