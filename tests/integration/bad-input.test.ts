import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	callerAs,
	createTestPod,
	databaseDigest,
	listProcedures,
	type Role,
	type TestPod
} from '../support/pod';

// Every procedure that takes input, given input that is wrong in every way we can think of,
// by a caller who is allowed to call it: BAD_REQUEST and no change. (http.test.ts checks
// that the message a person sees over HTTP is a sentence.)

const NOT_A_UUID = 'pod-north';
const huge = 'x'.repeat(100_000);

const BAD_INPUTS: Record<string, { role: Role; inputs: (pod: TestPod) => unknown[] }> = {
	'auth.staffLogin': {
		role: 'anonymous',
		inputs: () => [
			undefined,
			null,
			42,
			{},
			{ email: 'lead@demo.school' },
			{ email: 'not-an-email', password: 'x' },
			{ email: 'lead@demo.school', password: '' },
			{ email: huge, password: 'x' },
			{ email: 'lead@demo.school', password: huge },
			{ email: ['lead@demo.school'], password: 'x' }
		]
	},
	'auth.joinRoster': {
		role: 'anonymous',
		inputs: () => [
			undefined,
			{},
			{ joinCode: '' },
			{ joinCode: 'D' },
			{ joinCode: "DEMO42' OR 1=1 --" },
			{ joinCode: huge },
			{ joinCode: 42 }
		]
	},
	'auth.studentJoin': {
		role: 'anonymous',
		inputs: (pod) => [
			{},
			{ joinCode: 'DEMO42', studentId: pod.users.student },
			{ joinCode: 'DEMO42', studentId: pod.users.student, pictures: ['cat', 'sun'] },
			{ joinCode: 'DEMO42', studentId: pod.users.student, pictures: ['cat', 'sun', 'tree', 'fish'] },
			{ joinCode: 'DEMO42', studentId: pod.users.student, pictures: ['cat', 'sun', 'dragon'] },
			{ joinCode: 'DEMO42', studentId: NOT_A_UUID, pictures: ['cat', 'sun', 'tree'] },
			{ joinCode: 'DEMO42', studentId: pod.users.student, pictures: 'cat sun tree' }
		]
	},
	'pods.overview': {
		role: 'lead',
		inputs: () => [undefined, {}, { podId: NOT_A_UUID }, { podId: 7 }, { podId: huge }]
	},
	'pods.roster': { role: 'lead', inputs: () => [undefined, { podId: '' }, { podId: null }] },
	'playlists.forStudent': {
		role: 'lead',
		inputs: (pod) => [
			{ podId: pod.podId },
			{ podId: pod.podId, studentId: NOT_A_UUID },
			{ podId: NOT_A_UUID, studentId: pod.users.student }
		]
	},
	'roster.createStaff': {
		role: 'admin',
		inputs: (pod) => [
			{},
			{ email: 'new@demo.school', givenName: 'A', familyName: 'B', password: 'short' },
			{ email: 'new@demo.school', givenName: '', familyName: 'B', password: 'long enough password' },
			{ email: 'new@demo.school', givenName: '   ', familyName: 'B', password: 'long enough password' },
			{ email: 'nope', givenName: 'A', familyName: 'B', password: 'long enough password' },
			{
				email: 'new@demo.school',
				givenName: 'A',
				familyName: 'B',
				password: 'long enough password',
				pod: { id: pod.podId, role: 'boss' }
			},
			{ email: 'new@demo.school', givenName: huge, familyName: 'B', password: 'long enough password' }
		]
	}
};

const procedures = listProcedures();

let pod: TestPod;
beforeAll(async () => {
	pod = await createTestPod();
});
afterAll(() => pod.db.destroy());

describe('bad input', () => {
	it.each(procedures.filter((p) => p.takesInput).map(({ path }) => [path]))(
		'%s has bad inputs listed in this test',
		(path) => {
			expect(BAD_INPUTS[path], `add bad inputs for ${path}`).toBeDefined();
		}
	);

	it.each(Object.entries(BAD_INPUTS))(
		'%s answers BAD_REQUEST and changes nothing',
		async (path, { role, inputs }) => {
			const caller = await callerAs(pod, role);
			const { call } = procedures.find((p) => p.path === path)!;
			const before = await databaseDigest(pod.db);
			for (const input of inputs(pod)) {
				const error = await call(caller, input).then(
					() => null,
					(e: unknown) => e
				);
				expect(error, JSON.stringify(input)?.slice(0, 80)).toBeInstanceOf(TRPCError);
				expect((error as TRPCError).code).toBe('BAD_REQUEST');
			}
			expect(await databaseDigest(pod.db)).toBe(before);
		}
	);
});
