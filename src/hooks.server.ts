import type { Handle, ServerInit } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { getPodEventBus } from '$lib/server/live/app-bus';
import { resolveSession, SESSION_COOKIE } from '$lib/server/auth/sessions';
import { CHEAP_HASHES_VARIABLE, cheapHashes } from '$lib/server/auth/passwords';
import { mailStatusLine } from '$lib/server/email/config';
import { mailSettled } from '$lib/server/email/mailer';
import { startFlagSweep } from '$lib/server/flags/engine';
import { whileAnswering } from '$lib/server/requests-first';
import { demoSignInsText, firstAdminText, flagSweepSeconds, prepareDatabase } from '$lib/server/startup';

export const init: ServerInit = async () => {
	// Idle, in progress too long, a hand up too long: rules that fire on the clock, not on an event.
	const sweepSeconds = flagSweepSeconds();
	// Before the database: an SMTP_URL that cannot work stops the start, saying what to fix.
	console.log(mailStatusLine());
	if (cheapHashes())
		console.warn(
			`Podboard: ${CHEAP_HASHES_VARIABLE}=1 hashes passwords cheaply, for test suites only: unset it on any server people use`
		);
	const { applied, seeded, demoPresent, needsAdmin } = await prepareDatabase(getDb());
	if (applied.length) console.log(`Podboard: applied migrations ${applied.join(', ')}`);
	if (seeded) console.log('Podboard: seeded the demo pod into the empty database');
	const origin = process.env.ORIGIN ?? `http://localhost:${process.env.PORT ?? 3000}`;
	if (demoPresent) console.log(demoSignInsText(origin));
	else if (needsAdmin) console.log(firstAdminText(origin));
	const stopSweep = sweepSeconds > 0 ? startFlagSweep(getDb(), sweepSeconds * 1000) : async () => {};
	// adapter-node stops taking requests on SIGTERM or SIGINT, then says so: let go of the
	// database (a PostgreSQL pool would otherwise keep the process alive).
	process.once('sveltekit:shutdown', async () => {
		await stopSweep();
		await mailSettled();
		await getPodEventBus().close();
		await getDb().destroy();
	});
};

// Browsers must come back over HTTPS only when the public address is HTTPS; never over plain
// http, where the header would be ignored anyway and would pin a test or LAN host to HTTPS.
const servedOverHttps = (process.env.ORIGIN ?? '').toLowerCase().startsWith('https:');

export const handle: Handle = ({ event, resolve }) =>
	// The flag sweep steps aside while a request is being answered.
	whileAnswering(async () => {
		event.locals.session = await resolveSession(getDb(), event.cookies.get(SESSION_COOKIE));
		const response = await resolve(event);
		response.headers.set('X-Content-Type-Options', 'nosniff');
		response.headers.set('Referrer-Policy', 'same-origin');
		response.headers.set('X-Frame-Options', 'DENY');
		if (servedOverHttps)
			response.headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
		if (event.locals.session && !response.headers.has('Cache-Control')) {
			// Pages for a signed-in person hold student data; a shared device must not keep them.
			response.headers.set('Cache-Control', 'no-store');
		}
		return response;
	});
