import { unzipSync } from 'fflate';
import type { RosterError } from './csv';
import { OPTIONAL_FILES, REQUIRED_FILES } from './parse';

/** What a person uploads: one .zip, or several .csv files (or one plain list of students). */
export interface UploadedFile {
	name: string;
	bytes: Uint8Array;
}

export type RosterSource =
	| { format: 'oneroster'; files: Map<string, string> }
	| { format: 'students-csv'; file: string; text: string };

/** A zip may not unpack to more than this: a district's whole roster is a few megabytes. */
const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;
const KNOWN = new Map([...REQUIRED_FILES, ...OPTIONAL_FILES].map((name) => [name.toLowerCase(), name]));

const baseName = (path: string) => path.split(/[\\/]/).pop() ?? path;

function decode(bytes: Uint8Array): string {
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		// Spreadsheets on older Windows save CSV as Windows-1252.
		return new TextDecoder('windows-1252').decode(bytes);
	}
}

/** Unpack zips and decide the format: OneRoster when any of its file names is there. */
export function readUpload(uploads: UploadedFile[]): { source: RosterSource | null; errors: RosterError[] } {
	const errors: RosterError[] = [];
	const csvs = new Map<string, string>();
	const add = (name: string, bytes: Uint8Array, from: string) => {
		const canonical = KNOWN.get(name.toLowerCase()) ?? name;
		if (csvs.has(canonical)) {
			errors.push({
				file: canonical,
				line: null,
				column: null,
				message: `the upload has two files called ${canonical} (${from})`
			});
			return;
		}
		csvs.set(canonical, decode(bytes));
	};
	for (const upload of uploads) {
		const name = baseName(upload.name);
		if (/\.zip$/i.test(name)) {
			let entries: Record<string, Uint8Array>;
			let unpacked = 0;
			try {
				entries = unzipSync(upload.bytes, {
					filter: (entry) => {
						unpacked += entry.originalSize;
						return /\.csv$/i.test(entry.name) && !entry.name.startsWith('__MACOSX/');
					}
				});
			} catch {
				errors.push({
					file: name,
					line: null,
					column: null,
					message: 'this is not a zip file that can be opened'
				});
				continue;
			}
			if (unpacked > MAX_UNPACKED_BYTES) {
				errors.push({
					file: name,
					line: null,
					column: null,
					message: 'this zip unpacks to more than 64 MB; that is not a roster'
				});
				continue;
			}
			for (const [path, bytes] of Object.entries(entries)) add(baseName(path), bytes, `in ${name}`);
		} else if (/\.csv$/i.test(name)) {
			add(name, upload.bytes, 'uploaded twice');
		} else {
			errors.push({ file: name, line: null, column: null, message: 'upload .csv files or one .zip of them' });
		}
	}
	if (errors.length) return { source: null, errors };
	if ([...csvs.keys()].some((name) => KNOWN.has(name.toLowerCase()))) {
		return { source: { format: 'oneroster', files: csvs }, errors };
	}
	if (csvs.size === 1) {
		const [[file, text]] = csvs;
		return { source: { format: 'students-csv', file, text }, errors };
	}
	errors.push({
		file: csvs.size ? [...csvs.keys()].join(', ') : 'the upload',
		line: null,
		column: null,
		message:
			csvs.size === 0
				? 'there is no .csv file in it'
				: `these are not OneRoster files (no ${REQUIRED_FILES.join(', ')}); a plain list of students is one .csv`
	});
	return { source: null, errors };
}
