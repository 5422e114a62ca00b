import * as tf from '@tensorflow/tfjs-core';
import { Conv2DBackpropFilter } from '@tensorflow/tfjs-core';
import { BACKENDS, type BackendAttempt, type BackendChoice, type BackendInfo, type BackendName } from './backendNames';

export * from './backendNames';

/**
 * Environment-specific checks that run before `tf.setBackend`: each returns null when the
 * backend may be tried, or the reason it cannot. Registration (imports, WASM paths) is the
 * caller's job, so this file runs unchanged in a worker and in Node.
 */
export type Prechecks = Partial<Record<BackendName, () => Promise<string | null>>>;

/** The order candidates are tried in: a forced backend first, then the default preference. */
export function candidateOrder(choice: BackendChoice): BackendName[] {
  return choice === 'auto' ? [...BACKENDS] : [choice, ...BACKENDS.filter((b) => b !== choice)];
}

/**
 * Whether a backend has the last kernel a CNN's training step needs, the convolution's filter
 * gradient. tfjs-backend-wasm has none of its own: WASM can once wasmConvolutionGradients.ts has
 * registered the lab's, which is done where the WASM backend is imported.
 */
export function canTrainConvolutions(name: BackendName): boolean {
  return tf.getKernel(Conv2DBackpropFilter, name) !== undefined;
}

/** Why a backend is passed over for a model with convolutions. */
export const NO_CONVOLUTIONS = "cannot train this model's convolutions (no Conv2DBackpropFilter kernel)";

/**
 * Tries each candidate in order and keeps the first that both initialises and passes a small
 * gradient computation, since some backends initialise and then fail on their first kernel.
 * With `needsConvolutions`, a backend that cannot train them is passed over (a forced WASM falls
 * back rather than leaving a CNN untrainable).
 */
export async function selectBackend(
  choice: BackendChoice,
  prechecks: Prechecks = {},
  needsConvolutions = false,
): Promise<BackendInfo> {
  const attempts: BackendAttempt[] = [];
  for (const name of candidateOrder(choice)) {
    const reason =
      needsConvolutions && !canTrainConvolutions(name) ? NO_CONVOLUTIONS : await tryBackend(name, prechecks[name]);
    if (reason !== null) {
      attempts.push({ name, ok: false, reason });
      continue;
    }
    const skipped = attempts.map((a) => `${a.name}: ${a.reason}`).join('; ');
    const why =
      attempts.length === 0
        ? choice === 'auto'
          ? `${name} is the first preference and passed its first-use check`
          : `forced by the user (${name})`
        : `fell back to ${name} (${skipped})`;
    attempts.push({ name, ok: true, reason: 'initialised and passed its first-use check' });
    return { name, choice, reason: why, attempts, canTrainConvolutions: canTrainConvolutions(name), timings: [] };
  }
  throw new Error(`No tensor backend works here: ${attempts.map((a) => `${a.name}: ${a.reason}`).join('; ')}`);
}

/** Initialises every backend in preference order (for auto, which times all that work). */
export async function initialiseBackends(prechecks: Prechecks = {}): Promise<BackendAttempt[]> {
  const attempts: BackendAttempt[] = [];
  for (const name of BACKENDS) {
    const reason = await tryBackend(name, prechecks[name]);
    attempts.push({ name, ok: reason === null, reason: reason ?? 'initialised and passed its first-use check' });
  }
  return attempts;
}

async function tryBackend(name: BackendName, precheck?: () => Promise<string | null>): Promise<string | null> {
  try {
    const blocked = precheck ? await precheck() : null;
    if (blocked) return blocked;
    if (!tf.findBackendFactory(name)) return 'not registered in this build';
    if (!(await tf.setBackend(name))) return 'failed to initialise';
    await tf.ready();
    return await firstUseCheck();
  } catch (e) {
    return `failed to initialise: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** d/dw Σ (x·w)² = 2 xᵀ(x·w), known in closed form: a wrong or missing kernel shows here. */
async function firstUseCheck(): Promise<string | null> {
  try {
    const x = [
      [1, 2],
      [3, -1],
    ];
    const w = [0.5, -0.25];
    const grad = tf.tidy(() => {
      const xt = tf.tensor2d(x);
      const f = (wt: tf.Tensor) => tf.sum(tf.square(tf.matMul(xt, tf.reshape(wt, [2, 1]))));
      return tf.grad(f)(tf.tensor1d(w));
    });
    const got = await grad.data();
    grad.dispose();
    const xw = x.map((r) => r[0] * w[0] + r[1] * w[1]);
    const want = [0, 1].map((j) => 2 * (x[0][j] * xw[0] + x[1][j] * xw[1]));
    const err = Math.max(...want.map((v, j) => Math.abs(v - got[j])));
    return err < 1e-4 ? null : `first-use check computed a wrong gradient (error ${err.toExponential(2)})`;
  } catch (e) {
    return `failed on first use: ${e instanceof Error ? e.message : String(e)}`;
  }
}
