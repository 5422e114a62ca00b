import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeDocTables } from './localBoundDoc';
import { loadData } from '../../cli/loadData';
import { initNodeBackend } from '../../cli/nodeBackend';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../core/config';
import { generateAudioVisual } from '../../core/data/builtin/audioVisual';
import { generateToy2d } from '../../core/data/builtin/toy2d';
import type { Dataset } from '../../core/data/dataset';
import { standardised } from '../../core/data/prepare';
import { certifiedAccuracy, certifiedRadius, median, type Radii } from '../../core/robust/certify';
import { soundConstants, estimatedConstants } from '../../core/robust/lipschitz';
import { localRadii } from '../../core/robust/localBound/localRadii';
import { localBoundOptions } from '../../core/robust/localBound/localBoundSetting';
import { localSample } from '../../core/robust/localSample';
import { certifiedAt } from '../../core/robust/localBound/localRadius';
import type { BoundTarget } from '../../core/robust/localBound/marginBound';
import { readBoundModel } from '../../core/robust/localBound/readBoundModel';
import { collectOutputs } from '../../core/robust/modelOutputs';
import type { MethodId } from '../../core/train/methods';
import { Trainer, uploadSplit } from '../../core/train/trainer';
import { MIN_NORM_ATTACK, minNormDistance } from '../minNormAttack';
import { firstFlipDistance, flipsWithin, STRONG_ATTACK } from '../perSampleAttack';
import {
  arg,
  ATTACK_CHANGED,
  BOUND_OPTIONS,
  CERTIFY_AT,
  FLIP_ATTACK,
  FLIP_TOLERANCE,
  LAB_SETTING,
  MIN_NORM_STEPS,
} from './localBoundTightnessArgs';

/** The bound as run: the lab's setting, then any trial options over it. */
const BOUND = { ...localBoundOptions(LAB_SETTING), ...BOUND_OPTIONS };
/** The lab's thorough setting (a budget) has its own tables in the doc; a branching depth alone has none. */
const DOC_BLOCK = LAB_SETTING.localBoundBranching > 0 ? null : LAB_SETTING.localBoundBudget > 0 ? 'budget' : 'default';

/** A paired-CSV folder read as the CLI reads it, narrowed to `modalities` (all when null), split by `seed`. */
async function readFolder(path: string, modalities: string[] | null, seed: number): Promise<Dataset> {
  const c: ExperimentConfig = {
    ...DEFAULT_CONFIG,
    data: { ...DEFAULT_CONFIG.data, kind: 'upload' },
    modalities: modalities ?? [],
    train: { ...DEFAULT_CONFIG.train, seed },
  };
  return loadData({ kind: 'path', path }, c);
}

