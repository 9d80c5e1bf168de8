import { describe, expect, it } from 'vitest';
import {
	invitationState,
	leavesNoAdmin,
	leavesNoLead,
	splitName,
	type TeamMember
} from '../../src/lib/server/staff/rules';
import { passwordProblem } from '../../src/lib/staff/passwords';

describe('a name as given and family names', () => {
	it.each([
		['Maya Okafor', 'Maya', 'Okafor'],
		['  Mary Ann   Smith ', 'Mary Ann', 'Smith'],
		['Cher', 'Cher', ''],
		['Nguyễn Thị Lan', 'Nguyễn Thị', 'Lan']
	])('%s → %s / %s', (name, givenName, familyName) => {
		expect(splitName(name)).toEqual({ givenName, familyName });
	});
});

const member = (userId: string, role: TeamMember['role'], active = true): TeamMember => ({
	userId,
	role,
	active
});

describe("a pod's only lead", () => {
	it.each([
		['removing the only lead', [member('maya', 'lead'), member('dan', 'teacher')], 'maya', null, true],
		['making the only lead a teacher', [member('maya', 'lead')], 'maya', 'teacher', true],
		['keeping the only lead a lead', [member('maya', 'lead')], 'maya', 'lead', false],
		['removing one of two leads', [member('maya', 'lead'), member('priya', 'lead')], 'maya', null, false],
		['removing a teacher', [member('maya', 'lead'), member('dan', 'teacher')], 'dan', null, false],
		[
			'removing the one active lead beside a switched-off one',
			[member('maya', 'lead'), member('old', 'lead', false)],
			'maya',
			null,
			true
		],
		['a pod that never had a lead', [member('dan', 'teacher')], 'dan', null, false]
	] as const)('%s → refused: %s', (_what, team, userId, becomes, refused) => {
		expect(leavesNoLead(team, { userId, becomes })).toBe(refused);
	});
});

describe('the last admin', () => {
	it.each([
		[['ada'], 'ada', true],
		[['ada', 'bo'], 'ada', false],
		[['ada'], 'bo', false]
	])('admins %j losing %s → refused: %s', (admins, losing, refused) => {
		expect(leavesNoAdmin(admins, losing)).toBe(refused);
	});
});

describe("an invitation link's state", () => {
	const now = new Date('2026-12-06T12:00:00Z');
	it.each([
		['open', '2026-12-13T12:00:00Z', 'open'],
		['open', '2026-12-06T12:00:00Z', 'expired'],
		['open', '2026-12-01T00:00:00Z', 'expired'],
		['used', '2026-12-13T12:00:00Z', 'used'],
		['ended', '2026-12-13T12:00:00Z', 'ended'],
		['used', '2026-12-01T00:00:00Z', 'used']
	] as const)('%s until %s → %s', (status, expires_at, state) => {
		expect(invitationState({ status, expires_at }, now)).toBe(state);
	});
});

describe('the password rule (admin:create, invitations, changing your own)', () => {
	it.each([
		['', /at least 10/],
		['nine char', /at least 10/],
		['ten chars!', null],
		['x'.repeat(200), null],
		['x'.repeat(201), /at most 200/]
	])('%j → %s', (password, problem) => {
		const found = passwordProblem(password);
		if (problem === null) expect(found).toBeNull();
		else expect(found).toMatch(problem);
	});
});
