import type { ExperimentConfig } from '../config';
import { DEFAULT_CONFIG } from '../config';
import { DataError } from '../data/dataError';
import { parseJson } from './paramCodec';
import { PARAMS, SETTINGS_PARAMS } from './paramTable';
import type { ConfigPath } from './paramTypes';
import { getAt, setAt } from './paths';

/**
 * The experiment as a file: the page's "Config JSON", `npm run experiment -- --config`, and the
 * `experiment` section of an exported model's config.json. Written and read through the
 * parameter table, so every value is checked the same way as in the panel, the URL and the CLI.
 */
export const EXPERIMENT_FORMAT = 'crmt-lab-experiment';
export const EXPERIMENT_VERSION = 1;

export interface ExperimentJson {
  format: typeof EXPERIMENT_FORMAT;
  version: number;
  [section: string]: unknown;
}

export function experimentToJson(c: ExperimentConfig): ExperimentJson {
  const out = { format: EXPERIMENT_FORMAT, version: EXPERIMENT_VERSION } as ExperimentJson;
  for (const p of SETTINGS_PARAMS) setAt(out as unknown as ExperimentConfig, p.path, structuredClone(getAt(c, p.path)));
  if (c.data.kind === 'upload' && c.data.uploadName)
    (out.data as Record<string, unknown>).uploadName = c.data.uploadName;
  return out;
}

const LABELS: string[] = ['format', 'version', 'data.uploadName'];

/**
 * A config file as written by the page (any version, including the unversioned files of earlier
 * releases), or a hand-written partial one: missing settings keep their defaults; a value of the
 * wrong type or out of range, or a setting the lab does not know, is refused with its path.
 */
export function experimentFromJson(json: unknown, file = 'the config file'): ExperimentConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new DataError(`${file} is not a CRMT Lab experiment (it is not a JSON object)`);
  const o = json as Record<string, unknown>;
  if (o.format !== undefined && o.format !== EXPERIMENT_FORMAT)
    throw new DataError(
      `${file} is not a CRMT Lab experiment (format "${String(o.format)}", expected "${EXPERIMENT_FORMAT}")`,
    );
  if (typeof o.version === 'number' && o.version > EXPERIMENT_VERSION)
    throw new DataError(
      `${file} was written by a newer CRMT Lab (experiment version ${o.version}; this lab reads up to ${EXPERIMENT_VERSION})`,
    );
  if (o.format === undefined && !('train' in o))
    throw new DataError(`${file} is not a CRMT Lab experiment (it has no "train" settings)`);
  const problems: string[] = [];
  const known = new Set([...PARAMS.map((p) => p.path as string), ...LABELS]);
  for (const path of leafPaths(o)) if (!known.has(path)) problems.push(`${path}: not a setting of the lab`);
  const c = structuredClone(DEFAULT_CONFIG);
  for (const p of SETTINGS_PARAMS) {
    const v = getAt(o, p.path);
    if (v === undefined) continue;
    const r = parseJson(p, v);
    if (r.ok) setAt(c, p.path as ConfigPath, r.value);
    else problems.push(`${p.path}: ${r.error}`);
  }
  const uploadName = getAt(o, 'data.uploadName');
  if (c.data.kind === 'upload' && typeof uploadName === 'string') c.data.uploadName = uploadName;
  if (problems.length) throw new DataError(`${file}: ${problems.join('; ')}`);
  return c;
}

/** Every path to a non-object value ('train.step2.epochs'); arrays are values. */
function leafPaths(o: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? leafPaths(v as Record<string, unknown>, `${prefix}${k}.`)
      : [`${prefix}${k}`],
  );
}

/** A config file's text (the page's Load config, the CLI's --config). */
export function experimentFromText(text: string, file = 'the config file'): ExperimentConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DataError(`${file}: The config file is not valid JSON: ${(e as Error).message}`);
  }
  return experimentFromJson(json, file);
}
