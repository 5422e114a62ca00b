import type { CertificateKind } from './boundKind';

/**
 * The modality a bound calls cheaper to attack: the one with the smallest median single-modality
 * radius rᵐ (spec §10), the first on a tie; null when no median is a number (no samples).
 */
export function cheapestModality(modalities: string[], medians: number[]): string | null {
  let best = -1;
  medians.forEach((r, m) => {
    if (Number.isFinite(r) && (best < 0 || r < medians[best])) best = m;
  });
  return best < 0 ? null : modalities[best];
}

/**
 * Each bound kind's cheapest modality, for the kinds given (a kind not computed is left out). Sound and
 * local can disagree: the local radius is never below the sound one sample by sample, but it grows by a
 * different factor in each modality, so the order of the medians can change.
 */
export function cheapestByKind(
  modalities: string[],
  medians: Partial<Record<CertificateKind, number[]>>,
): Partial<Record<CertificateKind, string | null>> {
  const out: Partial<Record<CertificateKind, string | null>> = {};
  for (const [k, m] of Object.entries(medians) as [CertificateKind, number[]][])
    out[k] = cheapestModality(modalities, m);
  return out;
}
