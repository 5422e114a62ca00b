import type { RunState } from '../worker/protocol';

interface Props {
  state: RunState;
  onTrain(): void;
  onPause(): void;
  onStep(): void;
  onReset(): void;
}

export function TrainingControls({ state, onTrain, onPause, onStep, onReset }: Props) {
  const ready = state !== 'starting' && state !== 'failed';
  const training = state === 'training';
  const startLabel = state === 'paused' ? 'Resume' : state === 'done' || state === 'diverged' ? 'Train again' : 'Start';
  return (
    <div className="controls" role="group" aria-label="Training controls">
      {training ? (
        <button onClick={onPause}>Pause</button>
      ) : (
        <button onClick={onTrain} disabled={!ready} className="primary">
          {startLabel}
        </button>
      )}
      <button onClick={onStep} disabled={!ready || training} title="Train on one batch">
        Step
      </button>
      {/* After a worker that kept failing, Reset starts a fresh one. */}
      <button onClick={onReset} disabled={state === 'starting'} title="Back to the seeded initial weights">
        Reset
      </button>
      <span className="state" data-testid="run-state">
        {state}
      </span>
    </div>
  );
}
