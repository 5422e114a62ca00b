import type { ExperimentConfig } from '../../core/config';
import { formatText, parseText } from '../../core/params/paramCodec';
import type { Param } from '../../core/params/paramTypes';
import { getAt, setAt } from '../../core/params/paths';

/**
 * What the fields of a form hold: the text as typed, per parameter path, so a half-typed value
 * ("32-", "1e") is never swallowed; it is parsed when the form is checked or applied.
 */
export type Draft = Record<string, string>;

export const draftOf = (params: readonly Param[], c: ExperimentConfig): Draft =>
  Object.fromEntries(params.map((p) => [p.path, formatText(p, getAt(c, p.path) as never)]));

/** The config the draft describes, and what is wrong with each field that does not parse. */
export function applyDraft(
  params: readonly Param[],
  c: ExperimentConfig,
  draft: Draft,
): { config: ExperimentConfig; errors: Record<string, string> } {
  const config = structuredClone(c);
  const errors: Record<string, string> = {};
  for (const p of params) {
    const text = draft[p.path];
    if (text === undefined) continue;
    const r = parseText(p, text);
    if (r.ok) setAt(config, p.path, r.value);
    else errors[p.path] = r.error;
  }
  return { config, errors };
}

/**
 * How the field's text reads, when that is worth saying: "2 layers: 64 → 32", "auto: ε/steps",
 * and "read as 0.001" whenever a number was typed other than as it prints ("1e-3", "0,5", ".5").
 */
export function meaningOf(p: Param, text: string): string | null {
  const r = parseText(p, text);
  if (!r.ok) return null;
  if (r.value === null && p.type !== 'enum' && p.type !== 'bool' && 'nullable' in p) return p.nullable ?? null;
  if (p.type === 'intList' && Array.isArray(r.value))
    return `${r.value.length} layer${r.value.length === 1 ? '' : 's'}: ${r.value.join(' → ')}`;
  if (p.type === 'numberList' && Array.isArray(r.value) && r.value.join(',') !== text.replace(/\s/g, ''))
    return `read as ${r.value.join(', ')}`;
  if ((p.type === 'number' || p.type === 'int') && typeof r.value === 'number' && String(r.value) !== text.trim())
    return `read as ${r.value}`;
  return null;
}
