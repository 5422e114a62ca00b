import { attackView, ViewStopped } from '../core/robust/attackView';
import { boundaryView } from '../core/robust/boundaryView';
import { localBoundView } from '../core/robust/localBoundView';
import { localBoundSettingOf } from '../core/robust/localBound/localBoundSetting';
import type { LocalCertifyOptions } from '../core/robust/localCertification';
import type { Trainer } from '../core/train/trainer';
import { Superseded } from './answer';
import { attackCostView } from './attackCostView';
import type { Experiment } from './experiment';
import type { ModelLock } from './modelLock';
import type { Query, ResultOf } from './protocol';
import { yieldToEventLoop } from './yieldToEventLoop';

/** The page's views of the current model: accuracy under its attack, its decision boundaries, its local bound. */
export function attackOf(
  experiment: Experiment,
  { request }: Query<'attack'>,
  withdrawn: () => boolean,
): Promise<ResultOf<'attack'>> {
  return viewOfModel(experiment, (trainer, names) =>
    attackView(
      trainer.model,
      trainer.splits.val.x,
      trainer.splits.val.y,
      names,
      request,
      experiment.config!.attack,
      withdrawn,
    ),
  );
}

/** Which modality is cheaper to attack: the bounds (sound, local) beside the measured ε (attackCostView). */
export function attackCostOf(
  experiment: Experiment,
  lock: ModelLock,
  training: () => boolean,
  withdrawn: () => boolean,
): Promise<ResultOf<'attackCost'>> {
  return viewOfModel(experiment, (trainer, names) => {
    const chunks = localChunks(experiment, trainer, lock, training, withdrawn);
    return attackCostView(
      trainer,
      names,
      experiment.config!.attack,
      experiment.config!.train.seed,
      experiment.stats,
      chunks.withdrawn,
      chunks,
    );
  });
}

export function boundariesOf(
  experiment: Experiment,
  { request }: Query<'boundaries'>,
): Promise<ResultOf<'boundaries'>> {
  return viewOfModel(experiment, (trainer, names) =>
    boundaryView(trainer.model, trainer.splits.val.x, trainer.splits.val.y, names, request, experiment.config!.attack),
  );
}

/**
 * The local bound: one sample per chunk (0.05–4 s each), with the event loop let in between so
 * Pause and a withdrawal (a new run, the page's cancel) are seen. While a run trains it also waits
 * as long as the sample took: each await of a training chunk would otherwise wait a whole sample
 * (measured: Pause took over 2 s to be confirmed on the toy), so training keeps half the worker.
 */
export function localBoundOf(
  experiment: Experiment,
  lock: ModelLock,
  training: () => boolean,
  withdrawn: () => boolean,
): Promise<ResultOf<'localBound'>> {
  return viewOfModel(experiment, (trainer) =>
    localBoundView(
      trainer.model,
      trainer.splits.val.x,
      trainer.splits.val.y,
      experiment.config!.attack.localBound,
      experiment.config!.train.seed,
      localChunks(experiment, trainer, lock, training, withdrawn),
    ),
  );
}

/** How the local bound shares the worker, in every view that computes it (localBoundOf above). */
function localChunks(
  experiment: Experiment,
  trainer: Trainer,
  lock: ModelLock,
  training: () => boolean,
  withdrawn: () => boolean,
): Required<Pick<LocalCertifyOptions, 'between' | 'withdrawn' | 'holdWeights' | 'bound'>> {
  return {
    between: (ms) => (training() ? new Promise((resolve) => setTimeout(resolve, ms)) : yieldToEventLoop()),
    withdrawn: () => withdrawn() || trainer !== experiment.trainer,
    holdWeights: (read) => lock.run(read),
    bound: localBoundSettingOf(experiment.config!.attack),
  };
}

/** A view computed from the current model; superseded if the model changed (reset, load) meanwhile. */
async function viewOfModel<T>(
  experiment: Experiment,
  compute: (trainer: Trainer, modalities: string[]) => Promise<T>,
): Promise<T> {
  const trainer = experiment.trainer;
  if (!trainer || !experiment.data) throw new Error('No model is loaded.');
  const names = experiment.modalityNames();
  try {
    // Not under the model lock: a view must not hold up Step or Pause (a slow backend draws the
    // boundaries for seconds). While a run trains, a view may span two chunks; it is redrawn after the next.
    const view = await compute(trainer, names);
    if (trainer === experiment.trainer) return view;
  } catch (e) {
    // A model disposed under the computation fails it, and a view stopped because the page
    // withdrew it has no one to answer: neither is the page's problem.
    if (trainer === experiment.trainer && !(e instanceof ViewStopped)) throw e;
  }
  throw new Superseded();
}
