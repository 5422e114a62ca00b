import { readFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isBackendChoice, type BackendChoice } from '../core/backend/backendNames';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../core/config';
import { DataError } from '../core/data/dataError';
import { experimentFromText } from '../core/params/experimentJson';
import { parseText } from '../core/params/paramCodec';
import { SETTINGS_PARAMS } from '../core/params/paramTable';
import type { Param } from '../core/params/paramTypes';
import { setAt } from '../core/params/paths';
import type { EvalSplit } from '../core/experiment/experimentResult';
import { UsageError } from './usageError';

/**
 * The experiment CLI's options: a few of its own (where the data and the files are) and one flag
 * per parameter of the table, so the CLI runs exactly what the page's Config JSON describes
 * (--config) with any flag overriding it.
 */
type Options = NonNullable<ParseArgsConfig['options']>;

export const RUN_OPTIONS = {
  config: { type: 'string', help: "an experiment JSON (the page's Config JSON); flags override it", value: 'FILE' },
  data: {
    type: 'string',
    help: 'toy2d, audioVisual (also toy-2d, audio-visual) or a paired-CSV / NumPy / media folder or ZIP',
    value: 'DATA',
  },
  out: { type: 'string', help: 'write the result JSON here', value: 'FILE' },
  export: { type: 'string', help: 'write the trained model (config.json, model.safetensors, …) here', value: 'DIR' },
  weights: { type: 'string', help: 'start from an exported model (with --epochs 0: evaluate it only)', value: 'DIR' },
  backend: { type: 'string', help: 'auto (default), wasm or cpu', value: 'NAME' },
  'eval-split': { type: 'string', help: 'the split the result is evaluated on: test (default) or val', value: 'SPLIT' },
  help: { type: 'boolean', short: 'h', help: 'print this help and exit' },
} as const;

const FLAG_PARAMS = SETTINGS_PARAMS.filter((p): p is Param & { flag: string } => p.flag !== null);

function parseOptions(extra: Options): Options {
  const out: Options = { ...extra };
  for (const [name, o] of Object.entries(RUN_OPTIONS))
    out[name] = { type: o.type, ...('short' in o ? { short: o.short } : {}) };
  for (const p of FLAG_PARAMS) {
    out[p.flag] = { type: p.type === 'bool' ? 'boolean' : 'string' };
    if (p.type === 'bool') out[`no-${p.flag}`] = { type: 'boolean' };
  }
  return out;
}

/** Data given on the command line: a built-in generator, or a path to read like an upload. */
export type DataSource = { kind: 'builtin' } | { kind: 'path'; path: string };

export interface ExperimentCli {
  help: boolean;
  config: ExperimentConfig;
  data: DataSource;
  out: string | null;
  exportTo: string | null;
  weights: string | null;
  backend: BackendChoice;
  /** The split the result is evaluated on (the page's live views use val). */
  evalSplit: EvalSplit;
  /** Values of the caller's extra options (e.g. compare's --methods). */
  extra: Record<string, string | boolean | undefined>;
  /** Which parameters the command line set itself (not --config), e.g. to keep them over a model's own. */
  flagged: Set<string>;
}

export const BUILTIN: Record<string, ExperimentConfig['data']['kind']> = {
  toy2d: 'toy2d',
  'toy-2d': 'toy2d',
  audioVisual: 'audioVisual',
  'audio-visual': 'audioVisual',
};

