import type { ExperimentConfig } from '../config';
import { DEFAULT_CONFIG } from '../config';
import { formatText, parseText } from './paramCodec';
import { SETTINGS_PARAMS } from './paramTable';
import type { Param } from './paramTypes';
import { getAt, setAt } from './paths';

/**
 * The experiment in the URL hash (after TensorFlow Playground's state.ts), one key per parameter
 * of the table that has one. An upload stays on the user's machine, so it is never in the URL.
 * A malformed or out-of-range value keeps its default: a link must always open.
 */
const URL_PARAMS = SETTINGS_PARAMS.filter((p): p is Param & { key: string } => p.key !== null);

export const URL_KEYS: readonly string[] = URL_PARAMS.map((p) => p.key);

const text = (p: Param, c: ExperimentConfig) => formatText(p, getAt(c, p.path) as never);

export function configFromHash(hash: string): ExperimentConfig {
  const c = structuredClone(DEFAULT_CONFIG);
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  for (const p of URL_PARAMS) {
    const v = params.get(p.key);
    if (v === null) continue;
    const r = parseText(p, v);
    if (r.ok && !(p.path === 'data.kind' && r.value === 'upload')) setAt(c, p.path, r.value);
  }
  return c;
}

/** Only values that differ from the defaults, so a default experiment has a clean URL. */
export function configToHash(c: ExperimentConfig): string {
  const params = new URLSearchParams();
  for (const p of URL_PARAMS) {
    if (p.path === 'data.kind' && c.data.kind === 'upload') continue;
    const v = text(p, c);
    if (v !== text(p, DEFAULT_CONFIG)) params.set(p.key, v);
  }
  const s = params.toString();
  return s ? `#${s}` : '';
}
