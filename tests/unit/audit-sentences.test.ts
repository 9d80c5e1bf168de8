import { describe, expect, it } from 'vitest';
import { actionWords, auditSentence, recordWords, type AuditLine } from '../../src/lib/audit/sentences';

// The audit log reads as sentences with names, from one function over the actions the server records.

const ANA = '11111111-1111-4111-8111-111111111111';
const BEN = '22222222-2222-4222-8222-222222222222';
const GROUP = '33333333-3333-4333-8333-333333333333';
const names = { [ANA]: 'Ana Ruiz', [BEN]: 'Ben Kim', [GROUP]: 'Fractions catch-up' };

const line = (action: string, entity: string, more: Partial<AuditLine> = {}): AuditLine => ({
	actor: 'Maya Okafor',
	action,
	entity,
	entityId: null,
	subject: null,
	detail: {},
	...more
});

describe('auditSentence', () => {
	it.each([
		[
			line('unlock', 'signIn', { entityId: ANA, detail: { students: 1 } }),
			'Maya Okafor unlocked sign-in for Ana Ruiz.'
		],
		[
			line('unlock', 'signIn', { detail: { students: 'all' } }),
			'Maya Okafor unlocked sign-in for everyone in the pod.'
		],
		[
			line('issue', 'sign_in_card', { detail: { cards: [{ cardId: BEN, studentId: ANA }] } }),
			'Maya Okafor made a new sign-in card for Ana Ruiz.'
		],
		[
			line('issue', 'sign_in_card', { detail: { cards: [{ studentId: ANA }, { studentId: BEN }] } }),
			'Maya Okafor made new sign-in cards for 2 students.'
		],
		[
			line('void', 'sign_in_card', { detail: { studentId: ANA } }),
			'Maya Okafor voided Ana Ruiz’s sign-in card.'
		],
		[
			line('read', 'student', { entityId: ANA, subject: 'Ana Ruiz', detail: { in: 'the student panel' } }),
			'Maya Okafor opened Ana Ruiz’s record in the student panel.'
		],
		[line('claim', 'group', { entityId: GROUP }), 'Maya Okafor claimed the group “Fractions catch-up”.'],
		[
			line('handOff', 'group', { entityId: GROUP, detail: { to: BEN } }),
			'Maya Okafor handed the group “Fractions catch-up” to Ben Kim.'
		],
		[
			line('raise', 'flag', { detail: { studentIds: [ANA], reason: 'Check in after lunch' } }),
			'Maya Okafor flagged Ana Ruiz: “Check in after lunch”.'
		],
		[line('signIn', 'session', { detail: { as: 'staff' } }), 'Maya Okafor signed in.'],
		[
			line('generate', 'duties', { detail: { weekOf: '2026-11-23' } }),
			'Maya Okafor generated the duties for the week of 2026-11-23.'
		],
		// A record since deleted leaves its kind, never its id.
		[line('claim', 'group', { entityId: BEN.replace('2', '9') }), 'Maya Okafor claimed the group “a group”.'],
		// An action the list does not know yet still reads as words.
		[
			line('somethingNew', 'help_request', { entityId: ANA }),
			'Maya Okafor something new: hands up, Ana Ruiz.'
		]
	])('entry %# reads as a sentence', (entry, sentence) => {
		expect(auditSentence(entry, names)).toBe(sentence);
	});

	it('names filters in words', () => {
		expect([actionWords('bulk_assign'), recordWords('sign_in_card'), recordWords('signIn')]).toEqual([
			'Assigned to many',
			'Sign-in cards',
			'Sign-in locks'
		]);
	});
});
