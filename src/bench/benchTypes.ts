import type { BackendName } from '../core/backend/backendNames';
import type { MethodId } from '../core/train/methods';
import type { GpuCheckResult } from './gpu/gpuCheckTypes';

export type ModelKind = 'mlp' | 'cnn';
export type BenchEnv = 'node' | 'browser';

/** How much to measure: the same plan drives Node and the browser worker. */
export interface BenchPlan {
  methods: MethodId[];
  models: ModelKind[];
  /** Wall-clock budget for the timed repeats of one (model, method) case. */
  secondsPerCase: number;
  /** A repeat aims at this long, within 1…maxStepsPerRepeat steps. */
  secondsPerRepeat: number;
  maxStepsPerRepeat: number;
  minRepeats: number;
  maxRepeats: number;
  /** Epochs between the two tensor counts (0: no memory check), for these methods. */
  memoryEpochs: number;
  memoryMethods: MethodId[];
  memoryBudgetSeconds: number;
  /** Test samples of the evaluation-cost data (0: no evaluation cost). */
  evalSamples: number;
  evalMethods: MethodId[];
  /** Methods after the first are evaluated only while the part stays within this. */
  evalBudgetSeconds: number;
  /** Per-kernel profile of the MLP step (Node only: cheap and precise on CPU backends). */
  profile: boolean;
  /** Training batch size of the throughput cases, when not the lab's default (the GPU check's --batch). */
  batchSize?: number;
}

export interface ThroughputRow {
  model: ModelKind;
  method: MethodId;
  status: 'ok' | 'cannot-run' | 'failed';
  reason?: string;
  /** Median over the repeats. */
  samplesPerSecond?: number;
  stepsPerSecond?: number;
  /** samples/s of every repeat, in order. */
  repeats?: number[];
  warmupSteps?: number;
  stepsPerRepeat?: number;
  batchSize: number;
  trainSamples?: number;
}

export interface MemoryRow {
  method: MethodId;
  /** Samples in the toy dataset: the default 1,200, fewer on a backend too slow for that. */
  samples: number;
  epochs: number;
  /** tf.memory() before the trainer exists, after its first epoch, after `epochs` more, after dispose. */
  tensors: { before: number; afterFirstEpoch: number; afterEpochs: number; afterDispose: number };
  bytes: { before: number; afterFirstEpoch: number; afterEpochs: number; afterDispose: number };
  flat: boolean;
  /** The lab's own epoch (steps, loss read-backs, per-epoch metrics, live evaluation), median seconds. */
  secondsPerEpoch: number;
}

export interface EvaluationRow {
  method: MethodId;
  testSamples: number;
  trainSamples: number;
  /** Seconds per 1,000 test samples. */
  clean: number;
  pgdL2: number;
  certified: number;
}

export interface KernelTime {
  name: string;
  count: number;
  ms: number;
}

/** One training step seen kernel by kernel: how much of the wall time is kernels. */
export interface StepProfile {
  method: MethodId;
  steps: number;
  kernelsPerStep: number;
  kernelMsPerStep: number;
  /** The same number of steps without the profiler, and with it. */
  wallMsPerStep: number;
  profiledWallMsPerStep: number;
  topKernels: KernelTime[];
}

export interface BackendResult {
  env: BenchEnv;
  /** The backend asked for. */
  backend: BackendName;
  status: 'ok' | 'unavailable' | 'failed';
  /** The selection's sentence, or why it was not available. */
  reason: string;
  adapter?: string;
  throughput: ThroughputRow[];
  memory: MemoryRow[];
  evaluation: EvaluationRow[];
  profile: StepProfile[];
  errors: string[];
  /** Wall seconds the bench spent on each part here. */
  seconds: Partial<Record<'throughput' | 'memory' | 'evaluation' | 'profile', number>>;
}

/** A backend's result before anything is measured: also what an unavailable or failed backend reports. */
export function emptyBackendResult(
  env: BenchEnv,
  backend: BackendName,
  status: BackendResult['status'],
  reason: string,
): BackendResult {
  return {
    env,
    backend,
    status,
    reason,
    throughput: [],
    memory: [],
    evaluation: [],
    profile: [],
    errors: [],
    seconds: {},
  };
}

export interface FirstEpochRow {
  choice: string;
  /** What the backend chip named, and its sentence (the last run's). */
  backend: string;
  reason: string;
  runs: number;
  /** Medians, seconds after navigation start. */
  ready: number;
  firstEpoch: number;
  /** From the click on Start to epoch 1 shown. */
  clickToEpoch: number;
  all: number[];
}

/** The lab's main thread while a heavy dataset trains with every chart on the page (one repeat). */
export interface ResponsivenessRow {
  dataset: string;
  backend: string;
  method: string;
  viewport: string;
  /** From the click on Start to the click on Pause. */
  trainSeconds: number;
  /** The epoch counter once paused. */
  epochShown: number;
  /** Long tasks (> 50 ms) on the main thread between the two clicks, from a PerformanceObserver. */
  longestTaskMs: number;
  /** The same task's CPU time at most (a Chrome trace's thread time): without the waits for a core on a busy machine. */
  longestTaskCpuMs: number | null;
  longTaskMs: number;
  longTasks: number;
  /** From the Pause click (its input time) to the page showing "paused". */
  pauseLatencyMs: number;
  /** Animation frames the page drew per second while training. */
  framesPerSecond: number;
  /** How far the view was behind the worker at worst: snapshots posted but not yet shown, and the oldest one's age (null: the page does not report it). */
  viewLagSnapshots: number | null;
  viewLagMs: number | null;
}

/**
 * The MLP jt step timed in turns, tfjs then PyTorch (one thread), in one run: pair i is tfjs repeat
 * i and the PyTorch repeat right after it, so a burst of load from elsewhere falls on both sides.
 */
export interface InterleavedComparison {
  env: BenchEnv;
  backend: BackendName;
  stepsPerRepeat: number;
  /** Steps per second of each repeat, in order. */
  tfjs: number[];
  torch: number[];
  /** tfjs[i] / torch[i]. */
  ratios: number[];
}

export type TorchResult =
  | {
      available: true;
      version: string;
      /** Debian's python3-torch 1.13 rather than a 2.x wheel. */
      debian: boolean;
      python: string;
      threads: number;
      stepsPerSecond: number;
      samplesPerSecond: number;
      repeats: number[];
      stepsPerRepeat: number;
      singleThreadStepsPerSecond: number;
      opsPerStep: number | null;
      batchSize: number;
      trainSamples: number;
      /** Absent where the run did not interleave (no tfjs backend measured, or results from before). */
      interleaved?: InterleavedComparison;
    }
  | { available: false; reason: string };

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  ramGiB: number;
  os: string;
  node: string;
  tfjs: string;
}

export interface BenchResults {
  generatedAt: string;
  quick: boolean;
  machine: MachineInfo;
  browser: { name: string; version: string; args: string[] } | null;
  plan: BenchPlan;
  backends: BackendResult[];
  firstEpoch: FirstEpochRow[];
  /** UI responsiveness while training (absent in results written before it was measured). */
  responsiveness?: ResponsivenessRow[];
  torch: TorchResult;
  /** PyTorch training the CNN jt case's network (absent in results written before it was measured). */
  torchCnn?: TorchResult;
  /** Parts that failed as a whole (the browser, the lab page, …), with why. */
  errors: string[];
  /** The last real-GPU check recorded (npm run gpu-check:record); absent until one is. */
  gpu?: GpuCheckResult;
}
