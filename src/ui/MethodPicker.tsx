import { METHOD_IDS, METHODS, type MethodId } from '../core/train/methods';

interface Props {
  method: MethodId;
  disabled: boolean;
  onChange(method: MethodId): void;
}

export function MethodPicker({ method, disabled, onChange }: Props) {
  return (
    <label className="inline">
      Method
      <select
        value={method}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value as MethodId)}
        data-testid="method-select"
      >
        {METHOD_IDS.map((id) => (
          <option key={id} value={id}>
            {id} — {METHODS[id].label}
          </option>
        ))}
      </select>
    </label>
  );
}
