import type { ExperimentResult } from '../core/experiment/runExperiment';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const num = (x: number) => (Number.isFinite(x) ? x.toPrecision(3) : String(x));

/** A readable summary of one experiment for the terminal. */
export function formatSummary(r: ExperimentResult): string {
  const lines: string[] = [];
  lines.push(`${r.method} on ${r.dataset} (${r.modalities.join(' + ')}), seed ${r.seed}, backend ${r.backend}`);
  lines.push(
    `trained ${r.epochs} epochs in ${r.train_seconds.toFixed(1)} s; attacks took ${r.eval_seconds.attacks.toFixed(1)} s ` +
      `(one PGD-ℓ2 pass over the test split: ${r.eval_seconds.one_pgd_pass.toFixed(2)} s); test samples: ${r.test_samples}`,
  );
  lines.push('');
  lines.push(`clean accuracy     ${pct(r.clean_acc)}`);
  for (const m of r.modalities) lines.push(`branch ${m.padEnd(11)} ${pct(r.branch_acc[m])}`);
  lines.push('');
  const eps = [...new Set(r.certified.map((p) => p.eps))];
  lines.push(`certified accuracy (sound = guaranteed; estimated = paper's practice, not a guarantee)`);
  lines.push(`  bound      target        ${eps.map((e) => `ε=${e}`.padStart(8)).join('')}`);
  for (const bound of ['sound', 'estimated'] as const)
    for (const target of ['all', ...r.modalities]) {
      const row = eps.map((e) => r.certified.find((p) => p.bound === bound && p.target === target && p.eps === e)!.acc);
      lines.push(`  ${bound.padEnd(10)} ${target.padEnd(13)} ${row.map((a) => pct(a).padStart(8)).join('')}`);
    }
  lines.push('');
  lines.push('accuracy under attack (PGD-ℓ2: 10 steps of ε/4 from the clean input; FGM-ℓ2: one step of ε)');
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
  lines.push(
    `cheapest to attack: ${d.cheapest.certified} (sound), ${d.cheapest.estimated} (estimated); median single-modality ` +
      `radius (sound) ${d.modalities.map((m, i) => `${m} ${num(d.medianRadius.certified[i])}`).join(', ')}`,
  );
  lines.push(`median joint radius: sound ${num(r.median_radius.sound)}, estimated ${num(r.median_radius.estimated)}`);
  for (const m of r.modalities) {
    const a = r.integration[m];
    if (a) lines.push(`integration a (${m}): [${a.map((v) => v.toFixed(3)).join(', ')}]`);
  }
  for (const m of r.modalities)
    lines.push(
      `max τ (${m}): sound ${num(Math.max(...r.lipschitz.sound[m]))}, estimated ${num(Math.max(...r.lipschitz.estimated[m]))}`,
    );
  return lines.join('\n');
}
