import type { BackendResult, BenchPlan, MachineInfo, ModelKind } from '../benchTypes';
import type { MethodId } from '../../core/train/methods';
import type { AutoPick } from './autoPick';

/** What a WebGPU adapter says about itself (GPUAdapterInfo), as plain data. */
export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A software adapter the implementation offers when no GPU is usable (WebGPU's fallback adapter). */
  isFallbackAdapter: boolean;
}

/** The WebGPU adapter the check trained on, or why there was none. */
export type AdapterReport =
  | {
      found: true;
      info: AdapterInfo;
      /** The software rasteriser's name (swiftshader, llvmpipe) when the adapter is one, else null. */
      software: string | null;
      /** One line naming vendor, architecture, device and driver. */
      text: string;
    }
  | { found: false; reason: string };

/** Per-step training losses of one backend from the same seeded start, against the reference backend's. */
export interface ParityRow {
  model: ModelKind;
  method: MethodId;
  backend: BackendResult['backend'];
  reference: BackendResult['backend'];
  steps: number;
  status: 'ok' | 'cannot-run' | 'failed';
  reason?: string;
  /** Loss of step 1 … steps, on this backend and on the reference. */
  losses?: number[];
  referenceLosses?: number[];
  /** Largest |loss − reference loss| over the steps. */
  maxAbsDiff?: number;
}

/** One run of the GPU check (`bash .gpu-check/run.sh`): the JSON it writes, and what record reads. */
export interface GpuCheckResult {
  kind: 'crmt-gpu-check';
  generatedAt: string;
  /** The commit the bundle was built from (with "+dirty" when the tree had changes). */
  commit: string;
  machine: MachineInfo;
  /** nvidia-smi's "name, driver, memory" line where there is one, else null. */
  hostGpu: string | null;
  dawn: { package: string; version: string };
  adapter: AdapterReport;
  plan: BenchPlan;
  /** Node backends as the bench measures them: webgpu (Dawn), wasm, cpu. */
  backends: BackendResult[];
  parity: ParityRow[];
  /** The parity tolerance the rows are judged by. */
  parityTolerance: number;
  /** What the lab's auto selection picks per model kind here (absent in checks recorded before it existed). */
  autoPicks?: AutoPick[];
  wallSeconds: number;
  errors: string[];
  /** tfjs flags the run set (--tf-flag); absent when it ran with tfjs's defaults. */
  tfFlags?: Record<string, number | boolean | string>;
}
