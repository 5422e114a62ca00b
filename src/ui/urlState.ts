import { isBackendChoice, type BackendChoice } from '../core/backend/backendNames';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../core/config';
import { isMethodId } from '../core/train/methods';
import { SETTINGS, type Setting } from './settings/settingsTable';

/**
 * The experiment config as a declarative table of URL fields (after TensorFlow Playground's
 * state.ts): each field reads and writes one value, so the hash round-trips the whole config
 * (all but an upload, which stays on the user's machine). The hyper-parameters come from the
 * settings table, so the page and the URL cannot disagree on what exists.
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
const av = (c: ExperimentConfig) => c.data.audioVisual as unknown as Record<string, unknown>;

/** A hyper-parameter of the settings table as a URL field, with the same range and option checks. */
function fromSetting(s: Setting): Field {
  return {
    key: s.id,
    get: (c) => String(s.get(c)),
    set: (c, v) => {
      if (s.kind === 'number') {
        const x = Number(v);
        const integral = s.step === 1;
        if (Number.isFinite(x) && x >= s.min! && x <= s.max! && (!integral || Number.isInteger(x))) s.set(c, x);
      } else if (s.kind === 'boolean') {
        if (v === 'true' || v === 'false') s.set(c, v === 'true');
      } else if (s.kind === 'select') {
        const option = s.aliases?.[v] ?? v;
        if (s.options!.includes(option)) s.set(c, option);
      } else s.set(c, v);
    },
  };
}

export const URL_FIELDS: Field[] = [
  {
    key: 'data',
    get: (c) => (c.data.kind === 'upload' ? 'toy2d' : c.data.kind),
    set: (c, v) => {
      if (v === 'toy2d' || v === 'audioVisual') c.data.kind = v;
    },
  },
  num('classes', toy, 'classes', true),
  num('samples', toy, 'samples', true),
  num('sepA', toy, 'separationA'),
  num('sepB', toy, 'separationB'),
  num('noiseA', toy, 'noiseA'),
  num('noiseB', toy, 'noiseB'),
  num('dataSeed', toy, 'seed', true),
  num('avClasses', av, 'classes', true),
  num('avSamples', av, 'samples', true),
  num('avImageNoise', av, 'imageNoise'),
  num('avAudioNoise', av, 'audioNoise'),
  num('avSeed', av, 'seed', true),
  {
    key: 'method',
    get: (c) => c.train.method,
    set: (c, v) => {
      if (isMethodId(v)) c.train.method = v;
    },
  },
  ...SETTINGS.map(fromSetting),
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

/**
 * A config JSON (as downloaded from the page) read through the same field table as the URL, so
 * every value is checked the same way; unknown or malformed values keep their defaults.
 */
export function configFromJson(text: string): ExperimentConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`The config file is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || !('train' in parsed))
    throw new Error('The config file is not a CRMT Lab experiment (it has no "train" settings)');
  const params = new URLSearchParams();
  for (const f of URL_FIELDS) {
    try {
      params.set(f.key, f.get(parsed as ExperimentConfig));
    } catch {
      // A missing section: the default stays.
    }
  }
  return configFromHash(`#${params.toString()}`);
}
