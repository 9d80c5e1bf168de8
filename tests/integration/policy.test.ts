import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db/seed/demo';
import type { Policy } from '../../src/lib/server/trpc/init';
import { callerAs, createTestPod, listProcedures, ROLES, type Role, type TestPod } from '../support/pod';

type Outcome = 'ok' | 'UNAUTHORIZED' | 'FORBIDDEN';

// What each declared policy means for each kind of caller, written out by hand.
const OUTCOMES: Record<Policy, Record<Role, Outcome>> = {
	public: { anonymous: 'ok', student: 'ok', otherPodTeacher: 'ok', teacher: 'ok', lead: 'ok', admin: 'ok' },
	signedIn: {
		anonymous: 'UNAUTHORIZED',
		student: 'ok',
		otherPodTeacher: 'ok',
		teacher: 'ok',
		lead: 'ok',
		admin: 'ok'
	},
	student: {
		anonymous: 'UNAUTHORIZED',
		student: 'ok',
		otherPodTeacher: 'FORBIDDEN',
		teacher: 'FORBIDDEN',
		lead: 'FORBIDDEN',
		admin: 'FORBIDDEN'
	},
	staff: {
		anonymous: 'UNAUTHORIZED',
		student: 'FORBIDDEN',
		otherPodTeacher: 'ok',
		teacher: 'ok',
		lead: 'ok',
		admin: 'ok'
	},
	podStaff: {
		anonymous: 'UNAUTHORIZED',
		student: 'FORBIDDEN',
		otherPodTeacher: 'FORBIDDEN',
		teacher: 'ok',
		lead: 'ok',
		admin: 'ok'
	},
	podLead: {
		anonymous: 'UNAUTHORIZED',
		student: 'FORBIDDEN',
		otherPodTeacher: 'FORBIDDEN',
		teacher: 'FORBIDDEN',
		lead: 'ok',
		admin: 'ok'
	},
	admin: {
		anonymous: 'UNAUTHORIZED',
		student: 'FORBIDDEN',
		otherPodTeacher: 'FORBIDDEN',
		teacher: 'FORBIDDEN',
		lead: 'FORBIDDEN',
		admin: 'ok'
	}
};

let created = 0;
/** A valid input for every procedure; a new procedure must add one here. */
const VALID_INPUT: Record<string, (pod: TestPod) => unknown> = {
	'auth.me': () => undefined,
	'auth.staffLogin': () => ({ email: 'lead@demo.school', password: DEMO.staffPassword }),
	'auth.joinRoster': () => ({ joinCode: DEMO.joinCode }),
	'auth.studentJoin': (pod) => ({
		joinCode: DEMO.joinCode,
		studentId: pod.users.student,
		pictures: [...DEMO.pictures]
	}),
	'auth.logout': () => undefined,
	'pods.mine': () => undefined,
	'pods.overview': (pod) => ({ podId: pod.podId }),
	'pods.roster': (pod) => ({ podId: pod.podId }),
	'playlists.mine': () => undefined,
	'playlists.forStudent': (pod) => ({ podId: pod.podId, studentId: pod.users.student }),
	'roster.createStaff': () => ({
		email: `new-teacher-${++created}@demo.school`,
		givenName: 'Noor',
		familyName: 'Haddad',
		password: 'a long enough password'
	})
};

const procedures = listProcedures();

describe('every procedure declares who may call it', () => {
	it('the router has procedures to check', () => {
		expect(procedures.length).toBeGreaterThan(5);
	});

	it.each(procedures.map(({ path, policy }) => [path, policy]))(
		'%s declares a policy (%s)',
		(_path, policy) => {
			expect(Object.keys(OUTCOMES)).toContain(policy);
		}
	);

	it.each(procedures.map(({ path }) => [path]))('%s has a valid input in this test', (path) => {
		expect(VALID_INPUT[path], `add a valid input for ${path} to VALID_INPUT`).toBeTypeOf('function');
	});
});

describe('each procedure × each kind of caller', () => {
	let pod: TestPod;
	beforeAll(async () => {
		pod = await createTestPod();
	});
	afterAll(() => pod.db.destroy());

	// A procedure without a policy fails above; here it is held to the strictest one.
	const cases = procedures.flatMap(({ path, policy }) =>
		ROLES.map((role) => [path, role, OUTCOMES[policy ?? 'admin'][role]] as const)
	);

	it.each(cases)('%s as %s → %s', async (path, role, expected) => {
		const caller = await callerAs(pod, role);
		const { call } = procedures.find((p) => p.path === path)!;
		const outcome = await call(caller, VALID_INPUT[path](pod)).then(
			() => 'ok',
			(error: unknown) => (error instanceof TRPCError ? error.code : String(error))
		);
		expect(outcome).toBe(expected);
	});
});
