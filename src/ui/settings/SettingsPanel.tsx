import { useState } from 'react';
import type { ExperimentConfig } from '../../core/config';
import { SETTINGS_PARAMS } from '../../core/params/paramTable';
import type { Param, ParamGroup } from '../../core/params/paramTypes';
import { ParamField } from './ParamField';
import { applyDraft, draftOf, type Draft } from './paramDraft';

interface Props {
  config: ExperimentConfig;
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

/** Fields of the panel: the table's parameters with a panel key, but the method (its own picker). */
const PANEL = SETTINGS_PARAMS.filter((p) => p.key !== null && p.path !== 'train.method' && p.group !== 'data');

/** Every hyper-parameter that applies to the chosen method, with its default and help; "Apply" reloads the run. */
export function SettingsPanel({ config, disabled, onApply }: Props) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(PANEL, config));
  const [from, setFrom] = useState(config);
  if (from !== config) {
    setFrom(config);
    setDraft(draftOf(PANEL, config));
  }
  const { config: next, errors } = applyDraft(PANEL, config, draft);
  const shown = PANEL.filter((p) => !p.applies || p.applies(next));
  const invalid = shown.filter((p) => errors[p.path]);
  const dirty = JSON.stringify(next) !== JSON.stringify(config);
  const pristine = JSON.stringify(draft) === JSON.stringify(draftOf(PANEL, config));
  const field = (p: Param) => (
    <ParamField
      key={p.path}
      param={p}
      id={`setting-${p.key}`}
      text={draft[p.path]}
      error={errors[p.path]}
      onChange={(text) => setDraft({ ...draft, [p.path]: text })}
    />
  );
  return (
    <details className="settings" open>
      <summary>
        Model and hyper-parameters ({shown.length} apply to {config.train.method})
      </summary>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (invalid.length === 0) onApply(next);
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
          <button type="submit" disabled={disabled || !dirty || invalid.length > 0} data-testid="apply-settings">
            Apply (resets the run)
          </button>
          <button type="button" disabled={pristine} onClick={() => setDraft(draftOf(PANEL, config))}>
            Revert
          </button>
        </div>
      </form>
    </details>
  );
}