/**
 * Issue 18's tightness measurement (docs/LOCAL-BOUND.md, "How tight"): per model, the median of
 * (first-flip distance found by a strong attack) / (certified radius) for the global sound, local
 * and estimated bounds, joint and per modality; certified accuracy at the CLI's ε; the local
 * bound's cost per 1,000 samples. The samples are the lab's seeded random sample of the test split
 * (localSample with the run's seed), the ones the CLI, the worker and the report certify. Also checks soundness on the way: no attack flips a prediction
 * inside 0.999 × the local radius.
 *
 *   npx tsx src/bench/node/localBoundTightness.ts [--samples 100] [--cases toy,optdigits,mfeat,mnist-usps,cnn]
 *     [--data ../shared/data] [--write-doc] [--slope-iterations N] [--learning-rate LR] [--intermediate-slopes]
 *     [--branching D] [--branching-score intercept|uncertain] [--no-split-multipliers]
 *     [--branching-budget N] [--branching-reuse] [--branch-near-frontier] [--tolerance F] [--joint-parts N]
 *     [--attack-steps N] [--attack-restarts N] [--attack-step-size F] [--flip-tolerance F] [--min-norm N]
 *     [--certify-at F] [--local-bound-budget B] [--local-bound-branching D]
 *
 * --slope-iterations … --no-split-multipliers try other settings of the bound (localRadius's
 * LocalRadiusOptions) than the lab's; --write-doc refuses them, as the doc describes the lab's.
 * --attack-* and --flip-tolerance change the first-flip attack (the reference; the 0.999 × radius
 * soundness attack stays STRONG_ATTACK); --min-norm N also runs N steps of a minimum-norm attack
 * (minNormAttack.ts) from each first flip and keeps the nearer adversarial; --certify-at F prints how
 * many samples the bound certifies at (first-flip distance)/F, evaluated there directly (no bisection).
 *
 * --local-bound-budget and --local-bound-branching are the lab's own settings (the CLI's flags of the
 * same names, mapped as the CLI maps them).
 *
 * --write-doc puts the two tables into docs/LOCAL-BOUND.md (§7 cost, §8 tightness, between their
 * markers), so the doc's numbers are this command's output rather than pasted; with
 * --local-bound-budget B, into §8's tables of the thorough setting instead.
 *
 * The first-flip distance: PGD-ℓ2 (100 steps of 0.05·ε on the margin loss, 5 random starts and
 * one from the clean input) at ε doubled from the local radius until it flips, then geometric
 * bisection to 2 %. It is an upper bound on the true distance, so every ratio is one too.
 */

/** ../shared/data next to the repository, or --data DIR. */
const DATA = arg('data', fileURLToPath(new URL('../../../../shared/data/', import.meta.url))) + '/';

interface Case {
  id: string;
  load: () => Promise<Dataset>;
  method: MethodId;
  epochs: number;
  cnn?: boolean;
  /** Fewer samples for the costly CNN attacks. */
  sampleScale?: number;
}

const CASES: Case[] = [
  { id: 'toy', load: async () => generateToy2d(DEFAULT_CONFIG.data.toy2d), method: 'jt', epochs: 20 },
  { id: 'toy-crmt', load: async () => generateToy2d(DEFAULT_CONFIG.data.toy2d), method: 'crmt-jt', epochs: 20 },
  { id: 'optdigits', load: () => readFolder(DATA + 'optdigits_halves', null, 1), method: 'jt', epochs: 20 },
  { id: 'mfeat', load: () => readFolder(DATA + 'mfeat_handwritten', ['fou', 'fac'], 1), method: 'jt', epochs: 20 },
  { id: 'mnist-usps', load: () => readFolder(DATA + 'mnist_usps_hw2sources', null, 1), method: 'jt', epochs: 10 },
  {
    id: 'cnn',
    load: async () => generateAudioVisual({ ...DEFAULT_CONFIG.data.audioVisual, samples: 600 }),
    method: 'jt',
    epochs: 4,
    cnn: true,
    sampleScale: 0.4,
  },
];

interface CaseRows {
  tightness: string[];
  cost: string;
}

