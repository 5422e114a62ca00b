import { useState } from 'react';
import { AUDIO_VISUAL_MAX_CLASSES, type AudioVisualParams } from '../../core/data/audioVisual';

const FIELDS: { key: keyof AudioVisualParams; label: string; min: number; max: number; step: number; help: string }[] =
  [
    {
      key: 'classes',
      label: 'Classes',
      min: 2,
      max: AUDIO_VISUAL_MAX_CLASSES,
      step: 1,
      help: 'Shapes and chords, one per class.',
    },
    { key: 'samples', label: 'Samples', min: 100, max: 10000, step: 100, help: 'Pairs in all splits together.' },
    { key: 'imageNoise', label: 'Image noise', min: 0, max: 3, step: 0.05, help: 'Pixel noise and shape jitter.' },
    {
      key: 'audioNoise',
      label: 'Audio noise',
      min: 0,
      max: 3,
      step: 0.05,
      help: 'White noise and pitch jitter of the tones.',
    },
    { key: 'seed', label: 'Data seed', min: 0, max: 1e6, step: 1, help: 'Seed of the generator.' },
  ];

export function AudioVisualControls({
  params,
  disabled,
  onApply,
}: {
  params: AudioVisualParams;
  disabled: boolean;
  onApply(p: AudioVisualParams): void;
}) {
  const [draft, setDraft] = useState(params);
  const [from, setFrom] = useState(params);
  if (from !== params) {
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
            data-testid={`av-${f.key}`}
          />
        </label>
      ))}
      <button type="submit" disabled={disabled || !valid}>
        Generate
      </button>
    </form>
  );
}
