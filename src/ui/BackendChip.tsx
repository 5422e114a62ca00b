import { BACKENDS, type BackendChoice, type BackendInfo } from '../core/backend/backendNames';

interface Props {
  info: BackendInfo | null;
  choice: BackendChoice;
  onChoose(choice: BackendChoice): void;
}

/** Which tensor backend runs the training, why, and a control to force another. */
export function BackendChip({ info, choice, onChoose }: Props) {
  return (
    <div className="backend">
      <span
        className={`chip ${info ? `chip-${info.name}` : 'chip-pending'}`}
        data-testid="backend-chip"
        data-backend={info?.name ?? ''}
        title={info?.attempts.map((a) => `${a.name}: ${a.ok ? 'ok' : a.reason}`).join('\n')}
      >
        {info ? info.name : 'starting…'}
      </span>
      <span className="backend-reason" data-testid="backend-reason">
        {info ? info.reason : 'choosing a tensor backend'}
        {info && !info.canTrainConvolutions ? ' (this backend cannot train convolutions)' : ''}
      </span>
      <label className="inline">
        Backend
        <select value={choice} onChange={(e) => onChoose(e.target.value as BackendChoice)} data-testid="backend-select">
          <option value="auto">auto (WebGPU first)</option>
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
