import { paramAt } from '../core/params/paramTable';
import { METHODS, type MethodId } from '../core/train/methods';

const METHOD = paramAt('train.method');

interface Props {
  method: MethodId;
  disabled: boolean;
  onChange(method: MethodId): void;
}

export function MethodPicker({ method, disabled, onChange }: Props) {
  return (
    <label className="inline" title={METHOD.help}>
      {METHOD.label}
      <select
        value={method}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value as MethodId)}
        data-testid="method-select"
      >
        {(METHOD.type === 'enum' ? METHOD.options : []).map((id) => (
          <option key={id} value={id}>
            {id} — {METHODS[id as MethodId].label}
          </option>
        ))}
      </select>
    </label>
  );
}
