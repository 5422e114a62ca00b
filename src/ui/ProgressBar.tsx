import { PHASE_LABEL, type Progress } from '../core/train/snapshot';
import type { RunState } from '../worker/protocol';

interface Props {
  progress: Progress | null;
  state: RunState;
  epochs: number;
  /** Where nothing trained in this session: what is on display instead (a stored run, a loaded model). */
  stored: { label: string; fraction: number; epochs: string } | null;
  /** The last snapshot shown, stamped by the worker (read by the responsiveness measure). */
  snapshot: { seq: number; postedAt: number } | null;
}

/** One formatter for every snapshot: toLocaleString builds a new one on each call. */
const WHOLE = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

export function ProgressBar({ progress, state, epochs, stored, snapshot }: Props) {
  const done = progress ? progress.step / Math.max(progress.totalSteps, 1) : (stored?.fraction ?? 0);
  const left =
    progress && state === 'training' && progress.stepsPerSecond > 0
      ? (progress.totalSteps - progress.step) / progress.stepsPerSecond
      : null;
  const phase =
    state === 'done' ? 'done' : progress ? PHASE_LABEL[progress.phase] : stored ? stored.label : 'not started';
  return (
    <div className="progress" data-seq={snapshot?.seq ?? ''} data-posted-at={snapshot?.postedAt ?? ''}>
      <progress max={1} value={done} aria-label="Training progress" />
      <div className="progress-text">
        <span data-testid="phase">{phase}</span>
        <span data-testid="epoch">
          {progress || !stored ? `epoch ${progress?.epoch ?? 0} / ${progress?.epochs ?? epochs}` : stored.epochs}
        </span>
        <span data-testid="step" data-value={progress?.step ?? 0}>
          step {progress?.step ?? 0}
        </span>
        <span data-testid="samples-per-second">
          {progress ? `${WHOLE.format(Math.round(progress.samplesPerSecond))} samples/s` : ''}
        </span>
        <span>{left !== null ? `${formatSeconds(left)} left` : ''}</span>
      </div>
    </div>
  );
}

function formatSeconds(s: number): string {
  if (s < 60) return `${Math.ceil(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.ceil(s % 60)} s`;
}
