/** `--key value` and `--flag` pairs; unknown keys are reported by the caller. */
export function parseArgs(argv: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`Unexpected argument "${a}": options look like --name value.`);
    const eq = a.indexOf('=');
    if (eq > 0) out.set(a.slice(2, eq), a.slice(eq + 1));
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out.set(a.slice(2), argv[++i]);
    else out.set(a.slice(2), 'true');
  }
  return out;
}

export function numberList(s: string, what: string): number[] {
  const xs = s.split(',').map((v) => Number(v.trim()));
  if (xs.some((x) => !Number.isFinite(x))) throw new Error(`${what}: "${s}" is not a comma-separated list of numbers.`);
  return xs;
}

export function positiveInt(s: string, what: string): number {
  const x = Number(s);
  if (!Number.isInteger(x) || x < 0) throw new Error(`${what}: "${s}" is not a non-negative integer.`);
  return x;
}
