import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { cheapHashes, hashSecret, verifySecret } from '../../src/lib/server/auth/passwords';
import { hashToken } from '../../src/lib/server/auth/sessions';
import { waitInWords } from '../../src/lib/dashboard/words';
import { describeZodError } from '../../src/lib/server/trpc/init';

describe('secrets', () => {
	it('verifies the right secret and refuses a wrong one', async () => {
		const stored = await hashSecret('podboard-demo');
		expect(await verifySecret('podboard-demo', stored)).toBe(true);
		expect(await verifySecret('podboard-dem0', stored)).toBe(false);
	});

	it('hashes at the real cost unless a test suite asks for cheap hashes, and verifies either kind', async () => {
		vi.stubEnv('PODBOARD_TEST_CHEAP_HASHES', '1');
		const cheap = await hashSecret('podboard-demo');
		vi.stubEnv('PODBOARD_TEST_CHEAP_HASHES', '0');
		const real = await hashSecret('podboard-demo');
		vi.unstubAllEnvs();
		expect(cheap).toMatch(/^scrypt\$1024\$8\$1\$/);
		expect(real).toMatch(/^scrypt\$32768\$8\$1\$/);
		for (const stored of [cheap, real]) expect(await verifySecret('podboard-demo', stored)).toBe(true);
		expect(cheapHashes({})).toBe(false);
		expect(cheapHashes({ PODBOARD_TEST_CHEAP_HASHES: 'yes' })).toBe(false);
	});

	it('salts every hash, so equal passwords do not look equal', async () => {
		expect(await hashSecret('same')).not.toBe(await hashSecret('same'));
	});

	it.each(['', 'plain-text', 'bcrypt$2b$10$abc', 'scrypt$1$1$1$$'])(
		'refuses a stored value it cannot read: %j',
		async (stored) => {
			expect(await verifySecret('anything', stored)).toBe(false);
		}
	);

	it('stores a session token only as a one-way hash', () => {
		expect(hashToken('abc')).toBe(hashToken('abc'));
		expect(hashToken('abc')).not.toContain('abc');
		expect(hashToken('abc')).not.toBe(hashToken('abd'));
	});
});

describe('words for people', () => {
	it.each([
		[1, '1 second'],
		[40, '40 seconds'],
		[60, '1 minute'],
		[61, '2 minutes'],
		[600, '10 minutes']
	])('a wait of %i s reads "%s"', (seconds, words) => {
		expect(waitInWords(seconds)).toBe(words);
	});

	it('names the field only where zod’s own message needs it', () => {
		const schema = z.object({
			email: z.email({ error: 'Enter an email address like name@school.org' }),
			age: z.number()
		});
		const result = schema.safeParse({ email: 'x', age: 'y' });
		expect(result.success).toBe(false);
		expect(describeZodError(result.error!)).toBe(
			'Enter an email address like name@school.org; age: Invalid input: expected number, received string'
		);
	});
});
