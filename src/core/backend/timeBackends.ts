import * as tf from '@tensorflow/tfjs-core';
import { Trainer } from '../train/trainer';
import { canTrainConvolutions } from './backendManager';
import type { BackendName, BackendTiming } from './backendNames';
import { timingModelHasConvolutions, type TimingModel } from './timingModel';

export interface TimingBudget {
  /** Measuring time per backend after its warm-up. */
  measureMs: number;
  /** All backends together; past it each still gets its warm-up and one measured chunk. */
  totalMs: number;
}

export const DEFAULT_TIMING_BUDGET: TimingBudget = { measureMs: 300, totalMs: 3000 };

/** Cheap warm-ups first, so that GPU shader compiles eat into only the GPUs' own measuring time. */
const TIMING_ORDER: BackendName[] = ['wasm', 'cpu', 'webgl', 'webgpu'];

/** Steps between read-backs while measuring: about this long, at most the session's progressEvery. */
const CHUNK_MS = 100;

/** Which of `names` auto times, and why the others are not timed. */
export function timingPlan(
  names: BackendName[],
  needsConvolutions: boolean,
  untimed: Partial<Record<BackendName, string>> = {},
): { todo: BackendName[]; skipped: BackendTiming[] } {
  const skip = (n: BackendName) =>
    needsConvolutions && !canTrainConvolutions(n) ? 'cannot train convolutions' : (untimed[n] ?? null);
  return {
    todo: TIMING_ORDER.filter((n) => names.includes(n) && skip(n) === null),
    skipped: names
      .filter((n) => skip(n) !== null)
      .map((name) => ({ name, stepsPerSecond: null, steps: 0, warmupMs: 0, skipped: skip(name)! })),
  };
}

/**
 * Trains a fresh trainer of the model on each backend for a moment and measures steps/s. Not
 * timed: a backend without a convolution gradient on a model with convolutions, and any backend
 * `untimed` gives a reason for. Leaves the last timed backend active; the caller sets
 * the one it picks.
 */
export async function timeBackends(
  names: BackendName[],
  model: TimingModel,
  budget: TimingBudget = DEFAULT_TIMING_BUDGET,
  untimed: Partial<Record<BackendName, string>> = {},
): Promise<BackendTiming[]> {
  const { todo, skipped } = timingPlan(names, timingModelHasConvolutions(model), untimed);
  const out = [...skipped];
  const deadline = performance.now() + budget.totalMs;
  for (const [i, name] of todo.entries()) {
    const share = (deadline - performance.now()) / (todo.length - i);
    out.push(await timeBackend(name, model, Math.max(0, Math.min(budget.measureMs, share))));
  }
  return out;
}

async function timeBackend(name: BackendName, model: TimingModel, measureMs: number): Promise<BackendTiming> {
  let trainer: Trainer | null = null;
  try {
    if (!(await tf.setBackend(name))) throw new Error('failed to initialise');
    const config = { ...model.config, train: { ...model.config.train, liveEvaluation: false } };
    trainer = new Trainer(model.data, config);
    return { name, ...(await timeTraining(trainer, config.train.progressEvery, measureMs)) };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { name, stepsPerSecond: null, steps: 0, warmupMs: 0, skipped: `failed while training: ${message}` };
  } finally {
    trainer?.dispose();
  }
}

/**
 * Two warm-up steps (the first compiles the kernels and creates the optimiser's slots), then
 * chunks of steps, each ending with the loss read-back the session also does, until `measureMs`
 * has passed (at least one chunk). Chunks that end an epoch are left out of the rate: they
 * include the epoch's evaluation, which is not a training step.
 */
export async function timeTraining(
  trainer: Trainer,
  progressEvery: number,
  measureMs: number,
): Promise<Omit<BackendTiming, 'name'>> {
  const start = performance.now();
  await trainer.advance(1);
  const compiled = performance.now();
  let done = (await trainer.advance(1)).progress.step;
  const warm = performance.now();
  let msPerStep = Math.max(warm - compiled, 0.01);
  const maxChunk = Math.max(1, Math.min(progressEvery, trainer.stepsPerEpoch - 1));
  const within = { steps: 0, ms: 0 };
  const all = { steps: 0, ms: 0 };
  do {
    const chunk = Math.min(maxChunk, Math.max(1, Math.round(CHUNK_MS / msPerStep)));
    const t0 = performance.now();
    const s = await trainer.advance(chunk);
    const ms = performance.now() - t0;
    const steps = s.progress.step - done;
    done = s.progress.step;
    all.steps += steps;
    all.ms += ms;
    if (s.kind === 'progress' && steps > 0) {
      within.steps += steps;
      within.ms += ms;
      msPerStep = ms / steps;
    }
    if (s.kind === 'diverged' || trainer.isFinished) break;
  } while (performance.now() - warm < measureMs);
  const used = within.steps > 0 ? within : all;
  const warmupMs = warm - start;
  if (used.steps === 0)
    return { stepsPerSecond: null, steps: 0, warmupMs, skipped: 'the run ended before it could be timed' };
  return { stepsPerSecond: (used.steps * 1000) / used.ms, steps: used.steps, warmupMs };
}
