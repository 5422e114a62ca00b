/**
 * CSV reading for the paired-CSV format: a header row, then one sample per row. Numeric tables
 * take a fast path (split on commas, `Number` per cell) because views reach 2000 × 784 cells.
 *
 * Quoted fields (`"a,b"`, `""` for a quote) are understood within a line; a newline inside quotes
 * is not, since numeric tables and label files never need one.
 *
 * Row numbers in messages are 1-based data rows, header excluded, so row r is sample r − 1.
 */

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

export function parseCsv(text: string): CsvTable {
  const lines = splitLines(text);
  const header = splitFields(lines[0], 0);
  const rows: string[][] = [];
  for (let r = 1; r < lines.length; r++) {
    const fields = splitFields(lines[r], r);
    checkWidth(fields, header, r);
    rows.push(fields);
  }
  return { header, rows };
}

export function parseNumericCsv(text: string): NumericTable {
  const lines = splitLines(text);
  const header = splitFields(lines[0], 0);
  const cols = header.length;
  const rowCount = lines.length - 1;
  const values = new Float32Array(rowCount * cols);
  for (let r = 1; r <= rowCount; r++) {
    const line = lines[r];
    const fields = line.includes('"') ? splitFields(line, r) : line.split(',');
    checkWidth(fields, header, r);
    const base = (r - 1) * cols;
    for (let c = 0; c < cols; c++) {
      const cell = fields[c];
      const v = Number(cell);
      // Number('') and Number('  ') are 0, so a zero needs a second look for a missing cell.
      if (!(Math.abs(v) <= F32_MAX) || (v === 0 && cell.trim() === '')) badCell(cell.trim(), v, header[c], r);
      values[base + c] = v;
    }
  }
  return { header, rowCount, values };
}

function badCell(cell: string, v: number, column: string, r: number): never {
  const what = Number.isFinite(v) && cell !== '' ? 'is outside the float32 range' : 'is not a number';
  throw new CsvError(`row ${r}, column ${column}: "${cell}" ${what}`);
}

function checkWidth(fields: string[], header: string[], r: number): void {
  if (fields.length !== header.length) {
    throw new CsvError(`row ${r} has ${fields.length} fields but the header has ${header.length}`);
  }
}

/** Lines without their \r, a leading byte-order mark and trailing blank lines removed; at least a header. */
function splitLines(text: string): string[] {
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split('\n');
  for (let i = 0; i < lines.length; i++) if (lines[i].endsWith('\r')) lines[i] = lines[i].slice(0, -1);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length === 0) throw new CsvError('is empty');
  if (lines.length === 1) throw new CsvError('has a header but no data rows');
  return lines;
}

/** `r` is the data-row number for messages, 0 for the header. */
function splitFields(line: string, r: number): string[] {
  if (!line.includes('"')) return line.split(',').map((f) => f.trim());
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
    if (i >= line.length) return out;
    i++; // past the comma
  }
}
