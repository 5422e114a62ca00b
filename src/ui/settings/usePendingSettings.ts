import { useCallback, useState } from 'react';
import type { ExperimentConfig } from '../../core/config';
import { parseText } from '../../core/params/paramCodec';
import { SETTINGS_PARAMS } from '../../core/params/paramTable';
import type { Param } from '../../core/params/paramTypes';
import { getAt } from '../../core/params/paths';
import { applyDraft, draftOf, type Draft } from './paramDraft';

/** Every setting typed into a field (the settings panel and the generator controls); the pickers apply at once. */
export const FIELD_PARAMS = SETTINGS_PARAMS.filter(
  (p) => p.key !== null && p.path !== 'train.method' && p.path !== 'data.kind',
);

export interface PendingSettings {
  /** The text of every field: what was typed, else the installed value. */
  draft: Draft;
  errors: Record<string, string>;
  /** The experiment the fields describe: what Start, Step, Apply and Generate run. */
  next: ExperimentConfig;
  /** Fields that apply to `next` and do not read. */
  invalid: Param[];
  /** Fields whose value differs from the installed one. */
  changed: Param[];
  edit(path: string, text: string): void;
  /** Back to the installed values. */
  revert(): void;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The edits typed into the panels, kept apart from the installed experiment until a run starts
 * with them (or Apply). An edit lasts while it says something the installed experiment does not:
 * once a config with that value is installed, or after Revert, the field shows the installed
 * value again. A picker (method, dataset) installs a new config without touching the edits.
 */
export function usePendingSettings(config: ExperimentConfig): PendingSettings {
  const [edits, setEdits] = useState<Draft>({});
  const [from, setFrom] = useState(config);
  if (from !== config) {
    setFrom(config);
    setEdits((e) => prune(e, config));
  }
  const draft = { ...draftOf(FIELD_PARAMS, config), ...edits };
  const { config: next, errors } = applyDraft(FIELD_PARAMS, config, draft);
  const applies = (p: Param) => !p.applies || p.applies(next);
  const invalid = FIELD_PARAMS.filter((p) => applies(p) && errors[p.path]);
  const changed = FIELD_PARAMS.filter(
    (p) => applies(p) && !errors[p.path] && !same(getAt(next, p.path), getAt(config, p.path)),
  );
  const edit = useCallback((path: string, text: string) => setEdits((e) => ({ ...e, [path]: text })), []);
  const revert = useCallback(() => setEdits({}), []);
  return { draft, errors, next, invalid, changed, edit, revert };
}

/** Keeps the edits that still differ from `config` (or do not read). */
function prune(edits: Draft, config: ExperimentConfig): Draft {
  return Object.fromEntries(
    Object.entries(edits).filter(([path, text]) => {
      const p = FIELD_PARAMS.find((q) => q.path === path);
      if (!p) return false;
      const r = parseText(p, text);
      return !r.ok || !same(r.value, getAt(config, p.path));
    }),
  );
}
