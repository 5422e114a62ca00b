import { DEFAULT_CONFIG, type ExperimentConfig } from '../core/config';
import type { Dataset } from '../core/data/dataset';
import { standardised } from '../core/data/prepare';
import { stratifiedSplit } from '../core/data/splits';
import { createRng } from '../core/random';
import { attackAccuracy, attackSpec } from '../core/robust/attacks';
import { certify } from '../core/robust/certification';
import { collectOutputs } from '../core/robust/modelOutputs';
import { Trainer, uploadSplit } from '../core/train/trainer';
import { initNodeBackend } from './nodeBackend';

/** mfeat-shaped synthetic data (76 + 216 features, 10 classes), large enough for a few thousand test samples. */
function synthetic(n: number): Dataset {
  const rng = createRng(3);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 10);
  const view = (d: number, noise: number) => {
    const centres = Array.from({ length: 10 }, () => Array.from({ length: d }, () => rng.normal()));
    return Float32Array.from(
      { length: n * d },
      (_, j) => centres[labels[Math.floor(j / d)]][j % d] + noise * rng.normal(),
    );
  };
  return {
    name: 'synthetic-76x216',
    modalities: [
      { name: 'a', shape: [76] },
      { name: 'b', shape: [216] },
    ],
    classNames: Array.from({ length: 10 }, (_, k) => String(k)),
    features: [view(76, 3), view(216, 6)],
    labels,
    split: stratifiedSplit(labels, { val: 0.05, test: 0.2 }, rng),
  };
}

const time = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const v = await f();
  return [v, (performance.now() - t0) / 1000];
};

/** `npm run bench:eval`: evaluation cost against the cost of one training epoch (issue 4). */
async function main(): Promise<void> {
  const backend = await initNodeBackend((process.argv[2] as 'wasm' | 'cpu') ?? 'wasm');
  const { data } = standardised(synthetic(15000));
  const rows: [string, number][] = [];
  for (const method of ['jt', 'crmt-jt'] as const) {
    const config: ExperimentConfig = {
      ...DEFAULT_CONFIG,
      train: { ...DEFAULT_CONFIG.train, method, epochs: 2, liveEvaluation: false },
    };
    const trainer = new Trainer(data, config);
    const test = uploadSplit(data, 'test');
    await trainer.advance(1); // warm-up: kernels and first allocations
    let epochSeconds = 0;
    for (;;) {
      const t0 = performance.now();
      const s = await trainer.advance(trainer.stepsPerEpoch);
      epochSeconds = (performance.now() - t0) / 1000;
      if (s.kind === 'epoch' && s.record.epoch >= 2) break;
      if (trainer.isFinished) break;
    }
    const all = [true, true];
    const [, clean] = await time(() => collectOutputs(trainer.model, test.x));
    const [, fgm] = await time(() => attackAccuracy(trainer.model, test.x, test.y, attackSpec('fgm', all, 1)));
    const [, pgd] = await time(() => attackAccuracy(trainer.model, test.x, test.y, attackSpec('pgd-l2', all, 1)));
    const outputs = await collectOutputs(trainer.model, test.x);
    const labels = new Int32Array(await test.y.data());
    const [, cert] = await time(() =>
      certify(trainer.model, outputs, labels, trainer.splits.train.x, ['a', 'b'], [0.1]),
    );
    rows.push(
      [`${method}: one training epoch (${trainer.splits.train.n} samples, batch 64)`, epochSeconds],
      [`${method}: clean pass over ${test.n} test samples`, clean],
      [`${method}: FGM-ℓ2 over ${test.n} test samples`, fgm],
      [`${method}: PGD-ℓ2, 10 steps, over ${test.n} test samples`, pgd],
      [`${method}: certified radii, both kinds (estimated τ over ${trainer.splits.train.n} training samples)`, cert],
    );
    test.x.forEach((x) => x.dispose());
    test.y.dispose();
    trainer.dispose();
  }
  console.log(`backend ${backend.name}, Node ${process.version}`);
  for (const [what, s] of rows) console.log(`${s.toFixed(3).padStart(8)} s  ${what}`);
}

main().catch((e: unknown) => {
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
