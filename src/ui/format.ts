export const pct = (x: number | undefined): string =>
  x === undefined || !Number.isFinite(x) ? '—' : `${(100 * x).toFixed(1)}%`;

export const fixed = (x: number | undefined, digits = 4): string =>
  x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);
