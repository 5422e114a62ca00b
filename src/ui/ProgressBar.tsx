import { PHASE_LABEL, type Progress } from '../core/train/snapshot';

export function ProgressBar({ progress, epochs }: { progress: Progress | null; epochs: number }) {
  const done = progress ? progress.step / Math.max(progress.totalSteps, 1) : 0;
  const left =
    progress && progress.stepsPerSecond > 0 ? (progress.totalSteps - progress.step) / progress.stepsPerSecond : null;
  return (
    <div className="progress">
      <progress max={1} value={done} aria-label="Training progress" />
      <div className="progress-text">
        <span>{progress ? PHASE_LABEL[progress.phase] : 'not started'}</span>
        <span data-testid="epoch">
          epoch {progress?.epoch ?? 0} / {progress?.epochs ?? epochs}
        </span>
        <span data-testid="step" data-value={progress?.step ?? 0}>
          step {progress?.step ?? 0}
        </span>
        <span data-testid="samples-per-second">
          {progress ? `${Math.round(progress.samplesPerSecond).toLocaleString('en')} samples/s` : '—'}
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
