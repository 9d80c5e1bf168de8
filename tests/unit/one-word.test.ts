import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// One word per thing (issue 19): the team's pages say Submitted, In progress, Assessment and
// Offline, from $lib/dashboard/words and $lib/library/catalog; the student's words (Done, Working
// on it, Quiz, Off screen, from $lib/playlists/words) are for /me alone. A staff page that reaches
// for the student's words would say "Done" beside the board's "Submitted".

const STUDENT_WORDS = ['STATUS_WORDS', 'KIND_WORDS'];

function filesUnder(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
		entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]
	);
}

/** The names a file imports from $lib/playlists/words. */
function studentWordsIn(file: string): string[] {
	const source = readFileSync(file, 'utf8');
	const imports = [...source.matchAll(/import\s*{([^}]*)}\s*from\s*'\$lib\/playlists\/words'/g)];
	return imports
		.flatMap((match) => match[1].split(',').map((name) => name.trim()))
		.filter((name) => STUDENT_WORDS.includes(name));
}

describe('the words each page uses', () => {
	const staffPages = filesUnder('src/routes/(staff)').filter((f) => /\.(svelte|ts)$/.test(f));

	it('finds the staff pages and the student page that uses the student words', () => {
		expect(staffPages.length).toBeGreaterThan(30);
		expect(studentWordsIn('src/routes/(student)/me/PlaylistCard.svelte').sort()).toEqual(
			STUDENT_WORDS.sort()
		);
	});

	it('gives no staff page the student’s words for a status or a kind of activity', () => {
		expect(staffPages.filter((file) => studentWordsIn(file).length > 0)).toEqual([]);
	});
});
