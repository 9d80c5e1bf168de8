import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/**
 * No serious or critical accessibility violations on the page as it is now. `experimental`
 * turns on axe rules it leaves off by default, e.g. 'label-content-name-mismatch' (a grid cell's
 * name must hold the text it shows).
 */
export async function expectNoSeriousAxeViolations(page: Page, { experimental = [] as string[] } = {}) {
	// Legacy mode runs axe in the page in one go. Our pages have no frames, and the default
	// (a partial run per frame, finished in a blank page) spent ~40 s handing a whole board's
	// ~5,000 nodes across; this takes ~3 s and reads the same rules over the same nodes.
	const results = await new AxeBuilder({ page })
		.setLegacyMode(true)
		.options({
			resultTypes: ['violations'],
			rules: Object.fromEntries(experimental.map((rule) => [rule, { enabled: true }]))
		})
		.analyze();
	const serious = results.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
	expect(serious, `axe on ${page.url()}`).toEqual([]);
}

/**
 * A screenshot for a person to look at; not compared by the tests. The whole page, or with
 * `{ fullPage: false }` the screen as the person sees it (a board sized to the window).
 */
export async function snapshot(page: Page, name: string, { fullPage = true } = {}) {
	await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage });
}
