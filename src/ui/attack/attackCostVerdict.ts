import { cheapestByKind } from '../../core/robust/cheapestModality';

/** What the sound and local bounds and the measurement each call cheaper to attack, and whether they agree. */
export interface AttackCostVerdict {
  /** The modality each bound names (local: null when not computed). */
  sound: string | null;
  local: string | null;
  /** Sound bound against the measurement; null when the measurement names none. */
  agree: boolean | null;
  /** Local bound against the measurement; null when either names none. */
  localAgree: boolean | null;
  /** The sentences the panel shows. */
  text: string;
}

/**
 * The panel's verdict: each bound's cheapest modality (the smallest median rᵐ) against the measured one.
 * `local` is null when the local bound was not computed; `measured` null when no modality's accuracy halved
 * by `maxEps`; `localSamples` how many random validation samples the local medians cover.
 */
export function attackCostVerdict(v: {
  modalities: string[];
  sound: number[];
  local: number[] | null;
  localSamples: number;
  measured: string | null;
  maxEps: number;
}): AttackCostVerdict {
  const named = cheapestByKind(v.modalities, { sound: v.sound, ...(v.local ? { local: v.local } : {}) });
  const sound = named.sound ?? null;
  const local = named.local ?? null;
  const agree = v.measured === null ? null : v.measured === sound;
  const localAgree = v.measured === null || local === null ? null : v.measured === local;
  const sentences = [
    agree === null
      ? `No modality's accuracy halved by ε = ${v.maxEps}: the measurement names none, so there is nothing to compare with the sound bound (${sound}).`
      : agree
        ? `The sound bound and the measurement agree: ${sound} is the cheaper modality to attack.`
        : `The sound bound and the measurement disagree: the sound bound names ${sound}, PGD finds ${v.measured} cheaper.`,
  ];
  if (v.local)
    sentences.push(
      `The local bound, on ${v.localSamples} random validation samples, names ${local}` +
        (local === sound ? ', as the sound bound does' : `, where the sound bound names ${sound}`) +
        (localAgree === null ? '.' : localAgree ? ', as PGD does.' : `; PGD finds ${v.measured} cheaper.`),
    );
  sentences.push(
    'Both bounds are guarantees (lower bounds): the sound one sits 2–5× below the first flip an attack finds, the local ' +
      'one about 1.1–2.3× on the MLP models (docs/LOCAL-BOUND.md §8); what an attacker needs is the measurement.',
  );
  return { sound, local, agree, localAgree, text: sentences.join(' ') };
}
