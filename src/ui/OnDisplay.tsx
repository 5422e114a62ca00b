import type { ExperimentConfig } from '../core/config';
import type { RunSummary } from '../worker/runs/storedRun';
import type { TrainingView } from './useTrainingWorker';

/** One sentence: which model the page shows, on which data, how far trained, and where it came from. */
export function describeDisplay(view: TrainingView, config: ExperimentConfig, openedRun: RunSummary | null): string {
  const dataset = view.dataset?.name ?? 'the data';
  const method = config.train.method;
  const seed = config.train.seed;
  const epochs = view.history.length;
  if (openedRun) {
    const n = openedRun.epochs;
    return `Run ${`#${openedRun.id}`} (${openedRun.name}): ${n} epoch${n === 1 ? '' : 's'}, ${openedRun.status}, reopened from this browser's storage. The curves are the stored ones; Start trains on from its weights as a new run.`;
  }
  if (view.loadedModel)
    return `The model loaded from ${view.loadedModel.source} (${method}, its config asks for ${config.train.epochs} epochs) on ${dataset}, evaluated as loaded. Start trains on from its weights.`;
  if (epochs === 0 && !view.progress) return `A fresh ${method} model (seed ${seed}) on ${dataset}, not trained yet.`;
  const run = view.stored.current !== null ? ` (stored as run #${view.stored.current})` : '';
  return `${method} on ${dataset}, seed ${seed}, trained here for ${epochs} epoch${epochs === 1 ? '' : 's'}${run}.`;
}

export function OnDisplay({ text }: { text: string }) {
  return (
    <p className="on-display" data-testid="on-display">
      <strong>On display:</strong> {text}
    </p>
  );
}
