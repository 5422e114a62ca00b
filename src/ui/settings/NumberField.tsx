import { useState } from 'react';
import { readNumber } from '../../core/params/paramCodec';

interface Props {
  label: string;
  testId: string;
  value: number;
  onValue(v: number): void;
  min: number;
  max: number;
  integer?: boolean;
  disabled?: boolean;
}

/** What is wrong with the text, or its number: the settings' rules ("0,5", "1e-1"), for a field outside the table. */
export function checkNumber(text: string, o: { min: number; max: number; integer?: boolean }): number | string {
  const x = readNumber(text.trim());
  if (typeof x === 'string') return x;
  if (o.integer && !Number.isInteger(x)) return `${x} is not a whole number`;
  if (x < o.min) return `${x} is below the minimum ${o.min}`;
  if (x > o.max) return `${x} is above the maximum ${o.max}`;
  return x;
}

/**
 * A number typed as text, read as the settings panel reads numbers; a valid value takes effect at
 * once, an invalid one says why at the field and changes nothing.
 */
export function NumberField({ label, testId, value, onValue, min, max, integer = false, disabled = false }: Props) {
  const [text, setText] = useState(String(value));
  const [from, setFrom] = useState(value);
  if (from !== value) {
    setFrom(value);
    if (checkNumber(text, { min, max, integer }) !== value) setText(String(value));
  }
  const read = checkNumber(text, { min, max, integer });
  const error = typeof read === 'string' ? read : null;
  return (
    <label className="inline number-field">
      {label}
      <input
        type="text"
        inputMode="decimal"
        autoComplete="off"
        className="short"
        value={text}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        onChange={(e) => {
          setText(e.target.value);
          const v = checkNumber(e.target.value, { min, max, integer });
          if (typeof v === 'number') onValue(v);
        }}
        data-testid={testId}
      />
      {error && (
        <span className="field-error" role="alert" data-testid={`${testId}-error`}>
          {error}
        </span>
      )}
      {!error && typeof read === 'number' && String(read) !== text.trim() && (
        <span className="field-meaning">read as {read}</span>
      )}
    </label>
  );
}
