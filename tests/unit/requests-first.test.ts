import { describe, expect, it } from 'vitest';
import { whenNoRequestWaits, whileAnswering } from '../../src/lib/server/requests-first';

// The flag sweep takes its next step only when no request is being answered.
describe('background work waits for requests', () => {
	it('takes its step after the request being answered is done', async () => {
		const order: string[] = [];
		let finish!: () => void;
		const request = whileAnswering(async () => {
			await new Promise<void>((resolve) => (finish = resolve));
			order.push('request answered');
		});
		const step = whenNoRequestWaits(10_000).then(() => order.push('sweep step'));
		await new Promise((resume) => setTimeout(resume, 20));
		expect(order).toEqual([]);
		finish();
		await Promise.all([request, step]);
		expect(order).toEqual(['request answered', 'sweep step']);
	});

	it('goes ahead anyway when requests never stop coming, after its patience runs out', async () => {
		let finish!: () => void;
		const endless = whileAnswering(() => new Promise<void>((resolve) => (finish = resolve)));
		let stepped = false;
		await whenNoRequestWaits(30).then(() => (stepped = true));
		expect(stepped).toBe(true);
		finish();
		await endless;
	});

	it('counts a request that failed as answered', async () => {
		await expect(whileAnswering(() => Promise.reject(new Error('bad input')))).rejects.toThrow('bad input');
		// Its patience outlasts the test's timeout: only a request counted as answered lets it step.
		let stepped = false;
		await whenNoRequestWaits(120_000).then(() => (stepped = true));
		expect(stepped).toBe(true);
	});
});
