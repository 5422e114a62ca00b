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

export interface BackendInfo {
  name: BackendName;
  choice: BackendChoice;
  /** One sentence for the backend chip. */
  reason: string;
  attempts: BackendAttempt[];
  /** The WASM backend has no Conv2DBackpropFilter kernel, so it cannot train a CNN. */
  canTrainConvolutions: boolean;
}
