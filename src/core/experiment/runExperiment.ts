import type { ExperimentConfig } from '../config';
import type { Dataset } from '../data/dataset';
import { certify, type CertifiedPoint } from '../robust/certification';
import { accuracy, collectOutputs } from '../robust/modelOutputs';
import type { Snapshot } from '../train/snapshot';
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
  /** Filled by the attack suite (evaluation). */
  robust: { attack: string; target: string; eps: number; acc: number }[];
  certified: CertifiedPoint[];
  median_radius: { sound: number; estimated: number };
  integration: Record<string, number[] | null>;
  /** τₖᵐ per modality, both kinds. */
  lipschitz: { sound: Record<string, number[]>; estimated: Record<string, number[]> };
  train_seconds: number;
  epochs: number;
  test_samples: number;
}

export interface RunOptions {
  eps: number[];
  backend: string;
  onSnapshot?: (s: Snapshot) => void;
}

/** Trains one method on a standardised dataset and evaluates it on the test split: the CLI's path. */
export async function runExperiment(data: Dataset, config: ExperimentConfig, o: RunOptions): Promise<ExperimentResult> {
  const trainer = new Trainer(data, config);
  const test = uploadSplit(data, 'test');
  try {
    const start = performance.now();
    for await (const s of trainer.run()) {
      o.onSnapshot?.(s);
      if (s.kind === 'diverged') throw new Error(s.message);
    }
    const trainSeconds = (performance.now() - start) / 1000;
    const names = data.modalities.map((m) => m.name);
    const labels = new Int32Array(await test.y.data());
    const outputs = await collectOutputs(trainer.model, test.x);
    const cert = await certify(trainer.model, outputs, labels, trainer.splits.train.x, names, o.eps);
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
      robust: [],
      certified: cert.points,
      median_radius: cert.medianRadius,
      integration: byName((m) => (aValues ? aValues[m] : null)),
      lipschitz: {
        sound: byName((m) => cert.constants.certified.tau[m]),
        estimated: byName((m) => cert.constants.estimated.tau[m]),
      },
      train_seconds: trainSeconds,
      epochs: config.train.epochs,
      test_samples: test.n,
    };
  } finally {
    test.x.forEach((x) => x.dispose());
    test.y.dispose();
    trainer.dispose();
  }
}
