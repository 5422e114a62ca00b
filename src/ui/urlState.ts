import { isBackendChoice, type BackendChoice } from '../core/backend/backendNames';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../core/config';
import { ACTIVATIONS, type Activation } from '../core/model/activationNames';
import { isMethodId } from '../core/train/methods';

/**
 * The experiment config as a declarative table of URL fields (after TensorFlow Playground's
 * state.ts): each field reads and writes one value, so the hash round-trips the whole config.
 */
interface Field {
  key: string;
  get(c: ExperimentConfig): string;
  set(c: ExperimentConfig, v: string): void;
}

const num = (
  key: string,
  path: (c: ExperimentConfig) => Record<string, unknown>,
  prop: string,
  int = false,
): Field => ({
  key,
  get: (c) => String(path(c)[prop]),
  set: (c, v) => {
    const x = Number(v);
    if (Number.isFinite(x) && (!int || Number.isInteger(x))) path(c)[prop] = x;
  },
});

const toy = (c: ExperimentConfig) => c.data.toy2d as unknown as Record<string, unknown>;
const train = (c: ExperimentConfig) => c.train as unknown as Record<string, unknown>;

export const URL_FIELDS: Field[] = [
  num('classes', toy, 'classes', true),
  num('samples', toy, 'samples', true),
  num('sepA', toy, 'separationA'),
  num('sepB', toy, 'separationB'),
  num('noiseA', toy, 'noiseA'),
  num('noiseB', toy, 'noiseB'),
  num('dataSeed', toy, 'seed', true),
  {
    key: 'hidden',
    get: (c) => c.model.hidden.join('-'),
    set: (c, v) => {
      const widths = v.split('-').map(Number);
      if (widths.length > 0 && widths.every((w) => Number.isInteger(w) && w > 0)) c.model.hidden = widths;
    },
  },
  {
    key: 'act',
    get: (c) => c.model.activation,
    set: (c, v) => {
      if ((ACTIVATIONS as readonly string[]).includes(v)) c.model.activation = v as Activation;
    },
  },
  {
    key: 'method',
    get: (c) => c.train.method,
    set: (c, v) => {
      if (isMethodId(v)) c.train.method = v;
    },
  },
  num('epochs', train, 'epochs', true),
  num('batch', train, 'batchSize', true),
  num('lr', train, 'learningRate'),
  num('seed', train, 'seed', true),
  num('rho', train, 'rho'),
];

export function configFromHash(hash: string): ExperimentConfig {
  const c = structuredClone(DEFAULT_CONFIG);
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  for (const f of URL_FIELDS) {
    const v = params.get(f.key);
    if (v !== null) f.set(c, v);
  }
  return c;
}

/** Only fields that differ from the defaults, so a default experiment has a clean URL. */
export function configToHash(c: ExperimentConfig): string {
  const params = new URLSearchParams();
  for (const f of URL_FIELDS) if (f.get(c) !== f.get(DEFAULT_CONFIG)) params.set(f.key, f.get(c));
  const s = params.toString();
  return s ? `#${s}` : '';
}

export function backendFromSearch(search: string): BackendChoice {
  const b = new URLSearchParams(search).get('backend');
  return isBackendChoice(b) ? b : 'auto';
}

export function searchWithBackend(search: string, backend: BackendChoice): string {
  const params = new URLSearchParams(search);
  if (backend === 'auto') params.delete('backend');
  else params.set('backend', backend);
  const s = params.toString();
  return s ? `?${s}` : '';
}
