import type { BoundCurves } from '../robust/certification';
import type { ExperimentResult } from './experimentResult';

/**
 * The metrics of a result that came out NaN, by their place in the result (`clean.loss`,
 * `certified.sound.all[ε=0.1]`, `robust[pgd-l2 on audio, ε=0.5]`): a number that is not a number
 * means something broke (an empty split, weights that overflow), and a summary that prints it
 * must not pass for a result. Infinity is a value (a radius no class can limit), so only NaN counts;
 * the mean margin share is left out, as it is undefined, not broken, when no sample is correct.
 */
export function nanMetrics(r: ExperimentResult): string[] {
  const out: string[] = [];
  const check = (x: number | null | undefined, name: string) => {
    // JSON writes NaN as null: a result read back from a file says the same thing.
    if (x === null || Number.isNaN(x)) out.push(name);
  };
  const byModality = (xs: (number | null)[], name: string) =>
    xs.forEach((x, m) => check(x, `${name}[${r.modalities[m] ?? m}]`));
  check(r.clean.loss, 'clean.loss');
  check(r.clean.accuracy, 'clean.accuracy');
  byModality(r.clean.branchAccuracy, 'clean.branchAccuracy');
  for (const p of r.robust) check(p.acc, `robust[${p.attack} on ${p.target}${p.eps === null ? '' : `, ε=${p.eps}`}]`);
  const curves = (c: BoundCurves, name: string) => {
    c.all.forEach((x, i) => check(x, `${name}.all[ε=${r.certified.eps[i]}]`));
    c.perModality.forEach((xs, m) =>
      xs.forEach((x, i) => check(x, `${name}.perModality[${r.modalities[m]}][ε=${r.certified.eps[i]}]`)),
    );
    check(c.medianRadius, `${name}.medianRadius`);
  };
  for (const bound of ['sound', 'estimated'] as const) {
    curves(r.certified[bound], `certified.${bound}`);
    r.lipschitz[bound].forEach((tau, m) => {
      if (tau.some((t) => t === null || Number.isNaN(t))) out.push(`lipschitz.${bound}[${r.modalities[m]}]`);
    });
    byModality(r.preference.medianRadius[bound], `preference.medianRadius.${bound}`);
  }
  if (r.certified.local) curves(r.certified.local, 'certified.local');
  if (r.preference.local) byModality(r.preference.local.medianRadius, 'preference.local.medianRadius');
  byModality(r.preference.branchAccuracy, 'preference.branchAccuracy');
  return out;
}
