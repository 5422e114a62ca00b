import { useState } from 'react';
import type { Toy2dParams } from '../../core/data/toy2d';

const FIELDS: { key: keyof Toy2dParams; label: string; min: number; max: number; step: number; help: string }[] = [
  { key: 'classes', label: 'Classes', min: 2, max: 8, step: 1, help: 'Number of classes (K).' },
  { key: 'samples', label: 'Samples', min: 100, max: 20000, step: 100, help: 'Samples in all splits together.' },
  {
    key: 'separationA',
    label: 'Separation A',
    min: 0,
    max: 5,
    step: 0.1,
    help: 'Distance of class centres in A: larger is easier.',
  },
  { key: 'noiseA', label: 'Noise A', min: 0, max: 3, step: 0.05, help: 'Spread of each class in A: larger is harder.' },
  { key: 'separationB', label: 'Separation B', min: 0, max: 5, step: 0.1, help: 'Distance of class centres in B.' },
  {
    key: 'noiseB',
    label: 'Noise B',
    min: 0,
    max: 3,
    step: 0.05,
    help: 'Spread of each class in B. Make B cleaner than A to reverse the preference.',
  },
  { key: 'seed', label: 'Data seed', min: 0, max: 1e6, step: 1, help: 'Seed of the generator.' },
];

/** The toy's generator settings; "Generate" regenerates the data (and resets the run). */
export function ToyControls({
  params,
  disabled,
  onApply,
}: {
  params: Toy2dParams;
  disabled: boolean;
  onApply(p: Toy2dParams): void;
}) {
  const [draft, setDraft] = useState(params);
  const [from, setFrom] = useState(params);
  if (from !== params) {
    // The installed parameters changed (e.g. a reload): start the draft from them.
    setFrom(params);
    setDraft(params);
  }
  const valid = FIELDS.every((f) => Number.isFinite(draft[f.key]) && draft[f.key] >= f.min && draft[f.key] <= f.max);
  return (
    <form
      className="toy-controls"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) onApply(draft);
      }}
    >
      {FIELDS.map((f) => (
        <label key={f.key} title={f.help}>
          {f.label}
          <input
            type="number"
            min={f.min}
            max={f.max}
            step={f.step}
            value={draft[f.key]}
            onChange={(e) => setDraft({ ...draft, [f.key]: Number(e.target.value) })}
            data-testid={`toy-${f.key}`}
          />
        </label>
      ))}
      <button type="submit" disabled={disabled || !valid}>
        Generate
      </button>
    </form>
  );
}
