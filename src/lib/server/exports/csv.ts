/** A cell as it leaves Podboard: text, a number, or nothing. */
export type CsvCell = string | number | null;

/** Excel reads a UTF-8 file as the machine's legacy code page unless it starts with this mark. */
export const UTF8_BOM = '\uFEFF';

// A spreadsheet runs a cell that starts with one of these as a formula (tab and CR too, by
// OWASP's list); an apostrophe makes it text. Names and notes are typed by people.
const FORMULA_START = /^[=+\-@\t\r]/;

// A spreadsheet set to `;` or tab as its separator does not see our commas, nor our quotes in
// mid-field: each piece after a `;`, a tab or a line break starts a cell of its own there. A
// piece that would start a formula (past any spaces or quotes) gets the apostrophe too.
const FORMULA_AFTER_SEPARATOR = /([;\t\r\n])(?=[ "]*[=+\-@\t\r])/g;

/**
 * One cell, RFC 4180: quoted when it holds a comma, a quote, a line break, a `;` or a tab (the
 * separators spreadsheets use instead); quotes doubled.
 */
export function csvCell(value: CsvCell): string {
	if (value === null) return '';
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
	const text = (FORMULA_START.test(value) ? `'${value}` : value).replace(FORMULA_AFTER_SEPARATOR, "$1'");
	return /[",;\t\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole file: the byte-order mark, a header row, then the rows, each line ending CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
	const lines = [header, ...rows].map((row) => row.map(csvCell).join(','));
	return `${UTF8_BOM}${lines.join('\r\n')}\r\n`;
}
