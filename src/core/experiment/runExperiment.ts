import type { ExperimentConfig } from '../config';
import { experimentToJson } from '../params/experimentJson';
import type { Dataset } from '../data/dataset';
import type { MultiModalModel } from '../model/model';
import { featureStd, type Standardisation } from '../data/standardise';
import { attackCost } from '../robust/attackCost';
import { certify } from '../robust/certification';
import { missingModality, robustnessCurve, standardTargets, type RobustPoint } from '../robust/evaluation';
import { localCertify } from '../robust/localCertification';
import { localPreference } from '../robust/localPreference';
import { localBoundSettingOf } from '../robust/localBound/localBoundSetting';
import { localSample } from '../robust/localSample';
import { collectOutputs } from '../robust/modelOutputs';
import { preferenceDiagnostics } from '../robust/preference';
import type { EpochRecord, Snapshot } from '../train/snapshot';
import { evaluateSplit, Trainer, uploadSplit } from '../train/trainer';
import { RESULT_FORMAT, RESULT_VERSION, type EvalSplit, type ExperimentResult } from './experimentResult';

/** The evaluation after training: `done` of `total` units of work (about one pass over the split each). */
export interface EvaluationProgress {
  what: string;
  done: number;
  total: number;
}

export interface RunOptions {
  eps: number[];
  backend: string;
  /** The split the trained model is evaluated on (default `test`; `val` is the split the page's epochs show). */
  evalSplit?: EvalSplit;
  onSnapshot?: (s: Snapshot) => void;
  /** Start from these weights (e.g. imported); with 0 epochs the run only evaluates them. */
  model?: MultiModalModel;
  /** Called with the trained model before it is freed (e.g. to export it). */
  onTrained?: (model: MultiModalModel) => Promise<void>;
  /** Called as the evaluation starts (done 0) and after each of its parts. */
  onEvaluation?: (p: EvaluationProgress) => void;
  /** The standardisation the data went through, to state raw units beside the standardised ones. */
  standardisation?: Standardisation;
  /** Measure the ε that halves accuracy per modality (about 10 PGD passes per modality; default true). */
  measureAttackCost?: boolean;
}

