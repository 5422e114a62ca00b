import type { EpochRecord } from '../train/snapshot';
import { csvNumber as cell, csvText } from './csvField';
import { attackBudgetLabel } from './metricUnits';

/**
 * Every metric per epoch as CSV: one row per epoch, one column per number (a = integration
 * weight). Text fields (column names carry modality names) are quoted and neutralised per
 * csvText; lines end with LF. A column holding a radius, or named after an ε, ends with its unit
 * (metricUnits: `_std_l2` is the ℓ2 norm of the standardised inputs), and the attack label
 * names its budget's unit, so the file is self-describing for pandas without a units row.
 */
export function metricsCsv(history: EpochRecord[], modalities: string[]): string {
  const header = [
    'run_epoch',
    'phase',
    'phase_epoch',
    'train_loss',
    'train_acc',
    'val_loss',
    'val_acc',
    ...modalities.flatMap((m) => [`train_acc_${m}`, `val_acc_${m}`]),
    'median_radius_sound_std_l2',
    'median_radius_estimated_std_l2',
    ...modalities.flatMap((m) => [0.05, 0.25, 0.5, 0.75, 0.95].map((q) => `margin_${m}_q${Math.round(q * 100)}`)),
  ];
  const eps = history.find((r) => r.evaluation)?.evaluation?.certified.eps ?? [];
  // Certified accuracy (a share, no unit) at a joint radius ε, which the name carries with its unit.
  header.push(
    ...eps.map((e) => `ca_sound_all_${e.toFixed(2)}_std_l2`),
    ...eps.map((e) => `ca_estimated_all_${e.toFixed(2)}_std_l2`),
  );
  // The local (CROWN) kind only where some epoch has it (computed on demand, perhaps on a sample).
  const local = history.some((r) => r.evaluation?.certified.local);
  if (local)
    header.push(
      'median_radius_local_std_l2',
      'local_samples',
      'local_of',
      ...eps.map((e) => `ca_local_all_${e.toFixed(2)}_std_l2`),
    );
  const classes = history.find((r) => r.integration)?.integration?.[0].length ?? 0;
  header.push(...modalities.flatMap((m) => Array.from({ length: classes }, (_, k) => `a_${m}_${k}`)));
  // The attack the page had on while training, when it had one: its label and accuracy per epoch.
  const attacked = history.some((r) => r.attack);
  if (attacked) header.push('attack', 'attack_val_acc');
  const rows = history.map((r) => {
    const e = r.evaluation;
    return [
      String(r.runEpoch),
      csvText(r.phase),
      String(r.epoch),
      cell(r.train.loss),
      cell(r.train.accuracy),
      cell(r.val.loss),
      cell(r.val.accuracy),
      ...modalities.flatMap((_, i) => [cell(r.train.branchAccuracy[i]), cell(r.val.branchAccuracy[i])]),
      cell(e?.certified.sound.medianRadius),
      cell(e?.certified.estimated.medianRadius),
      ...modalities.flatMap((_, i) => (e ? e.marginQuantiles[i].map(cell) : ['', '', '', '', ''])),
      ...eps.map((_, j) => cell(e?.certified.sound.all[j])),
      ...eps.map((_, j) => cell(e?.certified.estimated.all[j])),
      ...(local
        ? [
            cell(e?.certified.local?.medianRadius),
            cell(e?.certified.local?.samples),
            cell(e?.certified.local?.of),
            ...eps.map((_, j) => cell(e?.certified.local?.all[j])),
          ]
        : []),
      ...modalities.flatMap((_, i) => Array.from({ length: classes }, (__, k) => cell(r.integration?.[i][k]))),
      ...(attacked
        ? [
            r.attack
              ? csvText(
                  [r.attack.kind, r.attack.targets.join('+'), attackBudgetLabel(r.attack.kind, r.attack.eps)]
                    .filter(Boolean)
                    .join(' '),
                )
              : '',
            cell(r.attack?.accuracy),
          ]
        : []),
    ].join(',');
  });
  return [header.map(csvText).join(','), ...rows].join('\n') + '\n';
}
