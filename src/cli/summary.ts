import type { ExperimentResult } from '../core/experiment/runExperiment';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const num = (x: number) => (Number.isFinite(x) ? x.toPrecision(3) : String(x));

/** A readable summary of one experiment for the terminal. */
export function formatSummary(r: ExperimentResult): string {
  const lines: string[] = [];
  lines.push(`${r.method} on ${r.dataset} (${r.modalities.join(' + ')}), seed ${r.seed}, backend ${r.backend}`);
  lines.push(`trained ${r.epochs} epochs in ${r.train_seconds.toFixed(1)} s; test samples: ${r.test_samples}`);
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
