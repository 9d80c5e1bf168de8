import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db/seed/demo';
import { SESSION_COOKIE } from '../../src/lib/server/auth/sessions';
import { CLAIM_ORDERS, freshGroup, freshHandUp } from '../support/interventions';
import { createTestPod, startApiServer, type TestPod } from '../support/pod';

// Three teachers tap "claim" on the same group or hand at the same moment, over real HTTP
// with their own session cookies: exactly one wins, and the others hear who did.

const TRIALS = 200;
const TEACHER_EMAILS = ['lead@demo.school', 'teacher1@demo.school', 'teacher2@demo.school'];

interface SignedInTeacher {
	id: string;
	name: string;
	cookie: string;
}

let pod: TestPod;
let api: Awaited<ReturnType<typeof startApiServer>>;
let teachers: SignedInTeacher[];
beforeAll(async () => {
	pod = await createTestPod();
	api = await startApiServer(pod.db);
	teachers = await Promise.all(TEACHER_EMAILS.map(signIn));
});
afterAll(async () => {
	await api.close();
	await pod.db.destroy();
});

/** A tRPC v11 mutation as the browser sends it: the input itself as the JSON body, from our origin. */
const mutate = (path: string, input: unknown, cookie: string) =>
	fetch(`${api.origin}/api/trpc/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: api.origin, cookie },
		body: JSON.stringify(input)
	});

async function signIn(email: string): Promise<SignedInTeacher> {
	const response = await mutate('auth.staffLogin', { email, password: DEMO.staffPassword }, '');
	expect(response.status).toBe(200);
	const setCookie = response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
	const member = DEMO.staff.find((s) => s.email === email)!;
	const user = await pod.db
		.selectFrom('users')
		.select('id')
		.where('email', '=', email)
		.executeTakeFirstOrThrow();
	return { id: user.id, name: `${member.givenName} ${member.familyName}`, cookie: setCookie!.split(';')[0] };
}

interface Answer {
	status: number;
	/** The winner's answer. */
	data?: { claimedBy?: { id: string } | null; owner?: { id: string } | null };
	error?: { message: string; data: { code: string } };
}

/** All three teachers send the same claim at once; their answers, in the teachers' order. */
async function claimAtOnce(trial: number, path: string, input: Record<string, unknown>): Promise<Answer[]> {
	const order = CLAIM_ORDERS[trial % CLAIM_ORDERS.length];
	const responses: Response[] = [];
	await Promise.all(
		order.map(async (t) => {
			responses[t] = await mutate(path, { podId: pod.podId, ...input }, teachers[t].cookie);
		})
	);
	return Promise.all(
		responses.map(async (response) => {
			const body = (await response.json()) as { result?: { data: Answer['data'] }; error?: Answer['error'] };
			return { status: response.status, data: body.result?.data, error: body.error };
		})
	);
}

/** One 200 and two 409 CONFLICTs whose message names the winner; answers the winner. */
function expectOneWinner(trial: number, answers: Answer[], refusal: (winner: SignedInTeacher) => string) {
	const statuses = answers.map((a) => a.status);
	expect(
		[...statuses].sort(),
		`trial ${trial}: ${JSON.stringify(answers.map((a) => a.error?.message ?? a.status))}`
	).toEqual([200, 409, 409]);
	const winner = teachers[statuses.indexOf(200)];
	for (const loser of answers.filter((a) => a.status === 409)) {
		expect(loser.error?.data.code).toBe('CONFLICT');
		expect(loser.error?.message).toBe(refusal(winner));
	}
	return winner;
}

describe(`${TRIALS} three-way races to claim, over HTTP`, () => {
	it('give each fresh group to exactly one teacher; the others hear who has it', async () => {
		const winners = new Set<string>();
		for (let trial = 1; trial <= TRIALS; trial++) {
			const { groupId, version } = await freshGroup(pod);
			const answers = await claimAtOnce(trial, 'groups.claim', { groupId, version });
			const group = await pod.db
				.selectFrom('intervention_groups')
				.select(['title', 'owner_id', 'status', 'version'])
				.where('id', '=', groupId)
				.executeTakeFirstOrThrow();
			const winner = expectOneWinner(trial, answers, (w) => `${w.name} has ${group.title}.`);
			expect(answers.find((a) => a.status === 200)?.data?.owner?.id).toBe(winner.id);
			expect(group).toMatchObject({ owner_id: winner.id, status: 'claimed', version: version + 1 });
			winners.add(winner.id);
		}
		// Not a rule, but a sign the three really raced: whoever sends first varies, and so does who wins.
		expect(winners.size).toBeGreaterThan(1);
	}, 120_000);

	it('send exactly one teacher to each fresh hand up; the others hear who has it', async () => {
		const winners = new Set<string>();
		for (let trial = 1; trial <= TRIALS; trial++) {
			const { requestId, version } = await freshHandUp(pod);
			const answers = await claimAtOnce(trial, 'help.claim', { requestId, version });
			const winner = expectOneWinner(trial, answers, (w) => `${w.name} has it.`);
			expect(answers.find((a) => a.status === 200)?.data?.claimedBy?.id).toBe(winner.id);
			const hand = await pod.db
				.selectFrom('help_requests')
				.select(['claimed_by', 'version'])
				.where('id', '=', requestId)
				.executeTakeFirstOrThrow();
			expect(hand).toEqual({ claimed_by: winner.id, version: version + 1 });
			winners.add(winner.id);
			// Helped: the student can raise a hand again in the next trial.
			await pod.db
				.updateTable('help_requests')
				.set({ open_key: null, resolved_at: new Date().toISOString(), resolved_by: winner.id })
				.where('id', '=', requestId)
				.execute();
		}
		expect(winners.size).toBeGreaterThan(1);
	}, 120_000);
});
