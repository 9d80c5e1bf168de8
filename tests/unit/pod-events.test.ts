import { describe, expect, it } from 'vitest';
import { isPodEventKind, knownEvent, type PodEventMessage } from '../../src/lib/live/events';
import type { RecordPodEvent } from '../../src/lib/server/live/log';

describe('the kinds of pod event', () => {
	it.each([
		['progress', true],
		['flags.changed', true],
		['signIn.unlocked', true],
		['help.requested', false],
		['toString', false],
		['', false]
	])('knows %j: %s', (kind, known) => {
		expect(isPodEventKind(kind)).toBe(known);
	});

	it.each([
		['a kind of another version', { kind: 'plan.published', payload: { studentIds: ['s1'] } }, null],
		[
			'a known kind, its payload as sent',
			{ kind: 'help.changed', payload: { studentIds: ['s1'] } },
			{ kind: 'help.changed', payload: { studentIds: ['s1'] } }
		],
		['a payload that is no object', { kind: 'progress', payload: 'done' }, { kind: 'progress', payload: {} }],
		['a payload that is a list', { kind: 'progress', payload: ['s1'] }, { kind: 'progress', payload: {} }],
		['no payload at all', { kind: 'signIn.locked', payload: null }, { kind: 'signIn.locked', payload: {} }]
	])('reads %s', (_, received, known) => {
		expect(knownEvent(received)).toEqual(known);
	});

	it('records only the kinds the map names, each with its own payload', async () => {
		const recorded: unknown[] = [];
		const record = (async (podId: string, kind: string, payload: unknown) => {
			recorded.push({ podId, kind, payload });
			return { podId, seq: recorded.length, kind, payload: {}, at: '' };
		}) as RecordPodEvent;
		await record('p1', 'help.changed', { studentIds: ['s1'] });
		// @ts-expect-error -- a kind with no payload type is a compile error
		await record('p1', 'plan.published', { studentIds: ['s1'] });
		// @ts-expect-error -- and so is a payload of another shape
		await record('p1', 'signIn.locked', { studentIds: ['s1'] });
		expect(recorded).toHaveLength(3);
	});

	it('sends each kind with its own payload', () => {
		const message: PodEventMessage = {
			seq: 1,
			kind: 'signIn.locked',
			payload: { lockedStudentId: 's1' },
			at: ''
		};
		// @ts-expect-error -- a message's payload follows its kind
		const mixed: PodEventMessage = { seq: 2, kind: 'signIn.locked', payload: { studentIds: ['s1'] }, at: '' };
		expect([message.kind, mixed.kind]).toEqual(['signIn.locked', 'signIn.locked']);
	});
});
