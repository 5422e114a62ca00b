import type { ExperimentConfig } from '../../core/config';
import type { Param, ParamGroup } from '../../core/params/paramTypes';
import { ParamField } from './ParamField';
import { FIELD_PARAMS, type PendingSettings } from './usePendingSettings';

interface Props {
  pending: PendingSettings;
  disabled: boolean;
  onApply(c: ExperimentConfig): void;
}

const GROUPS: [ParamGroup, string][] = [
  ['model', 'Model'],
  ['training', 'Training'],
  ['crmt', 'CRMT step 1'],
  ['step2', 'CRMT step 2'],
  ['adversarial', 'Adversarial training'],
  ['mixup', 'Mixup'],
  ['umt', 'Uni-modal teacher'],
  ['attack', 'Evaluation attack (PGD)'],
];

const PANEL = FIELD_PARAMS.filter((p) => GROUPS.some(([g]) => g === p.group));

/**
 * Every hyper-parameter that applies to the chosen method, with its default and help. Edits are
 * pending until a run starts with them (Start, Step) or Apply installs them without training.
 */
export function SettingsPanel({ pending, disabled, onApply }: Props) {
  const { draft, errors, next } = pending;
  const shown = PANEL.filter((p) => !p.applies || p.applies(next));
  const invalid = shown.filter((p) => errors[p.path]);
  const changed = pending.changed.filter((p) => PANEL.includes(p));
  const field = (p: Param) => (
    <ParamField
      key={p.path}
      param={p}
      id={`setting-${p.key}`}
      text={draft[p.path]}
      error={errors[p.path]}
      changed={changed.includes(p)}
      onChange={(text) => pending.edit(p.path, text)}
    />
  );
  return (
    <details className="settings" open>
      <summary>
        Model and hyper-parameters ({shown.length} apply to {next.train.method})
      </summary>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (pending.invalid.length === 0) onApply(next);
        }}
      >
        {GROUPS.map(([group, title]) => {
          const fields = shown.filter((p) => p.group === group);
          return fields.length === 0 ? null : (
            <fieldset key={group} className="settings-grid">
              <legend>{title}</legend>
              {fields.map(field)}
            </fieldset>
          );
        })}
        <div className="settings-actions">
          {invalid.length > 0 && (
            <p className="message" role="alert" data-testid="settings-error">
              {invalid.map((p) => `${p.label}: ${errors[p.path]}`).join('; ')}.
            </p>
          )}
          <button
            type="submit"
            disabled={disabled || pending.changed.length === 0 || pending.invalid.length > 0}
            data-testid="apply-settings"
            title="Install these settings without training: the run starts over"
          >
            Apply (resets the run)
          </button>
          <button
            type="button"
            disabled={pending.changed.length === 0 && pending.invalid.length === 0}
            onClick={pending.revert}
          >
            Revert
          </button>
        </div>
      </form>
    </details>
  );
}
