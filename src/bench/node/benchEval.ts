import { DEFAULT_CONFIG } from '../../core/config';
import type { MethodId } from '../../core/train/methods';
import { Trainer, uploadSplit } from '../../core/train/trainer';
import { evaluationSetup, timeEvaluation } from '../evaluationCost';
import { attackAccuracy, attackSpec } from '../../core/robust/attacks';
import { initNodeBackend } from '../../cli/nodeBackend';
import { commandLine, oneOf } from '../../cli/commandLine';
import { formatSeconds, secondsLeft } from '../../cli/progress';
import { runMain } from '../../cli/usageError';

const TEST_SAMPLES = 3000;

const USAGE = `Usage: npm run bench:eval -- [--backend wasm|cpu]

Times one training epoch, a clean pass, FGM-ℓ2, PGD-ℓ2 and the certified radii over ${TEST_SAMPLES}
test samples for jt and crmt-jt (a minute or two).

  --backend NAME      wasm (default) or cpu
  -h, --help          print this help and exit`;

/** `npm run bench:eval`: evaluation cost against the cost of one training epoch (issue 4). */
async function main(): Promise<void> {
  const cl = commandLine(process.argv.slice(2), { options: { backend: { type: 'string' } }, usage: USAGE });
  if (!cl) return;
  const choice = oneOf('--backend', (cl.values.backend as string | undefined) ?? 'wasm', ['wasm', 'cpu'] as const);
  const backend = await initNodeBackend(choice);
  const rows: [string, number][] = [];
  const started = performance.now();
  const methods: MethodId[] = ['jt', 'crmt-jt'];
  for (const [i, method] of methods.entries()) {
    const elapsed = (performance.now() - started) / 1000;
    process.stderr.write(
      `[bench:eval] ${method} (${i + 1}/${methods.length})` +
        (i ? ` · ${formatSeconds(elapsed)}, ~${formatSeconds(secondsLeft(i, methods.length, elapsed))} left` : '') +
        '\n',
    );
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
      [`${method}: PGD-ℓ2, ${DEFAULT_CONFIG.attack.steps} steps, over ${test.n} test samples`, t.pgdL2],
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

runMain(main, "Run 'npm run bench:eval -- --help' for the options.");
