/** Kept apart from the attacks so the page can name them without loading tfjs. */
export const ATTACK_KINDS = ['fgm', 'pgd-l2', 'pgd-linf', 'missing-mean', 'missing-drop', 'gaussian'] as const;
export type AttackKind = (typeof ATTACK_KINDS)[number];

export const ATTACK_LABEL: Record<AttackKind, string> = {
  fgm: 'FGM-ℓ2',
  'pgd-l2': 'PGD-ℓ2',
  'pgd-linf': 'PGD-ℓ∞',
  'missing-mean': 'missing (mean imputation)',
  'missing-drop': "missing (modality's share dropped)",
  gaussian: 'Gaussian noise',
};
