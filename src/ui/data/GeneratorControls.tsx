import { useState } from 'react';

export interface GeneratorField<T> {
  key: keyof T & string;
  label: string;
  min: number;
  max: number;
  step: number;
  help: string;
}

interface Props<T extends { [K in keyof T]: number }> {
  /** Prefix of each input's test id, e.g. `toy` → `toy-classes`. */
  id: string;
  fields: GeneratorField<T>[];
  params: T;
  disabled: boolean;
  onApply(p: T): void;
}

/** The settings of a built-in generator; "Generate" regenerates the data (and resets the run). */
export function GeneratorControls<T extends { [K in keyof T]: number }>({
  id,
  fields,
  params,
  disabled,
  onApply,
}: Props<T>) {
  const [draft, setDraft] = useState(params);
  const [from, setFrom] = useState(params);
  if (from !== params) {
    // The installed parameters changed (a reload, another dataset): start the draft from them.
    setFrom(params);
    setDraft(params);
  }
  const valid = fields.every((f) => Number.isFinite(draft[f.key]) && draft[f.key] >= f.min && draft[f.key] <= f.max);
  return (
    <form
      // The ranges are checked here (`valid`); the browser's step check would block values like 0.33.
      noValidate
      className="toy-controls"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) onApply(draft);
      }}
    >
      {fields.map((f) => (
        <label key={f.key} title={f.help}>
          {f.label}
          <input
            type="number"
            min={f.min}
            max={f.max}
            step={f.step}
            value={draft[f.key]}
            onChange={(e) => setDraft({ ...draft, [f.key]: Number(e.target.value) })}
            data-testid={`${id}-${f.key}`}
            aria-describedby={`${id}-${f.key}-help`}
          />
          <span id={`${id}-${f.key}-help`} className="visually-hidden">
            {f.help}
          </span>
        </label>
      ))}
      <button type="submit" disabled={disabled || !valid}>
        Generate
      </button>
    </form>
  );
}
