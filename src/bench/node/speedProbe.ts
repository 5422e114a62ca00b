import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../core/config';
import { prepareDataset, standardised } from '../../core/data/prepare';
import { evaluateEpoch } from '../../core/robust/epochEvaluation';
import { isMethodId, type MethodId } from '../../core/train/methods';
import { evaluateSplit, Trainer } from '../../core/train/trainer';
import { syntheticMfeat } from '../evaluationCost';
import { benchConfig, benchData } from '../benchCases';
import { initNodeBackend } from '../../cli/nodeBackend';
import { commandLine, oneOf } from '../../cli/commandLine';
import { runMain, UsageError } from '../../cli/usageError';

/**
 * Training-step probe for issue 8 (bench/optimisations.md): steps per second of the Trainer as the
 * lab drives it (advance(progressEvery), one read-back per snapshot), kernels per step, and the cost
 * of the per-epoch evaluation. One configuration per process, so a driver can interleave versions.
 *
 *   tsx src/bench/node/speedProbe.ts <wasm|cpu> <jt|crmt-jt|…> <toy|mfeat|av> [steps|ops|eval] [seconds]
 *
 * Prints one JSON line per probe.
 */

async function probe(
  method: string,
  dataName: string,
  mode: string,
  seconds: number,
): Promise<Record<string, unknown>> {
  const step2 = mode.endsWith('2');
  // av: the audio-visual set with the CNN encoders, as the bench's CNN rows.
  const base = dataName === 'av' ? benchConfig('cnn', method as MethodId) : DEFAULT_CONFIG;
  const config: ExperimentConfig = {
    ...base,
    train: {
      ...base.train,
      method: method as MethodId,
      // step2 modes: one epoch of step 1, then step 2 for as long as the probe runs.
      epochs: step2 ? 1 : 1000,
      step2: { ...DEFAULT_CONFIG.train.step2, epochs: 1000 },
      liveEvaluation: mode === 'eval',
    },
  };
  const data =
    dataName === 'mfeat'
      ? standardised(syntheticMfeat(3000)).data
      : dataName === 'av'
        ? benchData(config)
        : prepareDataset(config).data;
  const trainer = new Trainer(data, config);
  const every = config.train.progressEvery;
  // Warm-up: kernels compiled, first allocations made, one epoch end seen.
  for (let i = 0; i < 2 * trainer.stepsPerEpoch;) {
    const s = await trainer.advance(every);
    if (!step2 || s.progress.phase === 'step2') i += every;
  }
  const result: Record<string, unknown> = { backend: tf.getBackend(), method, data: dataName, mode };
  if (mode === 'steps' || mode === 'steps2') {
    const budget = seconds * 1000;
    let steps = 0;
    let ms = 0;
    let cpuMicros = 0;
    while (ms < budget) {
      const before = performance.now();
      const cpuBefore = process.cpuUsage();
      const s = await trainer.advance(every);
      const took = performance.now() - before;
      const cpu = process.cpuUsage(cpuBefore);
      // Only snapshots inside an epoch: the epoch end adds the evaluation, measured on its own.
      if (s.kind === 'progress') {
        steps += every;
        ms += took;
        cpuMicros += cpu.user + cpu.system;
      }
    }
    result.stepsPerSecond = (steps * 1000) / ms;
    // CPU time of this process per step: less disturbed than wall time when others share the cores.
    result.cpuMsPerStep = cpuMicros / 1000 / steps;
  } else if (mode === 'ops' || mode === 'ops2') {
    let kernels: { name: string; kernelTimeMs: unknown }[] = [];
    let stepsTaken = 0;
    while (stepsTaken === 0) {
      let kind = '';
      const info = await tf.profile(async () => {
        kind = (await trainer.advance(every)).kind;
      });
      if (kind === 'progress') {
        kernels = info.kernels;
        stepsTaken = every;
      }
    }
    const byName = new Map<string, { count: number; ms: number }>();
    for (const k of kernels) {
      const e = byName.get(k.name) ?? { count: 0, ms: 0 };
      e.count++;
      e.ms += Number(k.kernelTimeMs) || 0;
      byName.set(k.name, e);
    }
    result.kernelsPerStep = kernels.length / stepsTaken;
    result.kernelMsPerStep = [...byName.values()].reduce((a, e) => a + e.ms, 0) / stepsTaken;
    result.byKernel = Object.fromEntries(
      [...byName.entries()]
        .sort((a, b) => b[1].count - a[1].count)
        .map(([n, e]) => [n, `${e.count / stepsTaken}×, ${(e.ms / stepsTaken).toFixed(3)} ms`]),
    );
  } else {
    const repeats = 5;
    const t = { train: 0, val: 0, live: 0 };
    for (let r = 0; r < repeats; r++) {
      let t0 = performance.now();
      await evaluateSplit(trainer.model, trainer.splits.train);
      t.train += performance.now() - t0;
      t0 = performance.now();
      await evaluateSplit(trainer.model, trainer.splits.val);
      t.val += performance.now() - t0;
      t0 = performance.now();
      await evaluateEpoch(trainer.model, trainer.splits.val.x, trainer.splits.val.y, trainer.splits.train.x);
      t.live += performance.now() - t0;
    }
    result.msTrainSplit = t.train / repeats;
    result.msValSplit = t.val / repeats;
    result.msLiveEvaluation = t.live / repeats;
    result.trainN = trainer.splits.train.n;
    result.valN = trainer.splits.val.n;
  }
  result.stepsPerEpoch = trainer.stepsPerEpoch;
  trainer.dispose();
  return result;
}

