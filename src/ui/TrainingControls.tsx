import type { Param } from '../core/params/paramTypes';
import type { RunState } from '../worker/protocol';
import { focusTarget } from './focusTarget';

interface Props {
  state: RunState;
  /** Settings typed but not applied (they start a new run), and fields that do not read (they block it). */
  changed: Param[];
  invalid: Param[];
  errors: Record<string, string>;
  /** Something to reset: training happened, or a model was loaded. */
  canReset: boolean;
  onTrain(): void;
  onPause(): void;
  onStep(): void;
  onReset(): void;
  onRevert(): void;
}

const fieldId = (p: Param) =>
  p.group === 'toy2d'
    ? `toy-${p.path.split('.').pop()}`
    : p.group === 'audioVisual'
      ? `av-${p.path.split('.').pop()}`
      : `setting-${p.key}`;

/**
 * Start, Pause, Step, Reset: each enabled only when it can act. What Start runs is what the
 * panels show: with edits pending it says so and starts a new run with them; a field that does
 * not read blocks it, and the note links to the field.
 */
export function TrainingControls({
  state,
  changed,
  invalid,
  errors,
  canReset,
  onTrain,
  onPause,
  onStep,
  onReset,
  onRevert,
}: Props) {
  const ready = state !== 'starting' && state !== 'failed';
  const training = state === 'training';
  const blocked = invalid.length > 0;
  const fresh = changed.length > 0;
  const startLabel = fresh
    ? 'Start with the new settings'
    : state === 'paused'
      ? 'Resume'
      : state === 'done' || state === 'diverged'
        ? 'Train again'
        : 'Start';
  return (
    <div className="run-controls">
      <div className="controls" role="group" aria-label="Training controls">
        {training ? (
          <button onClick={onPause} className="primary" data-testid="pause">
            Pause
          </button>
        ) : (
          <button onClick={onTrain} disabled={!ready || blocked} className="primary" data-testid="start">
            {startLabel}
          </button>
        )}
        <button onClick={onStep} disabled={!ready || training || blocked} title="Train on one batch">
          Step
        </button>
        {/* After a worker that kept failing, Reset starts a fresh one. */}
        <button
          onClick={onReset}
          disabled={state !== 'failed' && (!ready || !canReset)}
          title="Back to the seeded initial weights"
        >
          Reset
        </button>
        <span className="state" data-testid="run-state">
          {state}
        </span>
      </div>
      {blocked ? (
        <p className="message" role="alert" data-testid="start-blocked">
          Start is blocked until{' '}
          {invalid.map((p, i) => (
            <span key={p.path}>
              {i > 0 && '; '}
              <a href={`#${fieldId(p)}`} onClick={focusTarget}>
                {p.label}
              </a>
              : {errors[p.path]}
            </span>
          ))}
          .
        </p>
      ) : fresh && !training ? (
        <p className="pending" role="status" data-testid="pending-note">
          Not applied yet: {changed.map((p) => p.label).join(', ')}. Start (or Step) begins a new run with{' '}
          {changed.length === 1 ? 'it' : 'them'}.{' '}
          <button type="button" className="link" onClick={onRevert}>
            Revert
          </button>
        </p>
      ) : fresh ? (
        <p className="pending" role="status" data-testid="pending-note">
          Edited while training: {changed.map((p) => p.label).join(', ')}. Pause, then Start to run with them.
        </p>
      ) : null}
    </div>
  );
}
