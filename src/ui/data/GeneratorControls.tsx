import { useState } from 'react';
import type { ExperimentConfig } from '../../core/config';
import { SETTINGS_PARAMS } from '../../core/params/paramTable';
import type { ParamGroup } from '../../core/params/paramTypes';
import { ParamField } from '../settings/ParamField';
import { applyDraft, draftOf, type Draft } from '../settings/paramDraft';

interface Props {
  /** The generator's parameter group, and the prefix of each field's test id (`toy` → `toy-classes`). */
  group: Extract<ParamGroup, 'toy2d' | 'audioVisual'>;
  id: string;
  config: ExperimentConfig;
  disabled: boolean;
  onApply(c: ExperimentConfig): void;
}

/** The settings of a built-in generator, from the parameter table; "Generate" regenerates the data (and resets the run). */
export function GeneratorControls({ group, id, config, disabled, onApply }: Props) {
  const params = SETTINGS_PARAMS.filter((p) => p.group === group);
  const [draft, setDraft] = useState<Draft>(() => draftOf(params, config));
  const [from, setFrom] = useState(config);
  if (from !== config) {
    // The installed parameters changed (a reload, another dataset): start the draft from them.
    setFrom(config);
    setDraft(draftOf(params, config));
  }
  const { config: next, errors } = applyDraft(params, config, draft);
  const valid = Object.keys(errors).length === 0;
  return (
    <form
      noValidate
      className="toy-controls"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) onApply(next);
      }}
    >
      {params.map((p) => (
        <ParamField
          key={p.path}
          param={p}
          id={`${id}-${p.path.split('.').pop()}`}
          text={draft[p.path]}
          error={errors[p.path]}
          onChange={(text) => setDraft({ ...draft, [p.path]: text })}
          compact
        />
      ))}
      <button type="submit" disabled={disabled || !valid}>
        Generate
      </button>
    </form>
  );
}
