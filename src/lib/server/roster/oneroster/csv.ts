import { CsvError, parse } from 'csv-parse/sync';

/** A problem a person can find and fix: the file, the line (1 is the header) and the column. */
export interface RosterError {
	file: string;
	line: number | null;
	column: string | null;
	message: string;
}

/** "users.csv line 14: role 'studnt' is not a OneRoster role" */
export function describeRosterError(error: RosterError): string {
	return error.line === null
		? `${error.file}: ${error.message}`
		: `${error.file} line ${error.line}: ${error.message}`;
}

/** Where the quote that never closes opened: the line a person has to fix, not the file's end. */
function unclosedQuoteLine(text: string): number {
	let line = 1;
	let openedOn = 1;
	let quoted = false;
	for (const char of text) {
		if (char === '"') {
			quoted = !quoted; // an escaped "" toggles twice
			if (quoted) openedOn = line;
		} else if (char === '\n') line += 1;
	}
	return openedOn;
}

/** One data row, its fields by header name, and the line it starts on. */
export interface CsvRow {
	line: number;
	get(column: string): string;
}

export interface CsvTable {
	file: string;
	header: string[];
	rows: CsvRow[];
}

/**
 * Read one CSV file into rows by header name. Every line's number is the line a spreadsheet
 * shows, so an error can send a person straight to it. Fields are trimmed; blank lines skipped.
 */
export function readCsv(
	file: string,
	text: string,
	required: readonly string[],
	errors: RosterError[]
): CsvTable | null {
	// One line ending everywhere, so line numbers count the way an editor counts them.
	const normalized = text.replace(/\r\n?/g, '\n');
	let records: { record: string[]; info: { lines: number } }[];
	try {
		records = parse(normalized, {
			bom: true,
			relax_column_count: true,
			skip_empty_lines: true,
			record_delimiter: '\n',
			info: true
		}) as unknown as { record: string[]; info: { lines: number } }[];
	} catch (cause) {
		let line = cause instanceof CsvError ? ((cause as CsvError & { lines?: number }).lines ?? null) : null;
		if (cause instanceof CsvError && cause.code === 'CSV_QUOTE_NOT_CLOSED')
			line = unclosedQuoteLine(normalized);
		const reason = cause instanceof Error ? cause.message.replace(/ at line \d+.*$/, '') : String(cause);
		errors.push({ file, line, column: null, message: `this is not readable CSV (${reason})` });
		return null;
	}
	const withLines = records
		.filter(({ record }) => record.some((field) => field.trim() !== ''))
		.map(({ record, info }) => ({
			// info.lines is where the record ends; a quoted field may span several lines.
			line: info.lines - record.reduce((n, field) => n + (field.split('\n').length - 1), 0),
			fields: record.map((field) => field.trim())
		}));
	const [head, ...body] = withLines;
	if (!head) {
		errors.push({
			file,
			line: null,
			column: null,
			message: 'the file is empty; it needs at least its header line'
		});
		return null;
	}
	const header = head.fields;
	const missing = required.filter((column) => !header.includes(column));
	if (missing.length) {
		errors.push({
			file,
			line: head.line,
			column: missing[0],
			message: `the header has no ${missing.map((c) => `'${c}'`).join(', ')} column${missing.length > 1 ? 's' : ''}`
		});
		return null;
	}
	const index = new Map(header.map((name, i) => [name, i]));
	const rows: CsvRow[] = [];
	for (const { line, fields } of body) {
		if (fields.length > header.length && fields.slice(header.length).some((f) => f !== '')) {
			errors.push({
				file,
				line,
				column: null,
				message: `this line has ${fields.length} fields but the header has ${header.length}; is a comma missing its quotes?`
			});
			continue;
		}
		rows.push({ line, get: (column) => fields[index.get(column) ?? -1] ?? '' });
	}
	return { file, header, rows };
}
