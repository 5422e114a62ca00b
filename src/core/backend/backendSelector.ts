import * as tf from '@tensorflow/tfjs-core';
import { canTrainConvolutions, initialiseBackends, selectBackend, type Prechecks } from './backendManager';
import {
  BACKENDS,
  type BackendAttempt,
  type BackendChoice,
  type BackendInfo,
  type BackendName,
  type BackendTiming,
} from './backendNames';
import { autoReason, describeTimings, fastestBackend, sortTimings } from './fastestBackend';
import { DEFAULT_TIMING_BUDGET, timeBackends, timingPlan, type TimingBudget } from './timeBackends';
import type { TimingModel } from './timingModel';

export interface BackendChange {
  info: BackendInfo;
  /** The tensor backend changed (not only its reason or timings). */
  switched: boolean;
}

/**
 * One worker's backend for the model it trains. The first call selects; later calls re-select
 * only when the model gains or loses convolutions, since that changes the ranking most and decides
 * whether a backend without a convolution gradient can train it: auto times each kind of model
 * once (every usable backend that can train it) and takes the fastest; a forced backend that cannot
 * train a CNN hands it to auto's choice among the others and comes back when the model has no
 * convolutions again.
 */
export class BackendSelector {
  info: BackendInfo | null = null;
  private convolutional: boolean | null = null;
  private attempts: BackendAttempt[] | null = null;
  private readonly timings = new Map<boolean, BackendTiming[]>();

  constructor(
    readonly choice: BackendChoice,
    private readonly prechecks: Prechecks = {},
    private readonly budget: TimingBudget = DEFAULT_TIMING_BUDGET,
    /** Backends auto should not time, with the reason; asked after the prechecks ran. */
    private readonly untimed: () => Partial<Record<BackendName, string>> = () => ({}),
  ) {}

  /**
   * `model` is built only when auto has to time this kind of model. `onlyIfRequired`: keep the
   * current backend unless it cannot train the model at all (for a model whose weights cannot be
   * rebuilt on the new backend, only moved). Null when nothing changed.
   */
  async fit(
    needsConvolutions: boolean,
    model: () => TimingModel,
    onlyIfRequired = false,
  ): Promise<BackendChange | null> {
    const before = this.info;
    if (before && this.convolutional === needsConvolutions) return null;
    if (before && onlyIfRequired && (!needsConvolutions || before.canTrainConvolutions)) return null;
    const info =
      this.choice === 'auto'
        ? await this.fastest(needsConvolutions, model)
        : needsConvolutions && !canTrainConvolutions(this.choice)
          ? await this.insteadOfForced(this.choice, model)
          : await selectBackend(this.choice, this.prechecks);
    if (!(await tf.setBackend(info.name))) throw new Error(`The ${info.name} backend failed to initialise again.`);
    this.info = info;
    this.convolutional = needsConvolutions;
    return { info, switched: before?.name !== info.name };
  }

  /** A forced backend that cannot train the model's convolutions: auto picks among those that can. */
  private async insteadOfForced(forced: BackendName, model: () => TimingModel): Promise<BackendInfo> {
    const info = await this.fastest(true, model);
    const reason = `${forced} was forced but cannot train this model's convolutions; ${info.reason}`;
    return { ...info, choice: forced, reason };
  }

  private async fastest(needsConvolutions: boolean, model: () => TimingModel): Promise<BackendInfo> {
    const attempts = (this.attempts ??= await initialiseBackends(this.prechecks));
    const usable = attempts.filter((a) => a.ok).map((a) => a.name);
    if (usable.length === 0)
      throw new Error(`No tensor backend works here: ${attempts.map((a) => `${a.name}: ${a.reason}`).join('; ')}`);
    const untimed = this.untimed();
    const plan = timingPlan(usable, needsConvolutions, untimed);
    if (plan.todo.length === 1) {
      // Nothing to compare: no seconds spent timing it.
      const name = plan.todo[0];
      const others = plan.skipped.length ? ` (${describeTimings(plan.skipped)})` : '';
      const reason = `auto: ${name} is the only candidate for this model, so nothing was timed${others}`;
      return {
        name,
        choice: 'auto',
        reason,
        attempts,
        canTrainConvolutions: canTrainConvolutions(name),
        timings: plan.skipped,
      };
    }
    let timings = this.timings.get(needsConvolutions);
    if (!timings) {
      timings = sortTimings(await timeBackends(usable, model(), this.budget, untimed));
      this.timings.set(needsConvolutions, timings);
    }
    const pick = fastestBackend(timings, needsConvolutions ? canTrainConvolutions : undefined);
    // Nothing trained (each failed on this model): take the first that could, and let the run say why.
    const name =
      pick?.name ??
      BACKENDS.find((b) => usable.includes(b) && (!needsConvolutions || canTrainConvolutions(b))) ??
      usable[0];
    const reason = pick
      ? autoReason(pick, timings)
      : `auto: no backend could be timed on this model (${describeTimings(timings)}); using ${name}`;
    return { name, choice: 'auto', reason, attempts, canTrainConvolutions: canTrainConvolutions(name), timings };
  }
}
