import type { ExperimentConfig } from '../core/config';
import type { Dataset } from '../core/data/dataset';
import type { Snapshot } from '../core/train/snapshot';
import { Trainer } from '../core/train/trainer';
import type { BenchPlan, ModelKind, ThroughputRow } from './benchTypes';
import { median, sizeRepeats } from './stats';

const WARMUP_STEPS = 2;

/**
 * Samples per second of the training step as the lab drives it (`advance(n)`: n steps, then one
 * loss read-back). The first steps compile kernels and allocate, so they are not counted; the
 * timed repeats never cross an epoch end, whose per-epoch metrics are not training.
 */
export async function measureThroughput(
  model: ModelKind,
  data: Dataset,
  config: ExperimentConfig,
  plan: BenchPlan,
): Promise<ThroughputRow> {
  const batchSize = config.train.batchSize;
  const trainer = new Trainer(data, config);
  try {
    const perEpoch = trainer.stepsPerEpoch;
    if (perEpoch < 2) throw new Error(`an epoch of ${perEpoch} step cannot hold a timed repeat`);
    let step = 0;
    const advance = async (n: number): Promise<Snapshot> => {
      const s = await trainer.advance(n);
      if (s.kind === 'diverged') throw new Error(s.message);
      step = s.progress.step;
      return s;
    };
    await advance(WARMUP_STEPS - 1);
    const t0 = performance.now();
    await advance(1);
    const stepSeconds = (performance.now() - t0) / 1000;
    const { stepsPerRepeat, repeats } = sizeRepeats(stepSeconds, {
      ...plan,
      maxStepsPerRepeat: Math.min(plan.maxStepsPerRepeat, perEpoch - 1),
    });
    const samples: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const left = perEpoch - (step % perEpoch);
      if (left <= stepsPerRepeat) await advance(left);
      const t = performance.now();
      const s = await advance(stepsPerRepeat);
      const seconds = (performance.now() - t) / 1000;
      if (s.kind !== 'progress') throw new Error(`a timed repeat ended in a "${s.kind}" snapshot`);
      samples.push((stepsPerRepeat * batchSize) / seconds);
    }
    const samplesPerSecond = median(samples);
    return {
      model,
      method: config.train.method,
      status: 'ok',
      samplesPerSecond,
      stepsPerSecond: samplesPerSecond / batchSize,
      repeats: samples,
      warmupSteps: WARMUP_STEPS,
      stepsPerRepeat,
      batchSize,
      trainSamples: trainer.splits.train.n,
    };
  } finally {
    trainer.dispose();
  }
}

/**
 * Seconds that `steps` training steps take as the lab drives them (`advance(chunk)`, one loss
 * read-back each), epoch ends left out: a chunk that would reach the end of its epoch runs untimed.
 */
export async function timeSteps(trainer: Trainer, steps: number, chunk: number): Promise<number> {
  let seconds = 0;
  for (let done = 0; done < steps;) {
    const { stepInEpoch, epochSteps } = trainer.position;
    const left = epochSteps - stepInEpoch;
    if (left <= chunk) {
      await trainer.advance(left);
      continue;
    }
    const n = Math.min(chunk, steps - done);
    const t0 = performance.now();
    const s = await trainer.advance(n);
    seconds += (performance.now() - t0) / 1000;
    if (s.kind !== 'progress') throw new Error(`a timed chunk ended in a "${s.kind}" snapshot`);
    done += n;
  }
  return seconds;
}
