import type { ExperimentResult } from '../core/experiment/experimentResult';
import { experimentFromJson } from '../core/params/experimentJson';
import { BOUND_MEANING, CERTIFICATE_KINDS } from '../core/robust/boundKind';
import { certifiedAt } from '../core/robust/certification';
import { describeAttack } from '../core/robust/describeAttack';
import { describeLocalBoundSetting } from '../core/robust/localBound/localBoundSetting';
import { localCoverage } from '../core/robust/localCertification';

const pct = (x: number | undefined) => (x === undefined ? '—' : `${(100 * x).toFixed(1)}%`);
const num = (x: number) => (Number.isFinite(x) ? x.toPrecision(3) : String(x));

/** A readable summary of one experiment for the terminal. */
export function formatSummary(r: ExperimentResult): string {
  const lines: string[] = [];
  lines.push(`${r.method} on ${r.dataset} (${r.modalities.join(' + ')}), seed ${r.seed}, backend ${r.backend}`);
  lines.push(
    `trained ${r.epochs} epochs in ${r.trainSeconds.toFixed(1)} s; attacks took ${r.evalSeconds.attacks.toFixed(1)} s ` +
      `(one PGD-ℓ2 pass over the ${r.split} split: ${r.evalSeconds.onePgdPass.toFixed(2)} s); ${r.split} samples: ${r.samples}`,
  );
  lines.push(unitsLine(r));
  lines.push('');
  lines.push(`clean accuracy     ${pct(r.clean.accuracy)}`);
  r.modalities.forEach((m, i) => lines.push(`branch ${m.padEnd(11)} ${pct(r.clean.branchAccuracy[i])}`));
  lines.push('');
  const eps = r.certified.eps;
  // The local kind only where it was computed (--local-bound), and said when on a sample of the split.
  const kinds = CERTIFICATE_KINDS.filter((b) => r.certified[b]);
  lines.push(`certified accuracy (${kinds.map((b) => `${b} = ${BOUND_MEANING[b]}`).join('; ')})`);
  const boundSetting = experimentFromJson(r.experiment).attack;
  const setting = describeLocalBoundSetting(boundSetting);
  if (r.certified.local)
    lines.push(
      `  ${localCoverage(r.certified.local, r.split)}${r.certified.local.samples < r.certified.local.of ? `, drawn with the run's seed (${r.seed})` : ''}` +
        (setting ? `, ${setting}` : ''),
    );
  lines.push(`  bound      target        ${eps.map((e) => `ε=${e}`.padStart(8)).join('')}`);
  for (const bound of kinds)
    for (const target of ['all', ...r.modalities]) {
      const row = eps.map((e) => certifiedAt(r.certified, r.modalities, bound, target, e));
      lines.push(`  ${bound.padEnd(10)} ${target.padEnd(13)} ${row.map((a) => pct(a).padStart(8)).join('')}`);
    }
  lines.push('');
  lines.push(
    `accuracy under attack (${describeAttack(experimentFromJson(r.experiment).attack)}; FGM-ℓ2: one step of ε)`,
  );
  lines.push(`  attack     target        ${eps.map((e) => `ε=${e}`.padStart(8)).join('')}`);
  for (const attack of ['fgm', 'pgd-l2'] as const)
    for (const target of [...r.modalities, 'all']) {
      const row = eps.map(
        (e) => r.robust.find((p) => p.attack === attack && p.target === target && p.eps === e)?.acc ?? NaN,
      );
      lines.push(`  ${attack.padEnd(10)} ${target.padEnd(13)} ${row.map((a) => pct(a).padStart(8)).join('')}`);
    }
  for (const p of r.robust.filter((p) => p.eps === null))
    lines.push(`  ${p.attack.padEnd(13)} ${p.target.padEnd(13)} ${pct(p.acc).padStart(5)}`);
  const d = r.preference;
  lines.push('');
  lines.push(
    `preference: branch ${d.modalities.map((m, i) => `${m} ${pct(d.branchAccuracy[i])}`).join(', ')}; ` +
      `mean share of the fused margin ${d.modalities.map((m, i) => `${m} ${num(d.meanShare[i])}`).join(', ')}`,
  );
  if (d.measured) {
    const c = d.measured;
    const at = (v: (number | null)[], i: number) => (v[i] === null ? 'not reached' : num(v[i]!));
    lines.push(
      `cheapest to attack, measured (PGD-ℓ2 on one modality until accuracy halves to ${pct(c.targetAccuracy)}): ` +
        `${c.cheapest ?? 'none'} by total ε (${d.modalities.map((m, i) => `${m} ${at(c.halvingEps, i)}`).join(', ')}); ` +
        `${c.cheapestPerFeature ?? 'none'} per feature, ε/√d (${d.modalities.map((m, i) => `${m} ${at(c.halvingEpsPerFeature, i)}`).join(', ')})`,
    );
  }
  lines.push(
    `cheapest by the bounds (median single-modality radius; a guarantee, not a measurement): ${d.cheapest.sound} ` +
      `(sound: ${d.modalities.map((m, i) => `${m} ${num(d.medianRadius.sound[i])}`).join(', ')}), ${d.cheapest.estimated} (estimated)`,
  );
  if (d.local)
    lines.push(
      `cheapest by the local bound (median local rᵐ, a guarantee; ${localCoverage(d.local, r.split, boundSetting)}): ${d.local.cheapest ?? 'none'} ` +
        `(${d.modalities.map((m, i) => `${m} ${num(d.local!.medianRadius[i])}`).join(', ')}; ` +
        `sound on the same samples: ${d.modalities.map((m, i) => `${m} ${num(d.local!.soundMedianRadius[i])}`).join(', ')})`,
    );
  const local = r.certified.local;
  lines.push(
    `median joint radius: sound ${num(r.certified.sound.medianRadius)}` +
      (local ? `, local ${num(local.medianRadius)} (${localCoverage(local, r.split, boundSetting)})` : '') +
      `, estimated ${num(r.certified.estimated.medianRadius)}`,
  );
  if (r.evalSeconds.localBound !== undefined && local)
    lines.push(
      `local bound: ${r.evalSeconds.localBound.toFixed(1)} s for ${local.samples} samples${setting ? `, ${setting}` : ''} ` +
        `(--local-bound N, auto for all, 0 for none; --local-bound-budget B for branch and bound)`,
    );
  r.modalities.forEach((m, i) => {
    const a = r.integration?.[i];
    if (a) lines.push(`integration a (${m}): [${a.map((v) => v.toFixed(3)).join(', ')}]`);
  });
  r.modalities.forEach((m, i) =>
    lines.push(
      `max τ (${m}): sound ${num(Math.max(...r.lipschitz.sound[i]))}, estimated ${num(Math.max(...r.lipschitz.estimated[i]))}`,
    ),
  );
  return lines.join('\n');
}

/** What every ε and radius above is measured in, and how to read it in raw units. */
function unitsLine(r: ExperimentResult): string {
  const s = r.units.featureStd;
  const head = 'units: ε and radii are ℓ2 norms of standardised inputs (z-scores of the training split)';
  if (!s) return head;
  const raw = (i: number) => `${r.modalities[i]} ×${num(s.min[i])}–${num(s.rms[i])}`;
  return `${head}; raw units per standardised unit (smallest–RMS feature std): ${r.modalities.map((_, i) => raw(i)).join(', ')}`;
}
