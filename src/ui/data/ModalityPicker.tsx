interface Props {
  available: { name: string; shape: number[] }[];
  selected: string[];
  disabled: boolean;
  onChange(names: string[]): void;
}

/** With more than two modalities, which to train on (at least two). */
export function ModalityPicker({ available, selected, disabled, onChange }: Props) {
  if (available.length <= 2) return null;
  const toggle = (name: string) =>
    onChange(
      selected.includes(name)
        ? selected.filter((n) => n !== name)
        : available.map((m) => m.name).filter((n) => n === name || selected.includes(n)),
    );
  return (
    <fieldset className="modality-picker" disabled={disabled}>
      <legend>Modalities to use (at least two)</legend>
      {available.map((m) => (
        <label key={m.name}>
          <input
            type="checkbox"
            checked={selected.includes(m.name)}
            onChange={() => toggle(m.name)}
            data-testid={`use-${m.name}`}
          />
          {m.name} [{m.shape.join('×')}]
        </label>
      ))}
    </fieldset>
  );
}
