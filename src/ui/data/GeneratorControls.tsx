import type { ExperimentConfig } from '../../core/config';
import type { ParamGroup } from '../../core/params/paramTypes';
import { ParamField } from '../settings/ParamField';
import { FIELD_PARAMS, type PendingSettings } from '../settings/usePendingSettings';

interface Props {
  /** The generator's parameter group, and the prefix of each field's test id (`toy` → `toy-classes`). */
  group: Extract<ParamGroup, 'toy2d' | 'audioVisual'>;
  id: string;
  pending: PendingSettings;
  disabled: boolean;
  onApply(c: ExperimentConfig): void;
}

/**
 * The settings of a built-in generator, from the parameter table. Like every field, an edit is
 * pending until a run starts with it; "Generate" installs it now (and resets the run).
 */
export function GeneratorControls({ group, id, pending, disabled, onApply }: Props) {
  const params = FIELD_PARAMS.filter((p) => p.group === group);
  const { draft, errors } = pending;
  const valid = pending.invalid.length === 0;
  return (
    <form
      noValidate
      className="toy-controls"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) onApply(pending.next);
      }}
    >
      {params.map((p) => (
        <ParamField
          key={p.path}
          param={p}
          id={`${id}-${p.path.split('.').pop()}`}
          text={draft[p.path]}
          error={errors[p.path]}
          changed={pending.changed.includes(p)}
          onChange={(text) => pending.edit(p.path, text)}
          compact
        />
      ))}
      <button type="submit" disabled={disabled || !valid}>
        Generate
      </button>
    </form>
  );
}