/**
 * µs per x·W-shaped product with and without a transposed operand, as the training step's
 * backward pass uses them (dy·Wᵀ for the layer input, xᵀ·dy for the weight).
 */
function matMulShapes(): Record<string, string> {
  const time = (f: () => tf.Tensor) => {
    for (let r = 0; r < 20; r++) tf.tidy(f);
    const t0 = performance.now();
    for (let r = 0; r < 200; r++) tf.tidy(f);
    return `${(((performance.now() - t0) / 200) * 1000).toFixed(0)} µs`;
  };
  const out: Record<string, string> = {};
  for (const [n, o, i] of [
    [64, 64, 216],
    [1024, 64, 256],
  ]) {
    const [dy, w, x] = [tf.randomNormal([n, o]), tf.randomNormal([i, o]), tf.randomNormal([n, i])];
    out[`dy·Wᵀ ${n}×${o}·${o}×${i}, transposeB`] = time(() => tf.matMul(dy, w, false, true));
    out[`dy·Wᵀ ${n}×${o}·${o}×${i}, explicit transpose`] = time(() => tf.matMul(dy, tf.transpose(w)));
    out[`xᵀ·dy ${i}×${n}·${n}×${o}, transposeA`] = time(() => tf.matMul(x, dy, true, false));
    out[`xᵀ·dy ${i}×${n}·${n}×${o}, explicit transpose`] = time(() => tf.matMul(tf.transpose(x), dy));
    tf.dispose([dy, w, x]);
  }
  return out;
}

const USAGE = `Usage: tsx src/bench/node/speedProbe.ts [wasm|cpu] [matmul | METHOD:DATA:MODE:SECONDS …]

One JSON line per probe: steps/s of the Trainer as the lab drives it, kernels per step, the cost of
the per-epoch evaluation, or (matmul) the matmul shapes of the training step.
  METHOD   a method id (jt, crmt-jt, …)       DATA     toy, mfeat, or av (audio-visual, CNN encoders)
  MODE     steps, ops, eval, or steps2/ops2 (step 2)   SECONDS  how long each probe runs
  -h, --help   print this help and exit`;

async function main(): Promise<void> {
  const cl = commandLine(process.argv.slice(2), { options: {}, usage: USAGE, positionals: { min: 0, max: 64 } });
  if (!cl) return;
  const [backendName = 'wasm', ...specs] = cl.positionals;
  await initNodeBackend(oneOf('backend', backendName, ['wasm', 'cpu'] as const));
  if (specs[0] === 'matmul') {
    console.log(JSON.stringify({ backend: tf.getBackend(), ...matMulShapes() }));
    return;
  }
  for (const spec of specs.length ? specs : ['jt:toy:steps:3']) {
    const [method = 'jt', dataName = 'toy', mode = 'steps', seconds = '3'] = spec.split(':');
    if (!isMethodId(method)) throw new UsageError(`"${spec}": ${method} is not a method id.`);
    if (!(Number(seconds) > 0)) throw new UsageError(`"${spec}": ${seconds} is not a number of seconds.`);
    console.log(JSON.stringify(await probe(method, dataName, mode, Number(seconds))));
  }
}

runMain(main, "Run 'tsx src/bench/node/speedProbe.ts --help' for the arguments.");
