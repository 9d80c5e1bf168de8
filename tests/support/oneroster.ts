import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';

export const ONEROSTER_FIXTURES = 'tests/fixtures/oneroster';

/** A fixture folder's files by name, as text. */
export function fixtureTexts(variant: string): Map<string, string> {
	const folder = join(ONEROSTER_FIXTURES, variant);
	return new Map(readdirSync(folder).map((name) => [name, readFileSync(join(folder, name), 'utf8')]));
}

/** A fixture folder as the roster page sends it: each .csv as text. */
export function fixtureUpload(variant: string) {
	return [...fixtureTexts(variant)].map(([name, content]) => ({ name, encoding: 'text' as const, content }));
}

/** A fixture folder zipped (in a subfolder, as information systems often do), as base64. */
export function fixtureZipBase64(variant: string): string {
	const entries = Object.fromEntries(
		[...fixtureTexts(variant)].map(([name, text]) => [`export/${name}`, new TextEncoder().encode(text)])
	);
	return Buffer.from(zipSync(entries)).toString('base64');
}
