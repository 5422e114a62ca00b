import type { ExperimentResult } from '../core/experiment/experimentResult';
import { certifiedAt } from '../core/robust/certification';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/**
 * The report's reading of one table, computed from its numbers so it cannot drift from them
 * (spec §11): is the preferred modality the cheap one to attack under JT, and does CRMT narrow
 * the gap and raise certified accuracy without losing clean accuracy?
 */
export function readingFor(results: ExperimentResult[], attackEps: number, certEps: number): string {
  const by = (m: string) => results.find((r) => r.method === m);
  const pgd = (r: ExperimentResult, t: string) =>
    r.robust.find((p) => p.attack === 'pgd-l2' && p.target === t && p.eps === attackEps)?.acc ?? NaN;
  const ca = (r: ExperimentResult) => certifiedAt(r.certified, r.modalities, 'sound', 'all', certEps) ?? NaN;
  const jt = by('jt');
  const crmt = by('crmt-jt');
  if (!jt || !crmt) return '';
  const mods = jt.modalities;
  const branch = (r: ExperimentResult, m: string) => r.clean.branchAccuracy[r.modalities.indexOf(m)];
  const preferred = mods.reduce((a, b) => (branch(jt, a) >= branch(jt, b) ? a : b));
  const others = mods.filter((m) => m !== preferred);
  const worstOther = others.reduce((a, b) => (pgd(jt, a) <= pgd(jt, b) ? a : b));
  const lines: string[] = [];
  const cheap = pgd(jt, preferred) < pgd(jt, worstOther);
  lines.push(
    `- Under jt the preferred modality is **${preferred}** (branch accuracy ${pct(branch(jt, preferred))} against ` +
      `${others.map((m) => `${m} ${pct(branch(jt, m))}`).join(', ')}). PGD on it leaves ${pct(pgd(jt, preferred))}, ` +
      `on ${worstOther} ${pct(pgd(jt, worstOther))}: the preferred modality ${cheap ? 'is' : 'is not'} the cheaper one to attack here. ` +
      `Cheapest by the sound single-modality radii: ${jt.preference.cheapest.sound}.`,
  );
  const gapJt = pgd(jt, worstOther) - pgd(jt, preferred);
  const gapCrmt = pgd(crmt, worstOther) - pgd(crmt, preferred);
  const narrows = Math.abs(gapCrmt) < Math.abs(gapJt);
  lines.push(
    `- crmt-jt: PGD on ${preferred} leaves ${pct(pgd(crmt, preferred))}, on ${worstOther} ${pct(pgd(crmt, worstOther))}. ` +
      `The gap between attacking the two (accuracy when attacking ${worstOther} minus when attacking ${preferred}) goes ` +
      `from ${(100 * gapJt).toFixed(1)} to ${(100 * gapCrmt).toFixed(1)} points: ` +
      (cheap
        ? narrows
          ? 'CRMT narrows it, as the paper claims.'
          : 'CRMT does not narrow it here.'
        : `jt showed no cheap preferred modality at this ε to begin with, so the paper's claim is not tested here${narrows ? '' : ' (the gap grows in absolute size)'}.`),
  );
  const pairs: [string, string][] = [
    ['jt', 'crmt-jt'],
    ['at', 'crmt-at'],
    ['mixup', 'crmt-mix'],
  ];
  const verdicts = pairs
    .filter(([a, b]) => by(a) && by(b))
    .map(([a, b]) => {
      const ra = by(a)!;
      const rb = by(b)!;
      const dCa = ca(rb) - ca(ra);
      const dClean = rb.clean.accuracy - ra.clean.accuracy;
      return `${b} vs ${a}: sound CA at ε=${certEps} ${dCa >= 0 ? '+' : ''}${(100 * dCa).toFixed(1)} points, clean ${dClean >= 0 ? '+' : ''}${(100 * dClean).toFixed(1)}`;
    });
  lines.push(`- Certified accuracy and clean accuracy, CRMT against its base: ${verdicts.join('; ')}.`);
  const ablation = ['jt', 'ojt', 'crmt-step1', 'crmt-step2', 'crmt-jt']
    .map((m) => by(m))
    .filter((r): r is ExperimentResult => Boolean(r))
    .map((r) => `${r.method} ${pct(ca(r))}`);
  lines.push(`- Ablation (sound CA at ε=${certEps}): ${ablation.join(', ')}.`);
  return lines.join('\n');
}
