import type { ExperimentConfig } from '../config';
import type { Dataset } from '../data/dataset';
import { certify, type CertifiedPoint } from '../robust/certification';
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

export interface RunOptions {
  eps: number[];
  backend: string;
  onSnapshot?: (s: Snapshot) => void;
  /** Start from these weights (e.g. imported); with 0 epochs the run only evaluates them. */
  model?: MultiModalModel;
  /** Called with the trained model before it is freed (e.g. to export it). */
  onTrained?: (model: MultiModalModel) => Promise<void>;
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
    const cert = await certify(trainer.model, outputs, labels, trainer.splits.train.x, names, o.eps);
    const evalStart = performance.now();
    const targets = standardTargets(names);
    const robust: RobustPoint[] = [];
    let onePass = NaN;
    for (const kind of ['fgm', 'pgd-l2'] as const) {
      const t0 = performance.now();
      robust.push(...(await robustnessCurve(trainer.model, test.x, test.y, kind, targets, o.eps, config.train.seed)));
      if (kind === 'pgd-l2') onePass = (performance.now() - t0) / 1000 / (targets.length * o.eps.length);
    }
    robust.push(...(await missingModality(trainer.model, test.x, test.y, names)));
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