async function runCase(c: Case, samples: number): Promise<CaseRows> {
  const data = standardised(await c.load()).data;
  const config: ExperimentConfig = {
    ...DEFAULT_CONFIG,
    model: c.cnn
      ? { ...DEFAULT_CONFIG.model, encoder: 'cnn-for-images', cnn: { filters: [8, 16], outDim: 32 } }
      : DEFAULT_CONFIG.model,
    train: { ...DEFAULT_CONFIG.train, method: c.method, epochs: c.epochs },
  };
  // WASM has no kernel for a convolution's filter gradient: the CNN trains on the CPU backend.
  if (c.cnn) await tf.setBackend('cpu');
  const trainer = new Trainer(data, config);
  for await (const s of trainer.run()) if (s.kind === 'diverged') throw new Error(s.message);
  if (c.cnn) await tf.setBackend('wasm');
  const full = uploadSplit(data, 'test');
  // The lab's seeded random sample (the CLI's, worker's and report's), not the split's first rows.
  const chosen = localSample(Math.round(samples * (c.sampleScale ?? 1)), full.n, config.train.seed);
  const n = chosen.length;
  const [xs, y] = tf.tidy(() => {
    const at = tf.tensor1d(chosen, 'int32');
    return [full.x.map((x) => tf.gather(x, at)), tf.gather(full.y, at)] as const;
  });
  const labels = new Int32Array(await y.data());
  const out = await collectOutputs(trainer.model, xs);
  const sound = await soundConstants(trainer.model);
  const estimated = await estimatedConstants(trainer.model, trainer.splits.train.x);
  const net = await readBoundModel(trainer.model);
  const values = await Promise.all(xs.map((x) => x.data()));
  // CPU time, not wall time: the bound is single-threaded plain JavaScript, and CPU time does not
  // grow when other processes share the machine.
  const t0 = process.cpuUsage();
  const local = localRadii(net, values, labels, { globalPair: sound.pair, ...BOUND });
  const cpu = process.cpuUsage(t0);
  const seconds = (cpu.user + cpu.system) / 1e6;
  const kinds: [string, Radii][] = [
    ['sound', certifiedRadius(out.logits, labels, sound.pair, out.K)],
    ['local', local],
    ['estimated', certifiedRadius(out.logits, labels, estimated.pair, out.K)],
  ];
  const names = data.modalities.map((m) => m.name);
  const targets: [string, boolean[], (r: Radii) => Float64Array][] = [
    ['all', names.map(() => true), (r) => r.joint],
    ...names.map(
      (name, m) =>
        [name, names.map((_, j) => j === m), (r: Radii) => r.perModality[m]] as [
          string,
          boolean[],
          (r: Radii) => Float64Array,
        ],
    ),
  ];
  const rows: string[] = [];
  for (const [target, mask, pick] of targets) {
    const o = { ...STRONG_ATTACK, targets: mask };
    const inside = flipsWithin(
      trainer.model,
      xs,
      y,
      Float64Array.from(pick(local), (r) => 0.999 * r),
      o,
    );
    const unsound = [...inside].filter((f, i) => f && local.correct[i] && pick(local)[i] > 0).length;
    const flip = firstFlipDistance(
      trainer.model,
      xs,
      y,
      pick(local),
      { ...FLIP_ATTACK, targets: mask },
      FLIP_TOLERANCE,
    );
    if (MIN_NORM_STEPS) {
      const nearer = minNormDistance(trainer.model, xs, y, flip, {
        ...MIN_NORM_ATTACK,
        steps: MIN_NORM_STEPS,
        targets: mask,
      });
      const gain = Float64Array.from(flip, (f, i) => (Number.isFinite(f) ? Math.min(1, nearer[i] / f) : 1));
      console.log(
        `  ${target}: min-norm / PGD first flip, median ${median(gain).toFixed(3)}, min ${Math.min(...gain).toFixed(3)}`,
      );
      gain.forEach((g, i) => (flip[i] *= g));
    }
    const usable = [...Array(n).keys()].filter((i) => local.correct[i] && pick(local)[i] > 0 && flip[i] < Infinity);
    if (CERTIFY_AT) {
      const t: BoundTarget = target === 'all' ? 'joint' : names.indexOf(target);
      const sample = (i: number) => values.map((v) => v.slice(i * (v.length / n), (i + 1) * (v.length / n)));
      const at = usable.filter((i) =>
        certifiedAt(
          net,
          sample(i).map((v) => Float64Array.from(v)),
          labels[i],
          t,
          flip[i] / CERTIFY_AT,
          { globalPair: sound.pair, ...BOUND },
        ),
      );
      console.log(`  ${target}: certified at first flip / ${CERTIFY_AT}: ${at.length}/${usable.length}`);
    }
    const ratio = (r: Radii) => median(Float64Array.from(usable, (i) => flip[i] / pick(r)[i])).toFixed(2);
    const logs = usable.map((i) => Math.log(flip[i] / pick(local)[i]));
    console.log(
      `  ${target}: attack / local, geometric mean ${Math.exp(logs.reduce((a, b) => a + b, 0) / logs.length).toFixed(3)}`,
    );
    rows.push(
      `| ${c.id} | ${target} | ${usable.length}/${n} | ${kinds.map(([, r]) => ratio(r)).join(' | ')} | ${unsound} |`,
    );
  }
  const ca = kinds.map(([, r]) =>
    certifiedAccuracy(r.joint, EPS)
      .map((a) => a.toFixed(2))
      .join(' / '),
  );
  rows.push(`| ${c.id} | CA at ε = ${EPS.join(' / ')}, joint | ${n} | ${ca.join(' | ')} | |`);
  const inputs = names.map((m, i) => `${m} ${data.modalities[i].shape.join('×')}`).join(' + ');
  const cost =
    `| ${c.id}${c.cnn ? ' (CNN 8-16)' : ''} | ${inputs} | ${((seconds / n) * 1000).toFixed(0)} | ` +
    `${(local.evaluations / n).toFixed(1)} |`;
  [...xs, y, ...full.x, full.y].forEach((t) => t.dispose());
  trainer.dispose();
  return { tightness: rows, cost };
}

