import type { AttackKind } from '../robust/attackKinds';

/**
 * The units of the exported metrics, named once. Every CSV column that carries a radius or an ε
 * ends with one of these suffixes, and metrics.json maps each such field to its description, so
 * a pandas user never has to guess which space a number lives in.
 */
export const UNIT_SUFFIXES = {
  std_l2:
    'ℓ2 norm of the standardised inputs (every feature a z-score with training-split statistics), joint over the attacked modalities',
  std_linf: 'ℓ∞ norm of the standardised inputs (the largest change of any one z-scored feature)',
  std: 'standard deviation per standardised feature (z-score units)',
} as const;

export type UnitSuffix = keyof typeof UNIT_SUFFIXES;

/** The unit of an attack's budget (ε, or σ for noise); null for attacks without one (missing modality). */
export function attackBudgetUnit(kind: AttackKind): { symbol: 'eps' | 'sigma'; unit: UnitSuffix } | null {
  if (kind === 'fgm' || kind === 'pgd-l2') return { symbol: 'eps', unit: 'std_l2' };
  if (kind === 'pgd-linf') return { symbol: 'eps', unit: 'std_linf' };
  if (kind === 'gaussian') return { symbol: 'sigma', unit: 'std' };
  return null;
}

/** The budget as the CSV's attack label writes it: `eps_std_l2=0.5`, or '' when the attack has none. */
export function attackBudgetLabel(kind: AttackKind, eps: number): string {
  const u = attackBudgetUnit(kind);
  return u ? `${u.symbol}_${u.unit}=${eps}` : '';
}

/**
 * metrics.json's `units`: what each CSV suffix means, and each field of an epoch record that
 * holds a radius or an ε with its unit.
 */
export function metricsJsonUnits(): { suffixes: typeof UNIT_SUFFIXES; fields: Record<string, string> } {
  return {
    suffixes: UNIT_SUFFIXES,
    fields: {
      'history[].evaluation.radiusHistogram.edges': 'std_l2',
      'history[].evaluation.certified.eps': 'std_l2',
      'history[].evaluation.certified.sound.medianRadius': 'std_l2',
      'history[].evaluation.certified.estimated.medianRadius': 'std_l2',
      'history[].evaluation.certified.local.medianRadius': 'std_l2 (only where the local bound was computed)',
      'history[].attack.eps':
        'by attack kind: std_l2 (fgm, pgd-l2), std_linf (pgd-linf), std (gaussian σ), none (missing-*)',
    },
  };
}
