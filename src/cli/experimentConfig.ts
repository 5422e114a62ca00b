import { isBackendChoice, type BackendChoice } from '../core/backend/backendNames';
import { DEFAULT_CONFIG, readTauSource, type ExperimentConfig } from '../core/config';
import type { EvalSplit } from '../core/experiment/experimentResult';
import { isMethodId, METHOD_IDS } from '../core/train/methods';
import { numberList, positiveInt } from './args';

export interface CliOptions {
  data: string;
  modalities: string[] | null;
  eps: number[];
  /** The split the result is measured on. */
  evalSplit: EvalSplit;
  out: string | null;
  /** Folder to write the trained model to, and folder to start from. */
  exportTo: string | null;
  weights: string | null;
  backend: BackendChoice;
  config: ExperimentConfig;
}

export const DEFAULT_EPS = [0.1, 0.25, 0.5, 1];

export const USAGE = `Usage: npm run experiment -- --data <toy-2d | path to a paired-CSV folder> --method <id>
  [--modalities <name,name>] [--epochs N] [--seed S] [--eps <list>] [--eval-split test|val] [--out result.json]
  [--export <dir>] [--weights <dir>]  (with --weights and --epochs 0 it evaluates without training)
  [--backend auto|wasm|cpu] [--lr X] [--wd X] [--batch N] [--hidden 32,16] [--rho X] [--margin-floor X]
  [--head-rows orthonormal|unit] [--step2-tau estimated|sound] [--step2-class min|runner-up]
  [--step2-epochs N] [--at-eps X] [--at-steps N] [--at-random-start]
Methods: ${METHOD_IDS.join(', ')}`;

const KNOWN = new Set([
  'data',
  'export',
  'weights',
  'method',
  'modalities',
  'epochs',
  'seed',
  'eps',
  'eval-split',
  'out',
  'backend',
  'lr',
  'wd',
  'batch',
  'hidden',
  'rho',
  'margin-floor',
  'head-rows',
  'step2-tau',
  'step2-class',
  'step2-epochs',
  'at-eps',
  'at-steps',
  'at-random-start',
  'help',
]);

/** Turns parsed flags into a validated experiment; every message names the flag. */
export function cliOptions(args: Map<string, string>): CliOptions {
  for (const k of args.keys()) if (!KNOWN.has(k)) throw new Error(`Unknown option --${k}.\n${USAGE}`);
  const data = args.get('data');
  if (!data) throw new Error(`--data is required.\n${USAGE}`);
  const method = args.get('method') ?? 'jt';
  if (!isMethodId(method)) throw new Error(`--method: "${method}" is not one of ${METHOD_IDS.join(', ')}.`);
  const backend = args.get('backend') ?? 'auto';
  if (!isBackendChoice(backend)) throw new Error(`--backend: "${backend}" is not auto, webgpu, webgl, wasm or cpu.`);
  const c = structuredClone(DEFAULT_CONFIG);
  const t = c.train;
  t.method = method;
  // The CLI evaluates once, at the end; per-epoch live views are for the page.
  t.liveEvaluation = false;
  const get = (k: string, f: (v: string) => void) => {
    const v = args.get(k);
    if (v !== undefined) f(v);
  };
  get('epochs', (v) => (t.epochs = positiveInt(v, '--epochs')));
  get('seed', (v) => (t.seed = positiveInt(v, '--seed')));
  get('batch', (v) => (t.batchSize = Math.max(1, positiveInt(v, '--batch'))));
  get('lr', (v) => (t.learningRate = numberList(v, '--lr')[0]));
  get('wd', (v) => (t.weightDecay = numberList(v, '--wd')[0]));
  get('rho', (v) => (t.rho = numberList(v, '--rho')[0]));
  get('margin-floor', (v) => (t.marginFloor = numberList(v, '--margin-floor')[0]));
  get('hidden', (v) => (c.model.hidden = numberList(v, '--hidden').map((w) => positiveInt(String(w), '--hidden'))));
  get('head-rows', (v) => {
    if (v !== 'orthonormal' && v !== 'unit') throw new Error(`--head-rows: "${v}" is not orthonormal or unit.`);
    t.headRows = v;
  });
  get('step2-tau', (v) => {
    const source = readTauSource(v);
    if (!source) throw new Error(`--step2-tau: "${v}" is not estimated or sound.`);
    t.step2.tauSource = source;
  });
  get('step2-class', (v) => {
    if (v !== 'min' && v !== 'runner-up') throw new Error(`--step2-class: "${v}" is not min or runner-up.`);
    t.step2.classChoice = v;
  });
  get('step2-epochs', (v) => (t.step2.epochs = positiveInt(v, '--step2-epochs')));
  get('at-eps', (v) => {
    t.at.eps = numberList(v, '--at-eps')[0];
    t.at.stepSize = t.at.eps / t.at.steps;
  });
  get('at-steps', (v) => {
    t.at.steps = Math.max(1, positiveInt(v, '--at-steps'));
    t.at.stepSize = t.at.eps / t.at.steps;
  });
  get('at-random-start', (v) => (t.at.randomStart = v !== 'false'));
  return {
    data,
    modalities: args.has('modalities')
      ? args
          .get('modalities')!
          .split(',')
          .map((s) => s.trim())
      : null,
    eps: args.has('eps') ? numberList(args.get('eps')!, '--eps') : DEFAULT_EPS,
    evalSplit: evalSplitOf(args.get('eval-split') ?? 'test'),
    out: args.get('out') ?? null,
    exportTo: args.get('export') ?? null,
    weights: args.get('weights') ?? null,
    backend,
    config: c,
  };
}

function evalSplitOf(v: string): EvalSplit {
  if (v !== 'test' && v !== 'val') throw new Error(`--eval-split: "${v}" is not test or val.`);
  return v;
}
