import { expect, test, type APIRequestContext } from '@playwright/test';

// Against the production build (playwright.config.ts's webServer): forged cross-site writes are
// refused before they reach a procedure, and every answer carries the security headers.

const ORIGIN = 'http://127.0.0.1:4173';

async function leadSignsIn(request: APIRequestContext) {
	const response = await request.post('/api/trpc/auth.staffLogin', {
		headers: { origin: ORIGIN },
		data: { email: 'lead@demo.school', password: 'podboard-demo' }
	});
	expect(response.status()).toBe(200);
}

/** Whether the request context's session cookie still opens the lead's pods. */
async function leadIsSignedIn(request: APIRequestContext): Promise<boolean> {
	const response = await request.get('/api/trpc/pods.mine');
	return response.status() === 200;
}

test('a forged cross-site logout (form, text/plain, multipart, foreign Origin) changes nothing', async ({
	request
}) => {
	await leadSignsIn(request);
	expect(await leadIsSignedIn(request)).toBe(true);

	const forgeries: [string, Parameters<APIRequestContext['post']>[1]][] = [
		// The first three carry our own Origin, so only the content type can refuse them.
		['an HTML form', { headers: { origin: ORIGIN }, form: { '0': '{}' } }],
		['text/plain', { headers: { origin: ORIGIN, 'content-type': 'text/plain' }, data: '{}' }],
		['multipart', { headers: { origin: ORIGIN }, multipart: { json: '{}' } }],
		[
			'JSON from another site',
			{ headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, data: '{}' }
		],
		['JSON with no Origin', { headers: { 'content-type': 'application/json' }, data: '{}' }]
	];
	for (const [what, options] of forgeries) {
		const response = await request.post('/api/trpc/auth.logout', options);
		expect(response.status(), what).toBeGreaterThanOrEqual(400);
		expect(response.status(), what).toBeLessThan(500);
		expect(await leadIsSignedIn(request), `${what}: the lead is still signed in`).toBe(true);
	}

	// The same request, as the app sends it, does sign out: the check above could have failed.
	const real = await request.post('/api/trpc/auth.logout', {
		headers: { origin: ORIGIN, 'content-type': 'application/json' },
		data: '{}'
	});
	expect(real.status()).toBe(200);
	expect(await leadIsSignedIn(request)).toBe(false);
});

test('pages and API answers carry the security headers; no HSTS over plain http', async ({ request }) => {
	await leadSignsIn(request);
	const pods = (await (await request.get('/api/trpc/pods.mine')).json()) as {
		result: { data: { id: string; name: string }[] };
	};
	const podNorth = pods.result.data.find((p) => p.name === 'Pod North');
	expect(podNorth).toBeDefined();

	const page = await request.get(`/pods/${podNorth!.id}`);
	expect(page.status()).toBe(200);
	const headers = page.headers();
	const csp = headers['content-security-policy'];
	expect(csp).toBeDefined();
	expect(csp).not.toContain('unsafe-eval');
	expect(csp).toContain("frame-ancestors 'none'");
	expect(headers['x-content-type-options']).toBe('nosniff');
	expect(headers['referrer-policy']).toBeTruthy();
	expect(headers['cache-control']).toContain('no-store');
	expect(headers['strict-transport-security']).toBeUndefined();

	// An API answer with student data: the pod's heatmap (every student's progress).
	const input = encodeURIComponent(JSON.stringify({ podId: podNorth!.id }));
	const api = await request.get(`/api/trpc/dashboard.heatmap?input=${input}`);
	expect(api.status()).toBe(200);
	expect(api.headers()['cache-control']).toContain('no-store');
	expect(api.headers()['x-content-type-options']).toBe('nosniff');
	expect(api.headers()['strict-transport-security']).toBeUndefined();
});
