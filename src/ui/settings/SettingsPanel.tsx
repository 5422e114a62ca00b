import { useState } from 'react';
import type { ExperimentConfig } from '../../core/config';
import { defaultOf, methodOf, SETTINGS } from './settingsTable';

interface Props {
  config: ExperimentConfig;
  disabled: boolean;
  onApply(c: ExperimentConfig): void;
}

/** Every hyper-parameter that applies to the chosen method, with its default and help; "Apply" reloads the run. */
export function SettingsPanel({ config, disabled, onApply }: Props) {
  const [draft, setDraft] = useState(config);
  const [from, setFrom] = useState(config);
  if (from !== config) {
    setFrom(config);
    setDraft(config);
  }
  const method = methodOf(config);
  const shown = SETTINGS.filter((s) => s.applies(method, draft));
  const change = (id: string, v: number | string | boolean) => {
    const next = structuredClone(draft);
    SETTINGS.find((s) => s.id === id)!.set(next, v);
    setDraft(next);
  };
  const dirty = JSON.stringify(draft) !== JSON.stringify(config);
  const invalid = shown.filter((s) => {
    const v = s.get(draft);
    return s.kind === 'number' && (typeof v !== 'number' || !Number.isFinite(v) || v < s.min! || v > s.max!);
  });
  return (
    <details className="settings" open>
      <summary>
        Model and hyper-parameters ({shown.length} apply to {config.train.method})
      </summary>
      <form
        // Ranges are ours to check; the browser's step check would silently block e.g. lr 0.01 (min 1e-5).
        noValidate
        className="settings-grid"
        onSubmit={(e) => {
          e.preventDefault();
          if (invalid.length === 0) onApply(draft);
        }}
      >
        {shown.map((s) => {
          const value = s.get(draft);
          const id = `setting-${s.id}`;
          return (
            <label key={s.id} htmlFor={id} className="setting">
              <span className="setting-label">{s.label}</span>
              {s.kind === 'select' ? (
                <select id={id} value={String(value)} onChange={(e) => change(s.id, e.target.value)} data-testid={id}>
                  {s.options!.map((o) => (
                    <option key={o}>{o}</option>
                  ))}
                </select>
              ) : s.kind === 'boolean' ? (
                <input
                  id={id}
                  type="checkbox"
                  checked={Boolean(value)}
                  onChange={(e) => change(s.id, e.target.checked)}
                  data-testid={id}
                />
              ) : (
                <input
                  id={id}
                  type={s.kind === 'list' ? 'text' : 'number'}
                  min={s.min}
                  max={s.max}
                  step={s.step}
                  value={String(value)}
                  onChange={(e) => change(s.id, s.kind === 'list' ? e.target.value : Number(e.target.value))}
                  data-testid={id}
                />
              )}
              <span className="setting-help">
                {s.help} Default: {String(defaultOf(s))}.
              </span>
            </label>
          );
        })}
        <div className="settings-actions">
          {invalid.length > 0 && (
            <p className="message" role="alert" data-testid="settings-error">
              {invalid.map((s) => `${s.label} must be between ${s.min} and ${s.max}`).join('; ')}.
            </p>
          )}
          <button type="submit" disabled={disabled || !dirty || invalid.length > 0} data-testid="apply-settings">
            Apply (resets the run)
          </button>
          <button type="button" disabled={!dirty} onClick={() => setDraft(config)}>
            Revert
          </button>
        </div>
      </form>
    </details>
  );
}
