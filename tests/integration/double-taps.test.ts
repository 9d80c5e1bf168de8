import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db/seed/demo';
import { SESSION_COOKIE } from '../../src/lib/server/auth/sessions';
import { freshFlag, freshGroup, freshHandUp } from '../support/interventions';
import { createTestPod, startApiServer, type TestPod } from '../support/pod';

// A teacher's double tap, a retry, or the same request sent many times at once (in parallel or
// in one tRPC batch) over real HTTP: it does what one would have done, and says so each time.

const AT_ONCE = 50;

let pod: TestPod;
let api: Awaited<ReturnType<typeof startApiServer>>;
let cookie: string;
beforeAll(async () => {
	pod = await createTestPod();
	api = await startApiServer(pod.db);
	const response = await post('auth.staffLogin', {
		email: 'teacher1@demo.school',
		password: DEMO.staffPassword
	});
	expect(response.status).toBe(200);
	cookie = response.headers
		.getSetCookie()
		.find((c) => c.startsWith(`${SESSION_COOKIE}=`))!
		.split(';')[0];
});
afterAll(async () => {
	await api.close();
	await pod.db.destroy();
});

function post(path: string, body: unknown) {
	return fetch(`${api.origin}/api/trpc/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: api.origin, cookie: cookie ?? '' },
		body: JSON.stringify(body)
	});
}

interface Answer {
	status: number;
	data?: { id: string; owner?: { id: string } | null; claimedBy?: { id: string } | null; version: number };
	error?: { message: string };
}

const answerOf = async (response: Response): Promise<Answer> => {
	const body = (await response.json()) as { result?: { data: Answer['data'] }; error?: Answer['error'] };
	return { status: response.status, data: body.result?.data, error: body.error };
};

/** The same call `AT_ONCE` times in parallel, each its own request. */
const inParallel = (path: string, input: unknown) =>
	Promise.all(Array.from({ length: AT_ONCE }, async () => answerOf(await post(path, input))));

/** The same call `AT_ONCE` times in one tRPC batch (one request, the calls run side by side). */
async function inOneBatch(path: string, input: unknown): Promise<Answer[]> {
	const paths = Array.from({ length: AT_ONCE }, () => path).join(',');
	const body = Object.fromEntries(Array.from({ length: AT_ONCE }, (_, i) => [i, input]));
	const response = await post(`${paths}?batch=1`, body);
	const answers = (await response.json()) as { result?: { data: Answer['data'] }; error?: Answer['error'] }[];
	return answers.map((a) => ({ status: a.error ? 409 : 200, data: a.result?.data, error: a.error }));
}

/** Two students of the pod no other test here uses, taken in turn. */
let nextStudent = 0;
async function twoStudents(): Promise<string[]> {
	const rows = await pod.db
		.selectFrom('pod_students')
		.select('user_id')
		.where('pod_id', '=', pod.podId)
		.where('user_id', 'not in', [pod.users.student, pod.classmateId])
		.orderBy('user_id')
		.offset(nextStudent)
		.limit(2)
		.execute();
	nextStudent += 2;
	return rows.map((r) => r.user_id);
}

const groupsWith = async (title: string) =>
	pod.db.selectFrom('intervention_groups').select('id').where('title', '=', title).execute();

const auditEntries = (entity: string, action: string, entityId: string) =>
	pod.db
		.selectFrom('audit_log')
		.select('id')
		.where('entity', '=', entity)
		.where('action', '=', action)
		.where('entity_id', '=', entityId)
		.execute();

describe.each([
	['in parallel', inParallel],
	['in one batch', inOneBatch]
])('"Form this group" sent %s', (_, send) => {
	it(`${AT_ONCE} times from the same students makes one group, and each answer is that group`, async () => {
		const studentIds = await twoStudents();
		const title = `Double tap ${Math.random().toString(36).slice(2, 8)}`;
		const answers = await send('groups.create', { podId: pod.podId, title, studentIds });

		expect(answers.map((a) => a.error?.message ?? a.status)).toEqual(answers.map(() => 200));
		const groups = await groupsWith(title);
		expect(groups).toHaveLength(1);
		expect(new Set(answers.map((a) => a.data?.id))).toEqual(new Set([groups[0].id]));
		expect(await auditEntries('group', 'create', groups[0].id)).toHaveLength(1);
	});

	it(`${AT_ONCE} times from the same flag makes one group of it`, async () => {
		const flagId = await freshFlag(pod);
		const answers = await send('groups.create', { podId: pod.podId, flagIds: [flagId] });

		expect(answers.map((a) => a.error?.message ?? a.status)).toEqual(answers.map(() => 200));
		const holding = await pod.db
			.selectFrom('group_members')
			.select('group_id')
			.where('flag_id', '=', flagId)
			.execute();
		expect(holding).toHaveLength(1);
		expect(new Set(answers.map((a) => a.data?.id))).toEqual(new Set([holding[0].group_id]));
	});

	it('a second group of the same students with another title is a group of its own', async () => {
		const studentIds = await twoStudents();
		const [a, b] = ['A', 'B'].map((x) => `Reading buddies ${x} ${Math.random().toString(36).slice(2, 8)}`);
		const [first, second] = await Promise.all([
			send('groups.create', { podId: pod.podId, title: a, studentIds }),
			send('groups.create', { podId: pod.podId, title: b, studentIds })
		]);
		expect(first[0].data?.id).not.toBe(second[0].data?.id);
		expect(await groupsWith(a)).toHaveLength(1);
		expect(await groupsWith(b)).toHaveLength(1);
	});

	it(`a "Claim" tapped ${AT_ONCE} times by one teacher claims the group once, and no tap hears it changed`, async () => {
		const { groupId, version } = await freshGroup(pod);
		const answers = await send('groups.claim', { podId: pod.podId, groupId, version });

		expect(answers.map((a) => a.error?.message ?? a.status)).toEqual(answers.map(() => 200));
		for (const answer of answers) {
			expect(answer.data).toMatchObject({
				id: groupId,
				owner: { id: pod.users.teacher },
				version: version + 1
			});
		}
		expect(await auditEntries('group', 'claim', groupId)).toHaveLength(1);
	});

	it(`"I'll go" tapped ${AT_ONCE} times by one teacher takes the hand once`, async () => {
		const { requestId, version } = await freshHandUp(pod);
		const answers = await send('help.claim', { podId: pod.podId, requestId, version });

		expect(answers.map((a) => a.error?.message ?? a.status)).toEqual(answers.map(() => 200));
		for (const answer of answers) {
			expect(answer.data).toMatchObject({ claimedBy: { id: pod.users.teacher }, version: version + 1 });
		}
		expect(await auditEntries('help_request', 'claim', requestId)).toHaveLength(1);
		await pod.db
			.updateTable('help_requests')
			.set({ open_key: null, resolved_at: new Date().toISOString() })
			.where('id', '=', requestId)
			.execute();
	});
});

describe('a claim by another teacher', () => {
	it('is still refused, naming who has it', async () => {
		const { groupId } = await freshGroup(pod, { id: pod.users.lead, status: 'claimed' });
		const answer = await answerOf(await post('groups.claim', { podId: pod.podId, groupId, version: 1 }));
		expect(answer.status).toBe(409);
		expect(answer.error?.message).toMatch(/ has Test group /);
	});
});
