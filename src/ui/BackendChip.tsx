import { BACKENDS, type BackendChoice, type BackendInfo } from '../core/backend/backendNames';
import { formatRate } from '../core/backend/fastestBackend';

interface Props {
  info: BackendInfo | null;
  choice: BackendChoice;
  onChoose(choice: BackendChoice): void;
}

/** Hover text: why each backend was or was not usable, and what auto measured on each. */
function details(info: BackendInfo): string {
  const timed = info.timings.map((t) =>
    t.stepsPerSecond === null
      ? `${t.name}: not timed (${t.skipped})`
      : `${t.name}: ${formatRate(t.stepsPerSecond)} steps/s over ${t.steps} steps, after a ${Math.round(t.warmupMs)} ms warm-up`,
  );
  const failed = info.attempts.filter((a) => !a.ok).map((a) => `${a.name}: ${a.reason}`);
  const attempts = info.attempts.map((a) => `${a.name}: ${a.ok ? 'ok' : a.reason}`);
  return (timed.length ? [...timed, ...failed] : attempts).join('\n');
}

/** Why this backend, in a few plain words; the full sentence and the measurements are on hover. */
export function backendPhrase(info: BackendInfo): string {
  if (info.choice !== 'auto') return info.choice === info.name ? 'your choice' : `${info.choice} did not work here`;
  const timed = info.timings.filter((t) => t.stepsPerSecond !== null).length;
  if (timed > 1) return 'fastest on this model here';
  if (info.timings.length > 0 || timed === 1) return 'the only one that can train this model here';
  return 'the first one that works here';
}

/** Which tensor backend runs the training and why (details on hover or focus), and a control to force another. */
export function BackendChip({ info, choice, onChoose }: Props) {
  return (
    <div className="backend">
      <span className="backend-summary" tabIndex={0} aria-describedby="backend-reason">
        <span
          className={`chip ${info ? `chip-${info.name}` : 'chip-pending'}`}
          data-testid="backend-chip"
          data-backend={info?.name ?? ''}
          title={info ? details(info) : undefined}
        >
          {info ? info.name : 'starting…'}
        </span>{' '}
        <span className="backend-phrase" data-testid="backend-phrase">
          {info ? backendPhrase(info) : choice === 'auto' ? 'timing the backends…' : 'starting…'}
        </span>
        <span className="backend-reason" id="backend-reason" role="tooltip" data-testid="backend-reason">
          {info ? info.reason : choice === 'auto' ? 'timing each backend on this model…' : 'choosing a tensor backend'}
          {info && !info.canTrainConvolutions ? ' (this backend cannot train convolutions)' : ''}
        </span>
      </span>
      <label className="inline">
        <span className="visually-hidden">Tensor backend</span>
        <select value={choice} onChange={(e) => onChoose(e.target.value as BackendChoice)} data-testid="backend-select">
          <option value="auto">auto</option>
          {BACKENDS.map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
