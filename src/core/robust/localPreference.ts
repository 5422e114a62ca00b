import { median } from './certify';
import { cheapestModality } from './cheapestModality';
import type { LocalCertification } from './localCertification';

/**
 * Which modality the local (CROWN) bound calls cheaper to attack, on the samples it certified: the
 * attack-cost panel and the CLI's `preference` both report it beside the sound bound's verdict.
 */
export interface LocalPreference {
  /** Samples certified, of the split's `of` (the lab's seeded random sample, localSample). */
  samples: number;
  of: number;
  /** Median local rᵐ per modality (0 for misclassified samples, as the sound medians). */
  medianRadius: number[];
  /** Median sound rᵐ per modality on the same samples: the local one is never below it. */
  soundMedianRadius: number[];
  /** The modality with the smallest median local rᵐ; null when there is no sample. */
  cheapest: string | null;
}

export function localPreference(
  bound: Pick<LocalCertification, 'radii' | 'sound' | 'curves'>,
  modalities: string[],
): LocalPreference {
  const medianRadius = bound.radii.perModality.map((r) => median(r));
  return {
    samples: bound.curves.samples,
    of: bound.curves.of,
    medianRadius,
    soundMedianRadius: bound.sound.perModality.map((r) => median(r)),
    cheapest: cheapestModality(modalities, medianRadius),
  };
}
