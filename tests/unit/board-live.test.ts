import { describe, expect, it } from 'vitest';
import { actionFor } from '../../src/lib/dashboard/live';

const change = {
	assignmentId: 'as1',
	studentId: 's1',
	activityId: 'a1',
	status: 'in_progress',
	score: null,
	lastEventAt: '2025-03-03T10:42:07.000Z'
};

describe('what the board does with a live message', () => {
	it.each([
		[
			'progress changes those cells',
			{ kind: 'progress', payload: { studentIds: ['s1'], assignments: [change] } },
			{ kind: 'cells', changes: [change], studentIds: ['s1'] }
		],
		[
			'a score comes along',
			{
				kind: 'progress',
				payload: { studentIds: ['s1'], assignments: [{ ...change, status: 'mastered', score: 90 }] }
			},
			{ kind: 'cells', changes: [{ ...change, status: 'mastered', score: 90 }], studentIds: ['s1'] }
		],
		[
			'progress it cannot read reloads the board',
			{ kind: 'progress', payload: { studentIds: ['s1'], assignments: [{ ...change, status: 'done' }] } },
			{ kind: 'reload', studentIds: ['s1'] }
		],
		[
			'a changed playlist reloads the board',
			{ kind: 'playlist.changed', payload: { studentIds: ['s1', 's2'] } },
			{ kind: 'reload', studentIds: ['s1', 's2'] }
		],
		['a flag reloads the board', { kind: 'flag.raised', payload: {} }, { kind: 'reload', studentIds: [] }],
		[
			'a group reloads the board',
			{ kind: 'group.claimed', payload: null },
			{ kind: 'reload', studentIds: [] }
		],
		[
			'an unknown kind is ignored',
			{ kind: 'help.requested', payload: { studentIds: ['s1'] } },
			{ kind: 'ignore' }
		],
		['a kind that only starts like one is ignored', { kind: 'flagship', payload: {} }, { kind: 'ignore' }]
	])('%s', (_, message, action) => {
		expect(actionFor(message)).toEqual(action);
	});

	it('reads an empty progress message as no change', () => {
		expect(actionFor({ kind: 'progress', payload: {} })).toEqual({
			kind: 'cells',
			changes: [],
			studentIds: []
		});
	});
});
