import type { Param } from '../../core/params/paramTypes';
import { formatText } from '../../core/params/paramCodec';
import { meaningOf } from './paramDraft';

interface Props {
  param: Param;
  /** The field's id and test id. */
  id: string;
  text: string;
  error: string | undefined;
  onChange(text: string): void;
  /** A narrow field whose help is a tooltip (and still read by screen readers). */
  compact?: boolean;
  /** The value differs from the installed one: the next run will use it. */
  changed?: boolean;
}

/**
 * One parameter as a form field. Numbers and lists are text fields: people type "1e-3", "0,5",
 * "32-16" or "auto", and the field says what it read or what is wrong, next to it.
 */
export function ParamField({ param: p, id, text, error, onChange, compact = false, changed = false }: Props) {
  const help = `${id}-help`;
  const meaning = error ? null : meaningOf(p, text);
  const input =
    p.type === 'enum' ? (
      <select id={id} value={text} onChange={(e) => onChange(e.target.value)} data-testid={id} aria-describedby={help}>
        {p.options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    ) : p.type === 'bool' ? (
      <input
        id={id}
        type="checkbox"
        checked={text === 'true'}
        onChange={(e) => onChange(String(e.target.checked))}
        data-testid={id}
        aria-describedby={help}
      />
    ) : (
      <input
        id={id}
        type="text"
        inputMode={p.type === 'int' || p.type === 'number' ? 'decimal' : 'text'}
        autoComplete="off"
        spellCheck={false}
        placeholder={'nullable' in p && p.nullable ? 'auto' : undefined}
        value={text}
        onChange={(e) => onChange(e.target.value)}
        data-testid={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={help}
      />
    );
  return (
    <label htmlFor={id} className={`setting${changed ? ' setting-changed' : ''}`} title={compact ? p.help : undefined}>
      <span className="setting-label">
        {p.label}
        {changed && (
          <span className="changed-mark" title="not applied yet" data-testid={`${id}-changed`}>
            {compact ? ' •' : ' · not applied yet'}
            {compact && <span className="visually-hidden"> not applied yet</span>}
          </span>
        )}
      </span>
      {input}
      {error && (
        <span className="field-error" role="alert" data-testid={`${id}-error`}>
          {error}
        </span>
      )}
      {meaning && (
        <span className="field-meaning" data-testid={`${id}-meaning`}>
          {meaning}
        </span>
      )}
      <span id={help} className={compact ? 'visually-hidden' : 'setting-help'}>
        {p.help} Default: {formatText(p, p.default as never)}.
      </span>
    </label>
  );
}