/** The CLI's default report ε: certified accuracy is read there. */
const EPS = DEFAULT_CONFIG.attack.eps;

async function main(): Promise<void> {
  const backend = await initNodeBackend('wasm');
  const samples = Number(arg('samples', '100'));
  const wanted = arg('cases', CASES.map((c) => c.id).join(',')).split(',');
  const started = Date.now();
  const intro =
    `backend ${backend.name}, Node ${process.version}, up to ${samples} test samples per model, ` +
    `the lab's seeded random sample (localSample, seed ${DEFAULT_CONFIG.train.seed}) as the CLI, page and report draw it`;
  console.log(intro + '\n');
  const tightness = [
    '| model | target | samples | attack / sound | attack / local | attack / estimated | flips inside local |',
    '|---|---|---|---|---|---|---|',
  ];
  const cost = ['| model | inputs | CPU s per 1,000 samples | evaluations per sample |', '|---|---|---|---|'];
  tightness.forEach((l) => console.log(l));
  for (const c of CASES.filter((k) => wanted.includes(k.id))) {
    if (!c.id.startsWith('toy') && c.id !== 'cnn' && !existsSync(DATA)) {
      console.log(`| ${c.id} | skipped: ${DATA} not found |`);
      continue;
    }
    const r = await runCase(c, samples);
    r.tightness.forEach((l) => console.log(l));
    tightness.push(...r.tightness);
    cost.push(r.cost);
  }
  console.log('\n' + cost.join('\n'));
  console.log(`\nfirst-flip attack: ${JSON.stringify(FLIP_ATTACK)}, tolerance ${FLIP_TOLERANCE}`);
  if (Object.keys(BOUND_OPTIONS).length || ATTACK_CHANGED || !DOC_BLOCK)
    console.log(
      `\nbound options: ${JSON.stringify(BOUND)} (--write-doc needs the lab's attack and bound, by default or with --local-bound-budget alone)`,
    );
  else if (process.argv.includes('--write-doc')) {
    const minutes = ((Date.now() - started) / 60000).toFixed(1);
    const setting = DOC_BLOCK === 'budget' ? ` --local-bound-budget ${LAB_SETTING.localBoundBudget}` : '';
    const command = `npx tsx src/bench/node/localBoundTightness.ts --samples ${samples} --cases ${wanted.join(',')}${setting} --write-doc`;
    const file = await writeDocTables({ tightness, cost }, `${intro}; \`${command}\`, ${minutes} min`, DOC_BLOCK);
    console.log(`\nwrote the tables into ${file}`);
  }
}

main().catch((e: unknown) => {
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
