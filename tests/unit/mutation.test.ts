import { describe, expect, it } from 'vitest';
import { mutation } from '../../src/lib/mutation.svelte';

/** A promise the test settles by hand, so "in flight" is a state, not a moment. */
function deferred<T = void>() {
	let resolve!: (value: T) => void;
	let reject!: (error: unknown) => void;
	const promise = new Promise<T>((yes, no) => {
		resolve = yes;
		reject = no;
	});
	return { promise, resolve, reject };
}

const describeError = (error: unknown) =>
	error instanceof Error ? `Refused: ${error.message}` : 'Something else';

describe('mutation()', () => {
	it('is busy while the change is in flight, refreshes after it, and answers true', async () => {
		const answer = deferred();
		const steps: string[] = [];
		const save = mutation(
			async (title: string) => {
				steps.push(`send ${title}`);
				await answer.promise;
			},
			{ refresh: () => steps.push('refresh'), describe: describeError }
		);
		expect(save.busy).toBe(false);

		const running = save.run('Fractions');
		expect(save.busy).toBe(true);
		expect(steps).toEqual(['send Fractions']);

		answer.resolve();
		expect(await running).toBe(true);
		expect(save.busy).toBe(false);
		expect(save.problem).toBe('');
		expect(steps).toEqual(['send Fractions', 'refresh']);
	});

	it('waits for the refresh before it answers', async () => {
		const reread = deferred();
		const save = mutation(async () => undefined, { refresh: () => reread.promise, describe: describeError });
		let answered = false;
		const running = save.run().then((ok) => (answered = ok));
		await Promise.resolve();
		await Promise.resolve();
		expect(answered).toBe(false);
		expect(save.busy).toBe(true);
		reread.resolve();
		await running;
		expect(answered).toBe(true);
		expect(save.busy).toBe(false);
	});

	it.each([
		[
			'the API refuses',
			() => Promise.reject(new Error('Pod not found')),
			() => undefined,
			'Refused: Pod not found'
		],
		[
			'the refresh fails',
			() => Promise.resolve(),
			() => Promise.reject(new Error('offline')),
			'Refused: offline'
		],
		['something not an Error is thrown', () => Promise.reject('boom'), () => undefined, 'Something else']
	])('says what went wrong and answers false when %s', async (_, send, refresh, message) => {
		const save = mutation(send, { refresh, describe: describeError });
		expect(await save.run()).toBe(false);
		expect(save.problem).toBe(message);
		expect(save.busy).toBe(false);
	});

	it('does not refresh after a refusal', async () => {
		let refreshed = 0;
		const save = mutation(() => Promise.reject(new Error('no')), {
			refresh: () => (refreshed += 1),
			describe: describeError
		});
		await save.run();
		expect(refreshed).toBe(0);
	});

	it('clears the last problem when it runs again', async () => {
		const answers = [deferred(), deferred()];
		let call = 0;
		const save = mutation(() => answers[call++].promise, { describe: describeError });
		const first = save.run();
		answers[0].reject(new Error('Name taken'));
		await first;
		expect(save.problem).toBe('Refused: Name taken');

		const second = save.run();
		expect(save.problem).toBe('');
		answers[1].resolve();
		expect(await second).toBe(true);
	});

	it('stays busy until the last of several runs at once is answered', async () => {
		const answers = [deferred(), deferred(), deferred()];
		let call = 0;
		const save = mutation(() => answers[call++].promise, { describe: describeError });
		const runs = answers.map(() => save.run());
		answers[0].resolve();
		answers[2].reject(new Error('late'));
		await Promise.all([runs[0], runs[2]]);
		expect(save.busy).toBe(true);
		answers[1].resolve();
		expect(await Promise.all(runs)).toEqual([true, true, false]);
		expect(save.busy).toBe(false);
	});

	it('hands the answer and the input to done, after the refresh', async () => {
		const steps: string[] = [];
		const save = mutation(async (title: string) => ({ id: 'a1', title }), {
			refresh: () => steps.push('refresh'),
			done: (saved, title) => steps.push(`done ${saved.id} ${title}`)
		});
		expect(await save.run('Fractions')).toBe(true);
		expect(steps).toEqual(['refresh', 'done a1 Fractions']);
	});

	it('says which runs are in flight, so one row’s button waits for its own change', async () => {
		const answers = new Map([
			['ana', deferred()],
			['ben', deferred()]
		]);
		const save = mutation((studentId: string, _card: string) => answers.get(studentId)!.promise);
		const forAna = save.run('ana', 'new');
		const forBen = save.run('ben', 'void');
		const busyFor = (id: string) => save.busyWith((studentId) => studentId === id);
		expect([busyFor('ana'), busyFor('ben'), busyFor('cy')]).toEqual([true, true, false]);

		answers.get('ana')!.resolve();
		await forAna;
		expect([busyFor('ana'), busyFor('ben'), save.busy]).toEqual([false, true, true]);
		expect(save.busyWith((_, card) => card === 'void')).toBe(true);

		answers.get('ben')!.resolve();
		await forBen;
		expect([busyFor('ben'), save.busy]).toEqual([false, false]);
	});

	it('passes every argument to what it sends', async () => {
		const sent: unknown[][] = [];
		const save = mutation(async (podId: string, ids: string[], archive: boolean) => {
			sent.push([podId, ids, archive]);
		});
		expect(await save.run('pod-1', ['a', 'b'], true)).toBe(true);
		expect(sent).toEqual([['pod-1', ['a', 'b'], true]]);
	});
});
