import { describe, expect, it } from 'vitest';
import { actionFor } from '../../src/lib/dashboard/live';

const change = {
	assignmentId: 'as1',
	studentId: 's1',
	activityId: 'a1',
	status: 'in_progress',
	score: null,
	scoreSource: null,
	lastEventAt: '2025-03-03T10:42:07.000Z'
};

describe('what the board does with a live message', () => {
	it.each([
		[
			'progress changes those cells',
			{ kind: 'progress', payload: { studentIds: ['s1'], assignments: [change] } },
			{ kind: 'cells', changes: [change], mastery: [], studentIds: ['s1'] }
		],
		[
			'mastery comes along with scored work: each named student’s whole mastery',
			{
				kind: 'progress',
				payload: {
					studentIds: ['s1'],
					assignments: [change],
					mastery: [{ studentId: 's1', skills: { k1: 72, k2: 30 } }]
				}
			},
			{
				kind: 'cells',
				changes: [change],
				mastery: [{ studentId: 's1', skills: { k1: 72, k2: 30 } }],
				studentIds: ['s1']
			}
		],
		[
			'mastery it cannot read reloads the board',
			{
				kind: 'progress',
				payload: {
					studentIds: ['s1'],
					assignments: [change],
					mastery: [{ studentId: 's1', skills: { k1: 'high' } }]
				}
			},
			{ kind: 'reload', studentIds: ['s1'] }
		],
		[
			'new mastery rules reload the board',
			{ kind: 'mastery.rulesChanged', payload: { studentIds: [] } },
			{ kind: 'reload', studentIds: [] }
		],
		[
			'an observation that marked a skill reloads the board for its student',
			{ kind: 'observation.recorded', payload: { studentIds: [], studentId: 's1', evidence: true } },
			{ kind: 'reload', studentIds: ['s1'] }
		],
		[
			'an observation with no skill changes no cell',
			{ kind: 'observation.recorded', payload: { studentIds: [], studentId: 's1', evidence: false } },
			{ kind: 'ignore' }
		],
		[
			'a score comes along',
			{
				kind: 'progress',
				payload: {
					studentIds: ['s1'],
					assignments: [{ ...change, status: 'mastered', score: 90, scoreSource: 'checked' }]
				}
			},
			{
				kind: 'cells',
				changes: [{ ...change, status: 'mastered', score: 90, scoreSource: 'checked' }],
				mastery: [],
				studentIds: ['s1']
			}
		],
		[
			'a score of a source it does not know is read without one',
			{
				kind: 'progress',
				payload: { studentIds: ['s1'], assignments: [{ ...change, score: 90, scoreSource: 'rumour' }] }
			},
			{
				kind: 'cells',
				changes: [{ ...change, score: 90, scoreSource: null }],
				mastery: [],
				studentIds: ['s1']
			}
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
		[
			"changed flags carry each student's open count",
			{ kind: 'flags.changed', payload: { studentIds: ['s1', 's2'], openFlags: { s1: 2, s2: 0 } } },
			{ kind: 'flags', openFlags: { s1: 2, s2: 0 }, studentIds: ['s1', 's2'] }
		],
		[
			'flags without a readable count reload the board',
			{ kind: 'flags.changed', payload: { studentIds: ['s1'], openFlags: { s1: 'two' } } },
			{ kind: 'reload', studentIds: ['s1'] }
		],
		[
			'a group reloads the board (who is in which group)',
			{ kind: 'groups.changed', payload: { studentIds: ['s1'] } },
			{ kind: 'reload', studentIds: ['s1'] }
		],
		[
			"a raised hand is not the grid's to show",
			{ kind: 'help.changed', payload: { studentIds: ['s1'] } },
			{ kind: 'ignore' }
		],
		['an unknown kind is ignored', { kind: 'flagship', payload: {} }, { kind: 'ignore' }]
	])('%s', (_, message, action) => {
		expect(actionFor(message)).toEqual(action);
	});

	it('reads an empty progress message as no change', () => {
		expect(actionFor({ kind: 'progress', payload: {} })).toEqual({
			kind: 'cells',
			changes: [],
			mastery: [],
			studentIds: []
		});
	});
});
