import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// scrypt is memory-hard and built into Node. N=2^15, r=8 costs ~32 MiB and ~50 ms here.
const PARAMS = { N: 1 << 15, r: 8, p: 1 };
/**
 * The test suites' setting (PODBOARD_TEST_CHEAP_HASHES=1, which Vitest sets): N=2^10, ~1 ms, so
 * thousands of sign-ins take seconds, not minutes. Never for a server people use: it says so
 * loudly as it starts. A hash carries its parameters, so either kind verifies anywhere.
 */
const CHEAP_PARAMS = { N: 1 << 10, r: 8, p: 1 };
export const CHEAP_HASHES_VARIABLE = 'PODBOARD_TEST_CHEAP_HASHES';
export const cheapHashes = (env: Record<string, string | undefined> = process.env) =>
	env[CHEAP_HASHES_VARIABLE] === '1';
const KEY_LENGTH = 32;
const MAX_MEMORY = 64 * 1024 * 1024;

function derive(secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
	return new Promise((resolve, reject) =>
		scrypt(secret.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) =>
			error ? reject(error) : resolve(key)
		)
	);
}

/** `scrypt$N$r$p$salt$key`, base64 parts: the parameters travel with the hash. */
export async function hashSecret(secret: string): Promise<string> {
	const salt = randomBytes(16);
	const params = cheapHashes() ? CHEAP_PARAMS : PARAMS;
	const key = await derive(secret, salt, { ...params, maxmem: MAX_MEMORY });
	return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
	const [scheme, n, r, p, salt, key] = stored.split('$');
	if (scheme !== 'scrypt' || !salt || !key) return false;
	const expected = Buffer.from(key, 'base64');
	const actual = await derive(secret, Buffer.from(salt, 'base64'), {
		N: Number(n),
		r: Number(r),
		p: Number(p),
		maxmem: MAX_MEMORY
	});
	return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Verifying against this when the account does not exist keeps both answers equally slow. */
const decoys = new Map<boolean, Promise<string>>();
export function decoyHash(): Promise<string> {
	const cheap = cheapHashes();
	if (!decoys.has(cheap)) decoys.set(cheap, hashSecret('not-a-real-account'));
	return decoys.get(cheap)!;
}