/** Reads the command line; throws a UsageError naming the flag for anything it cannot take. */
export async function experimentCli(argv: string[], extra: Options = {}): Promise<ExperimentCli> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: argv, options: parseOptions(extra), strict: true, allowPositionals: false })
      .values as never;
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/s, '.'));
  }
  const extraValues = Object.fromEntries(Object.keys(extra).map((k) => [k, values[k]]));
  const base: Omit<ExperimentCli, 'config' | 'data'> = {
    help: Boolean(values.help),
    out: (values.out as string) ?? null,
    exportTo: (values.export as string) ?? null,
    weights: (values.weights as string) ?? null,
    backend: 'auto',
    evalSplit: 'test',
    extra: extraValues,
    flagged: new Set(),
  };
  if (base.help) return { ...base, config: structuredClone(DEFAULT_CONFIG), data: { kind: 'builtin' } };
  const backend = (values.backend as string | undefined) ?? 'auto';
  if (!isBackendChoice(backend))
    throw new UsageError(`--backend: "${backend}" is not auto, webgpu, webgl, wasm or cpu.`);
  base.backend = backend;
  const split = (values['eval-split'] as string | undefined) ?? 'test';
  if (split !== 'test' && split !== 'val') throw new UsageError(`--eval-split: "${split}" is not test or val.`);
  base.evalSplit = split;
  let config = structuredClone(DEFAULT_CONFIG);
  if (typeof values.config === 'string') {
    const text = await readFile(values.config, 'utf8').catch(() => {
      throw new DataError(`--config: cannot read ${values.config}`);
    });
    config = experimentFromText(text, values.config);
  }
  for (const p of FLAG_PARAMS) {
    const v = values[p.flag] ?? (values[`no-${p.flag}`] ? false : undefined);
    if (v === undefined) continue;
    const r = typeof v === 'boolean' ? { ok: true as const, value: v } : parseText(p, v);
    if (!r.ok) throw new UsageError(`--${p.flag}: ${r.error}.`);
    setAt(config, p.path, r.value);
    base.flagged.add(p.path);
  }
  // The CLI evaluates once, at the end; per-epoch live views are for the page.
  config.train.liveEvaluation = false;
  return { ...base, config, data: dataSource(values.data as string | undefined, config) };
}

/** Whether a --data value names a built-in generator rather than a path. */
export const isBuiltinData = (spec: string): boolean => spec in BUILTIN;

/** Where the data comes from: --data (a built-in id sets the config's dataset) or the config's own dataset. */
export function dataSource(flag: string | undefined, config: ExperimentConfig): DataSource {
  if (flag !== undefined && BUILTIN[flag]) {
    config.data.kind = BUILTIN[flag];
    return { kind: 'builtin' };
  }
  if (flag !== undefined) {
    config.data = { ...config.data, kind: 'upload', uploadName: undefined };
    return { kind: 'path', path: flag };
  }
  if (config.data.kind === 'upload')
    throw new UsageError(
      `the experiment was run on the uploaded dataset "${config.data.uploadName ?? '?'}": give its folder or ZIP with --data`,
    );
  return { kind: 'builtin' };
}

const placeholder = (p: Param): string =>
  p.type === 'bool'
    ? ''
    : p.type === 'enum'
      ? ` ${p.options.join('|')}`
      : p.type === 'int'
        ? ' N'
        : p.type === 'number'
          ? ' X'
          : ' LIST';

export const GROUP_TITLE: Record<string, string> = {
  data: 'Data',
  toy2d: 'toy2d generator',
  audioVisual: 'audioVisual generator',
  model: 'Model',
  training: 'Training',
  crmt: 'CRMT step 1',
  step2: 'CRMT step 2',
  adversarial: 'Adversarial training (at, crmt-at)',
  mixup: 'Mixup (mixup, crmt-mix)',
  umt: 'Uni-modal teacher (umt)',
  attack: 'Evaluation attacks',
};

/** Every option and every parameter of the table, with its default and help. */
export function experimentUsage(command: string, extra: { flag: string; help: string }[] = []): string {
  const line = (flag: string, help: string) => {
    const head = `  ${flag}`;
    return head.length < 28 ? `${head.padEnd(28)}${help}` : `${head}\n${' '.repeat(28)}${help}`;
  };
  const lines = [`Usage: ${command} [--config experiment.json] [--data DATA] [options]`, '', 'Run options:'];
  for (const [name, o] of Object.entries(RUN_OPTIONS))
    lines.push(line(`${'short' in o ? `-${o.short}, ` : ''}--${name}${'value' in o ? ` ${o.value}` : ''}`, o.help));
  for (const e of extra) lines.push(line(e.flag, e.help));
  let group = '';
  for (const p of FLAG_PARAMS) {
    if (p.group !== group) {
      group = p.group;
      lines.push('', `${GROUP_TITLE[group] ?? group}:`);
    }
    const def = p.type === 'bool' ? (p.default ? 'on' : 'off') : formatDefault(p);
    lines.push(line(`--${p.flag}${placeholder(p)}`, `${p.help} [default: ${def}]`));
  }
  lines.push(
    '',
    'Lists: 64-32, 64,32 or "64 32". Booleans: --flag or --no-flag. Every value is checked as in the page.',
  );
  return lines.join('\n');
}

const formatDefault = (p: Param): string =>
  p.default === null
    ? 'auto'
    : Array.isArray(p.default)
      ? p.default.join(p.type === 'intList' ? '-' : ',') || 'all'
      : String(p.default);
