import type { AttackSettings } from '../core/config';
import { featureStd, type Standardisation } from '../core/data/standardise';
import { ATTACK_COST_SEARCH, attackCost } from '../core/robust/attackCost';
import { ViewStopped } from '../core/robust/attackView';
import { certify } from '../core/robust/certification';
import { localCertify, type LocalCertifyOptions } from '../core/robust/localCertification';
import { localPreference, type LocalPreference } from '../core/robust/localPreference';
import { localSample } from '../core/robust/localSample';
import { LIVE_ESTIMATE_SAMPLES } from '../core/robust/epochEvaluation';
import { collectOutputs } from '../core/robust/modelOutputs';
import { preferenceDiagnostics, type PreferenceDiagnostics } from '../core/robust/preference';
import { evaluateSplit, type Trainer } from '../core/train/trainer';

/**
 * Which modality is cheaper to attack, on the validation split of the model on display: the
 * bound (median single-modality sound radius) and the measurement (the ε at which PGD-ℓ2 on that
 * modality alone halves the clean accuracy), computed by the same core functions as the CLI's
 * `preference`, so `npm run experiment -- --weights … --epochs 0 --eval-split val` gives the same numbers.
 */
export interface AttackCostView {
  /** Validation accuracy of the model as it stands: the measurement halves it. */
  clean: number;
  /** Features per modality (d), for ε/√d. */
  dims: number[];
  /**
   * Raw units per standardised unit, per modality (the smallest and the RMS feature std), as the
   * CLI's result gives them; null when the data's statistics are not known.
   */
  featureStd: { min: number[]; rms: number[] } | null;
  /** The PGD the measurement used (the experiment's attack settings) and its seed. */
  settings: AttackSettings;
  seed: number;
  /** The ε search: doubled from firstEps up to maxEps, then bisected. */
  search: typeof ATTACK_COST_SEARCH;
  preference: PreferenceDiagnostics;
  /**
   * The local (CROWN) bound beside the sound one: on the lab's local sample (attack.localBound random
   * validation samples, drawn with the run's seed as the page's local-bound view draws them); null when
   * that setting is 0 samples.
   */
  local: LocalPreference | null;
}

export async function attackCostView(
  trainer: Trainer,
  modalities: string[],
  settings: AttackSettings,
  seed: number,
  stats: Standardisation | null,
  stop: () => boolean,
  local: Omit<LocalCertifyOptions, 'withdrawn'> = {},
): Promise<AttackCostView> {
  const { x, y, n } = trainer.splits.val;
  if (n === 0) throw new Error('There is no validation split to measure the attacks on.');
  const model = trainer.model;
  const clean = await evaluateSplit(model, trainer.splits.val);
  if (stop()) throw new ViewStopped();
  const outputs = await collectOutputs(model, x);
  const labels = new Int32Array(await y.data());
  // Of the Lipschitz kinds only the sound bound is shown; the estimated one is part of the diagnostics' shape.
  const cert = await certify(model, outputs, labels, trainer.splits.train.x, [], LIVE_ESTIMATE_SAMPLES);
  const measured = await attackCost(model, x, y, modalities, clean.accuracy, settings, seed, stop);
  // After the measurement, one sample per chunk with the page's cancel checked between (0.05–4 s each).
  const indices = localSample(settings.localBound, n, seed);
  const bound =
    indices.length > 0 ? await localCertify(model, x, labels, indices, [], { ...local, withdrawn: stop }) : null;
  return {
    clean: clean.accuracy,
    dims: x.map((t) => t.shape[1]),
    featureStd: stats ? featureStd(stats) : null,
    settings,
    seed,
    search: ATTACK_COST_SEARCH,
    preference: preferenceDiagnostics(outputs, labels, cert.radii, modalities, measured),
    local: bound && localPreference(bound, modalities),
  };
}
