import type { ExperimentConfig } from '../config';
import { PARAMS } from './paramTable';
import { setAt } from './paths';

/** The default experiment, assembled from the table's defaults (the table is complete: checked at compile time). */
export function defaultsFromTable(): ExperimentConfig {
  const c = {} as ExperimentConfig;
  for (const p of PARAMS) setAt(c, p.path, structuredClone(p.default));
  return c;
}
