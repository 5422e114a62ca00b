/** Cells that a spreadsheet would run as a formula (or DDE) when they start with one of these. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One text field of a CSV file, per RFC 4180 (quoted when it holds a comma, a quote or a line
 * break, its quotes doubled), and neutralised against formula injection: a field that starts
 * with =, +, -, @, a tab or a carriage return gets a leading apostrophe, so a spreadsheet shows
 * it as text instead of evaluating it (OWASP's advice). Numbers are written as numbers, not through this.
 */
export function csvText(s: string): string {
  const safe = FORMULA_START.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A number field: empty when there is no finite value. */
export function csvNumber(x: number | undefined): string {
  return x === undefined || !Number.isFinite(x) ? '' : String(x);
}
