/** Kept apart from the manager so the page can name backends without loading tfjs. */
export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendChoice = BackendName | 'auto';

export function isBackendChoice(s: string | null | undefined): s is BackendChoice {
  return s === 'auto' || (BACKENDS as readonly string[]).includes(s ?? '');
}

export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  /** Why it was taken or skipped, in words a user can act on. */
  reason: string;
}

/** One backend's measured training speed on the model being loaded (auto selection). */
export interface BackendTiming {
  name: BackendName;
  /** Optimiser steps per second after the warm-up; null when it was not timed. */
  stepsPerSecond: number | null;
  /** Steps the rate was measured over. */
  steps: number;
  /** The first two steps, which compile the backend's kernels. */
  warmupMs: number;
  /** Why it was not timed, when it was not. */
  skipped?: string;
}

export interface BackendInfo {
  name: BackendName;
  choice: BackendChoice;
  /** One sentence for the backend chip. */
  reason: string;
  attempts: BackendAttempt[];
  canTrainConvolutions: boolean;
  /** What auto measured, fastest first; empty when a backend was forced. */
  timings: BackendTiming[];
}
