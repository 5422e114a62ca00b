/**
 * CSV reading for the paired-CSV format: a header row, then one sample per row. Numeric tables
 * take a fast path (split on commas, `Number` per cell) because views reach 2000 × 784 cells.
 *
 * Quoted fields (`"a,b"`, `""` for a quote) are understood within a line; a newline inside quotes
 * is not, since numeric tables and label files never need one.
 *
 * Row numbers in messages are 1-based data rows, header excluded, so row r is sample r − 1.
 */

import { LIMITS } from '../limits';

/** A problem in one CSV file; `message` reads as a continuation of the file name (`x.csv ` + message). */
export class CsvError extends Error {
  override name = 'CsvError';
}

export interface CsvTable {
  header: string[];
  /** Data rows, every one as long as the header, fields trimmed. */
  rows: string[][];
}

export interface NumericTable {
  header: string[];
  rowCount: number;
  /** Row-major [rowCount, header.length]. */
  values: Float32Array;
}

// Beyond this a value would silently turn into Infinity when stored as float32.
const F32_MAX = 3.4028234663852886e38;
/**
 * A plain decimal number, as every spreadsheet and numpy.savetxt writes it: `Number` alone would
 * also take `0x1F`, `0b11`, `0o7` and `Infinity`, which no export means as a feature value.
 */
const PLAIN_DECIMAL = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const SEPARATORS = [';', '\t', '|'];

export function parseCsv(text: string): CsvTable {
  const lines = splitLines(text);
  const header = readHeader(lines[0]);
  const rows: string[][] = [];
  for (let r = 1; r < lines.length; r++) {
    const fields = splitFields(lines[r], r, header.length + 1);
    checkWidth(fields, header, r, lines[r]);
    rows.push(fields);
  }
  return { header, rows };
}

/** `reserve` is told how many values the table holds before they are allocated, and may refuse them. */
export function parseNumericCsv(text: string, reserve?: (rows: number, values: number) => void): NumericTable {
  const lines = splitLines(text);
  const header = readHeader(lines[0]);
  const cols = header.length;
  const rowCount = lines.length - 1;
  reserve?.(rowCount, rowCount * cols);
  const values = new Float32Array(rowCount * cols);
  for (let r = 1; r <= rowCount; r++) {
    const line = lines[r];
    // At most one field past the header's: a line of millions of commas is refused, not split.
    const fields = line.includes('"') ? splitFields(line, r, cols + 1) : line.split(',', cols + 1);
    checkWidth(fields, header, r, line);
    const base = (r - 1) * cols;
    for (let c = 0; c < cols; c++) {
      const cell = fields[c];
      const v = Number(cell);
      if (!(Math.abs(v) <= F32_MAX) || !PLAIN_DECIMAL.test(cell)) badCell(cell.trim(), v, header[c], r);
      values[base + c] = v;
    }
  }
  return { header, rowCount, values };
}

function badCell(cell: string, v: number, column: string, r: number): never {
  // A plain decimal that failed can only be out of range (1e39, 1e999).
  const what = PLAIN_DECIMAL.test(cell)
    ? 'is outside the float32 range'
    : Number.isFinite(v) && cell !== ''
      ? 'is not a plain decimal number'
      : 'is not a number';
  const separator = SEPARATORS.find((s) => cell.includes(s));
  const hint = separator ? ` (${separatorHint(separator)})` : '';
  throw new CsvError(`row ${r}, column ${column}: "${show(cell)}" ${what}${hint}`);
}

function separatorHint(separator: string): string {
  return `the file seems to use ${separator === '\t' ? 'tabs' : `"${separator}"`} between columns; the lab reads comma-separated files`;
}

/** Long cells are cut in messages: a whole line of another format can land in one cell. */
function show(cell: string): string {
  return cell.length > 40 ? `${cell.slice(0, 37)}...` : cell;
}

/**
 * The header row. One without a comma but with another usual separator is a file saved with
 * that separator (a semicolon, as European spreadsheets write, or tabs): refused with the reason,
 * where reading on would only say that some cell is not a number.
 */
function readHeader(line: string): string[] {
  const header = splitFields(line, 0, LIMITS.featuresPerModality + 1);
  if (header.length > LIMITS.featuresPerModality)
    throw new CsvError(
      `has ${countFields(line).toLocaleString('en')} columns; a modality holds at most ` +
        `${LIMITS.featuresPerModality.toLocaleString('en')} values per sample`,
    );
  const separator = header.length === 1 ? SEPARATORS.find((s) => line.includes(s)) : undefined;
  if (separator) throw new CsvError(`has no comma in its header row: ${separatorHint(separator)}`);
  return header;
}

function checkWidth(fields: string[], header: string[], r: number, line: string): void {
  if (fields.length !== header.length) {
    const count = fields.length > header.length ? countFields(line) : fields.length;
    throw new CsvError(`row ${r} has ${count.toLocaleString('en')} fields but the header has ${header.length}`);
  }
}

/** Fields in a line, commas inside quotes not counted; for messages, where the line was not split in full. */
function countFields(line: string): number {
  let n = 1;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (line[i] === ',' && !quoted) n++;
  }
  return n;
}

/**
 * Lines without their \r, a leading byte-order mark and trailing blank lines removed; at least a
 * header. The lines are counted before the text is split: more than the sample limit is refused
 * before an array of millions of strings is built.
 */
function splitLines(text: string): string[] {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) <= 32) end--;
  let rows = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) rows++;
  if (rows > LIMITS.samples)
    throw new CsvError(
      `has ${rows.toLocaleString('en')} data rows, over the limit of ${LIMITS.samples.toLocaleString('en')} samples`,
    );
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split('\n');
  for (let i = 0; i < lines.length; i++) if (lines[i].endsWith('\r')) lines[i] = lines[i].slice(0, -1);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length === 0) throw new CsvError('is empty');
  if (lines.length === 1) throw new CsvError('has a header but no data rows');
  return lines;
}

/** `r` is the data-row number for messages, 0 for the header; no more than `max` fields are split off. */
function splitFields(line: string, r: number, max: number): string[] {
  if (!line.includes('"')) return line.split(',', max).map((f) => f.trim());
  const where = r === 0 ? 'the header' : `row ${r}`;
  const out: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    let field: string;
    if (line[i] === '"') {
      field = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) throw new CsvError(`${where} has an unclosed quote`);
        field += line.slice(j, q);
        if (line[q + 1] !== '"') {
          i = q + 1;
          break;
        }
        field += '"';
        j = q + 2;
      }
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (i < line.length && line[i] !== ',') throw new CsvError(`${where} has text after a closing quote`);
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      field = line.slice(i, end).trim();
      i = end;
    }
    out.push(field);
    if (i >= line.length || out.length >= max) return out;
    i++; // past the comma
  }
}