/** Trains one method on a standardised dataset and evaluates it on one split (test by default): the CLI's path. */
export async function runExperiment(data: Dataset, config: ExperimentConfig, o: RunOptions): Promise<ExperimentResult> {
  const trainer = new Trainer(data, config, o.model);
  const split = o.evalSplit ?? 'test';
  const evaluated = uploadSplit(data, split);
  try {
    const start = performance.now();
    const history: EpochRecord[] = [];
    if (config.train.epochs > 0)
      for await (const s of trainer.run()) {
        o.onSnapshot?.(s);
        if (s.kind === 'diverged') throw new Error(s.message);
        if (s.kind === 'epoch') history.push(s.record);
      }
    await o.onTrained?.(trainer.model);
    const trainSeconds = (performance.now() - start) / 1000;
    const names = data.modalities.map((m) => m.name);
    const labels = new Int32Array(await evaluated.y.data());
    const outputs = await collectOutputs(trainer.model, evaluated.x);
    const targets = standardTargets(names);
    const localIndices = localSample(config.attack.localBound, evaluated.n, config.train.seed);
    const localCount = localIndices.length;
    const progress = evaluationProgress(o, {
      certify: names.length * outputs.K * (trainer.splits.train.n / Math.max(1, evaluated.n)),
      // About ten PGD passes' time per split's worth of samples (docs/LOCAL-BOUND.md §7).
      local: (10 * localCount) / Math.max(1, evaluated.n),
      fgm: 1,
      'pgd-l2': config.attack.steps * config.attack.restarts,
      missing: names.length,
      points: targets.length * o.eps.length,
      cost: o.measureAttackCost === false ? 0 : names.length * 11 * config.attack.steps * config.attack.restarts,
    });
    const cert = await certify(trainer.model, outputs, labels, trainer.splits.train.x, o.eps);
    progress.step('certification', 'certify');
    const local =
      localCount > 0
        ? await localCertify(trainer.model, evaluated.x, labels, localIndices, o.eps, {
            bound: localBoundSettingOf(config.attack),
          })
        : null;
    if (local)
      progress.step(
        `local (CROWN) bound on ${localCount < evaluated.n ? `${localCount} random` : 'all'} of ${evaluated.n} samples`,
        'local',
      );
    const evalStart = performance.now();
    const robust: RobustPoint[] = [];
    let onePass = NaN;
    for (const kind of ['fgm', 'pgd-l2'] as const) {
      const t0 = performance.now();
      // One point at a time, for the progress; each point's attack has its own seed, so the same numbers.
      for (const t of targets)
        for (const e of o.eps) {
          robust.push(
            ...(await robustnessCurve(
              trainer.model,
              evaluated.x,
              evaluated.y,
              kind,
              [t],
              [e],
              config.attack,
              config.train.seed,
            )),
          );
          progress.step(`${kind} on ${t.name} at ε = ${e}`, kind);
        }
      if (kind === 'pgd-l2') onePass = (performance.now() - t0) / 1000 / (targets.length * o.eps.length);
    }
    robust.push(...(await missingModality(trainer.model, evaluated.x, evaluated.y, names)));
    progress.step('missing modality', 'missing');
    const clean = await evaluateSplit(trainer.model, evaluated);
    const measured =
      o.measureAttackCost === false
        ? null
        : await attackCost(
            trainer.model,
            evaluated.x,
            evaluated.y,
            names,
            clean.accuracy,
            config.attack,
            config.train.seed,
          );
    progress.step('the ε that halves accuracy, per modality', 'cost');
    const evalSeconds = (performance.now() - evalStart) / 1000;
    const as = trainer.model.head.integration();
    return {
      format: RESULT_FORMAT,
      version: RESULT_VERSION,
      experiment: experimentToJson(config),
      method: config.train.method,
      dataset: data.name,
      seed: config.train.seed,
      backend: o.backend,
      modalities: names,
      units: { space: 'standardised', featureStd: o.standardisation ? featureStd(o.standardisation) : null },
      split,
      samples: evaluated.n,
      clean,
      robust,
      certified: local ? { ...cert.accuracy, local: local.curves } : cert.accuracy,
      integration: as ? await Promise.all(as.map(async (a) => Array.from(await a.data()))) : null,
      lipschitz: { sound: cert.constants.sound.tau, estimated: cert.constants.estimated.tau },
      preference: {
        ...preferenceDiagnostics(outputs, labels, cert.radii, names, measured),
        ...(local ? { local: localPreference(local, names) } : {}),
      },
      epochs: config.train.epochs,
      history,
      trainSeconds,
      evalSeconds: { attacks: evalSeconds, onePgdPass: onePass, ...(local ? { localBound: local.seconds } : {}) },
    };
  } finally {
    evaluated.x.forEach((x) => x.dispose());
    evaluated.y.dispose();
    trainer.dispose();
  }
}

/**
 * Units of the evaluation's parts, about one pass over the evaluated split each: the estimated τ
 * is a gradient pass over the training split per modality and class; PGD its steps times its
 * runs; FGM one; the missing-modality modes one forward pass per modality and mode.
 */
function evaluationProgress(
  o: RunOptions,
  u: { certify: number; local: number; fgm: number; 'pgd-l2': number; missing: number; points: number; cost: number },
) {
  const total = u.certify + u.local + u.points * (u.fgm + u['pgd-l2']) + u.missing + u.cost;
  let done = 0;
  o.onEvaluation?.({ what: 'start', done, total });
  return {
    step(what: string, part: 'certify' | 'local' | 'fgm' | 'pgd-l2' | 'missing' | 'cost') {
      done += u[part];
      o.onEvaluation?.({ what, done: Math.min(done, total), total });
    },
  };
}
