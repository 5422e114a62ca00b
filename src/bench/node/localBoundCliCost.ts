import { DEFAULT_CONFIG, type ExperimentConfig } from '../../core/config';
import { standardised } from '../../core/data/prepare';
import { runExperiment } from '../../core/experiment/runExperiment';
import { localCertify } from '../../core/robust/localCertification';
import { localSample } from '../../core/robust/localSample';
import { uploadSplit } from '../../core/train/trainer';
import { dataSource } from '../../cli/experimentOptions';
import { loadData } from '../../cli/loadData';
import { initNodeBackend } from '../../cli/nodeBackend';

/**
 * What the CLI's --local-bound N adds to a run (docs/LOCAL-BOUND.md §7, the table that chose the
 * default): per dataset, a default training (local bound off), then the local bound of N random
 * test samples (localSample, seeds 1 … reps), wall and CPU seconds, medians with every repeat.
 *
 *   npx tsx src/bench/node/localBoundCliCost.ts DATA[,DATA…] N[,N…] [REPEATS=3]
 *   e.g. toy-2d,../shared/data/optdigits_halves,../shared/data/mfeat_handwritten,../shared/data/mnist_usps_hw2sources 5,10,20,100
 */
const [datasetArg, countArg, repeatArg] = process.argv.slice(2);
if (!datasetArg || !countArg) {
  console.error('usage: npx tsx src/bench/node/localBoundCliCost.ts DATA[,DATA…] N[,N…] [REPEATS=3]');
  process.exit(2);
}
const datasets = datasetArg.split(',');
const counts = countArg.split(',').map(Number);
const reps = Number(repeatArg ?? 3);
await initNodeBackend('auto');
for (const name of datasets) {
  const base: ExperimentConfig = { ...DEFAULT_CONFIG, attack: { ...DEFAULT_CONFIG.attack, localBound: 0 } };
  const { data } = standardised(await loadData(dataSource(name, base), base));
  const t0 = performance.now();
  await runExperiment(data, base, {
    eps: [0.1],
    backend: 'wasm',
    measureAttackCost: false,
    onTrained: async (model) => {
      const test = uploadSplit(data, 'test');
      const labels = new Int32Array(await test.y.data());
      for (const n of counts) {
        const wall: number[] = [];
        const cpu: number[] = [];
        for (let r = 0; r < reps; r++) {
          const c0 = process.cpuUsage();
          const w0 = performance.now();
          await localCertify(model, test.x, labels, localSample(n, test.n, 1 + r), [0.1]);
          wall.push((performance.now() - w0) / 1000);
          const c = process.cpuUsage(c0);
          cpu.push((c.user + c.system) / 1e6);
        }
        const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
        console.log(
          `${name} N=${n} of ${test.n}: wall median ${med(wall).toFixed(2)} s [${wall.map((x) => x.toFixed(2)).join(', ')}], CPU median ${med(cpu).toFixed(2)} s [${cpu.map((x) => x.toFixed(2)).join(', ')}]`,
        );
      }
    },
  });
  console.log(`${name}: whole run ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
