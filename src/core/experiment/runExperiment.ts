import type { ExperimentConfig } from '../config';
import type { Dataset } from '../data/dataset';
import { certify, type CertifiedPoint } from '../robust/certification';
import { pgdLabDefault } from '../robust/attacks';
import { missingModality, robustnessCurve, standardTargets, type RobustPoint } from '../robust/evaluation';
import { accuracy, collectOutputs } from '../robust/modelOutputs';
import { preferenceDiagnostics, type PreferenceDiagnostics } from '../robust/preference';
import type { Snapshot } from '../train/snapshot';
import type { MultiModalModel } from '../model/model';
import { Trainer, uploadSplit } from '../train/trainer';

/** The CLI's JSON (issue 3's keys), every accuracy on the test split. */
export interface ExperimentResult {
  method: string;
  dataset: string;
  seed: number;
  backend: string;
  modalities: string[];
  clean_acc: number;
  branch_acc: Record<string, number>;
  /** FGM-ℓ2 and PGD-ℓ2 (the lab's stronger default) on each modality and on all, at each ε; missing modality both ways. */
  robust: RobustPoint[];
  certified: CertifiedPoint[];
  median_radius: { sound: number; estimated: number };
  integration: Record<string, number[] | null>;
  /** τₖᵐ per modality, both kinds. */
  lipschitz: { sound: Record<string, number[]>; estimated: Record<string, number[]> };
  preference: PreferenceDiagnostics;
  train_seconds: number;
  /** Seconds for all the attacks above together, and for one PGD-ℓ2 pass over the test split. */
  eval_seconds: { attacks: number; one_pgd_pass: number };
  epochs: number;
  test_samples: number;
}

/** The evaluation after training: `done` of `total` units of work (about one pass over the test split each). */
export interface EvaluationProgress {
  what: string;
  done: number;
  total: number;
}

export interface RunOptions {
  eps: number[];
  backend: string;
  onSnapshot?: (s: Snapshot) => void;
  /** Start from these weights (e.g. imported); with 0 epochs the run only evaluates them. */
  model?: MultiModalModel;
  /** Called with the trained model before it is freed (e.g. to export it). */
  onTrained?: (model: MultiModalModel) => Promise<void>;
  /** Called as the evaluation starts (done 0) and after each of its parts. */
  onEvaluation?: (p: EvaluationProgress) => void;
}

/** Trains one method on a standardised dataset and evaluates it on the test split: the CLI's path. */
export async function runExperiment(data: Dataset, config: ExperimentConfig, o: RunOptions): Promise<ExperimentResult> {
  const trainer = new Trainer(data, config, o.model);
  const test = uploadSplit(data, 'test');
  try {
    const start = performance.now();
    if (config.train.epochs > 0)
      for await (const s of trainer.run()) {
        o.onSnapshot?.(s);
        if (s.kind === 'diverged') throw new Error(s.message);
      }
    await o.onTrained?.(trainer.model);
    const trainSeconds = (performance.now() - start) / 1000;
    const names = data.modalities.map((m) => m.name);
    const labels = new Int32Array(await test.y.data());
    const outputs = await collectOutputs(trainer.model, test.x);
    const targets = standardTargets(names);
    const progress = evaluationProgress(
      o,
      names.length,
      outputs.K,
      trainer.splits.train.n / Math.max(1, test.n),
      targets.length,
    );
    const cert = await certify(trainer.model, outputs, labels, trainer.splits.train.x, names, o.eps);
    progress.step('certification', 'certify');
    const evalStart = performance.now();
    const robust: RobustPoint[] = [];
    let onePass = NaN;
    for (const kind of ['fgm', 'pgd-l2'] as const) {
      const t0 = performance.now();
      // One point at a time, for the progress; each point's attack has its own seed, so the same numbers.
      for (const t of targets)
        for (const e of o.eps) {
          robust.push(...(await robustnessCurve(trainer.model, test.x, test.y, kind, [t], [e], config.train.seed)));
          progress.step(`${kind} on ${t.name} at ε = ${e}`, kind);
        }
      if (kind === 'pgd-l2') onePass = (performance.now() - t0) / 1000 / (targets.length * o.eps.length);
    }
    robust.push(...(await missingModality(trainer.model, test.x, test.y, names)));
    progress.step('missing modality', 'missing');
    const evalSeconds = (performance.now() - evalStart) / 1000;
    const as = trainer.model.head.integration();
    const aValues = as ? await Promise.all(as.map(async (a) => Array.from(await a.data()))) : null;
    const byName = <T>(f: (m: number) => T) => Object.fromEntries(names.map((n, m) => [n, f(m)]));
    return {
      method: config.train.method,
      dataset: data.name,
      seed: config.train.seed,
      backend: o.backend,
      modalities: names,
      clean_acc: accuracy(outputs.logits, labels, outputs.K),
      branch_acc: byName((m) => accuracy(outputs.uni[m], labels, outputs.K)),
      robust,
      preference: preferenceDiagnostics(outputs, labels, cert.radii, names),
      certified: cert.points,
      median_radius: cert.medianRadius,
      integration: byName((m) => (aValues ? aValues[m] : null)),
      lipschitz: {
        sound: byName((m) => cert.constants.certified.tau[m]),
        estimated: byName((m) => cert.constants.estimated.tau[m]),
      },
      train_seconds: trainSeconds,
      eval_seconds: { attacks: evalSeconds, one_pgd_pass: onePass },
      epochs: config.train.epochs,
      test_samples: test.n,
    };
  } finally {
    test.x.forEach((x) => x.dispose());
    test.y.dispose();
    trainer.dispose();
  }
}

/**
 * Units of the evaluation's parts, about one pass over the test split each: the estimated τ is a
 * gradient pass over the training split per modality and class; PGD its steps; FGM one; the
 * missing-modality modes one forward pass per modality and mode.
 */
function evaluationProgress(o: RunOptions, M: number, K: number, trainPerTest: number, targets: number) {
  const units = { certify: M * K * trainPerTest, fgm: 1, 'pgd-l2': pgdLabDefault(1).steps, missing: M };
  const total = units.certify + targets * o.eps.length * (units.fgm + units['pgd-l2']) + units.missing;
  let done = 0;
  o.onEvaluation?.({ what: 'start', done, total });
  return {
    step(what: string, part: keyof typeof units) {
      done += units[part];
      o.onEvaluation?.({ what, done: Math.min(done, total), total });
    },
  };
}
