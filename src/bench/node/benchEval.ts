import { DEFAULT_CONFIG } from '../../core/config';
import type { MethodId } from '../../core/train/methods';
import { Trainer, uploadSplit } from '../../core/train/trainer';
import { evaluationSetup, timeEvaluation } from '../evaluationCost';
import { attackAccuracy, attackSpec } from '../../core/robust/attacks';
import { initNodeBackend } from '../../cli/nodeBackend';

const TEST_SAMPLES = 3000;

/** `npm run bench:eval`: evaluation cost against the cost of one training epoch (issue 4). */
async function main(): Promise<void> {
  const backend = await initNodeBackend((process.argv[2] as 'wasm' | 'cpu') ?? 'wasm');
  const rows: [string, number][] = [];
  for (const method of ['jt', 'crmt-jt'] as MethodId[]) {
    const { data, config } = evaluationSetup(method, TEST_SAMPLES);
    const trainer = new Trainer(data, { ...config, train: { ...config.train, epochs: 2 } });
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
    const all = test.x.map(() => true);
    const t0 = performance.now();
    await attackAccuracy(trainer.model, test.x, test.y, attackSpec('fgm', all, 1, DEFAULT_CONFIG.attack));
    const fgm = (performance.now() - t0) / 1000;
    const t = await timeEvaluation(trainer, test);
    rows.push(
      [`${method}: one training epoch (${trainer.splits.train.n} samples, batch 64)`, epochSeconds],
      [`${method}: clean pass over ${test.n} test samples`, t.clean],
      [`${method}: FGM-ℓ2 over ${test.n} test samples`, fgm],
      [`${method}: PGD-ℓ2, 10 steps, over ${test.n} test samples`, t.pgdL2],
      [
        `${method}: certified radii, both kinds (estimated τ over ${trainer.splits.train.n} training samples)`,
        t.certified,
      ],
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
