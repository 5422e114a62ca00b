import type { ExperimentConfig } from '../config';
import type { ConfigPath } from './paramTypes';

type Obj = Record<string, unknown>;

/** The value at a dotted path, or undefined when any part is missing (e.g. in a partial JSON file). */
export function getAt(o: unknown, path: string): unknown {
  let x: unknown = o;
  for (const k of path.split('.')) {
    if (typeof x !== 'object' || x === null || Array.isArray(x) || !Object.hasOwn(x, k)) return undefined;
    x = (x as Obj)[k];
  }
  return x;
}

/** Sets the value at a dotted path, creating the objects on the way. */
export function setAt(c: ExperimentConfig, path: ConfigPath, value: unknown): void {
  const keys = path.split('.');
  let x = c as unknown as Obj;
  for (const k of keys.slice(0, -1)) x = (x[k] ??= {}) as Obj;
  x[keys.at(-1)!] = value;
}
