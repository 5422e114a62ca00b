import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import { DataError } from '../../src/core/data/dataError';
import { prepareDataset } from '../../src/core/data/prepare';
import { exportModel, importModel } from '../../src/core/io/exportModel';
import { MAX_MODEL_PARAMETERS } from '../../src/core/model/modelSize';
import { experimentFromJson, experimentFromText, experimentToJson } from '../../src/core/params/experimentJson';
import { Trainer } from '../../src/core/train/trainer';

/**
 * Property-based fuzzing of the config readers (Load config / --config, and an exported model's
 * config.json with its weights): valid files mutated field by field (a value replaced by an
 * extreme or a value of another type, a key deleted or added) and byte by byte only ever give the
 * lab's DataError; what is accepted reads back as itself; every call ends within a time bound;
 * no tensor outlives a refusal and no accepted model exceeds the parameter limit. Fixed seeds.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Op =
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'delete'; at: number }
  | { kind: 'add'; at: number; key: string; value: unknown };

const EXTREMES: unknown[] = [
  0,
  -0,
  -1,
  0.5,
  1e308,
  -1e308,
  2 ** 53,
  2 ** 31,
  NaN,
  Infinity,
  -Infinity,
  '',
  'NaN',
  '1e999',
  '__proto__',
  null,
  true,
  [],
  {},
  [20000, 20000],
  [0],
  [-1, 2],
  { kind: 'mlp', widths: [20000, 20000], activation: 'relu' },
];

const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...EXTREMES),
  fc.jsonValue({ maxDepth: 2 }),
  fc.double(),
  fc.integer(),
);

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('add' as const),
    at: fc.nat(),
    key: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'kind', 'widths')),
    value,
  }),
);

/** Every container and leaf of `root`, with its parent and key (the root has none). */
function nodes(root: unknown): { parent: Record<string, unknown> | unknown[] | null; key: string | number }[] {
  const out: { parent: Record<string, unknown> | unknown[] | null; key: string | number }[] = [
    { parent: null, key: '' },
  ];
  const walk = (v: unknown) => {
    if (typeof v !== 'object' || v === null) return;
    for (const [k, child] of Object.entries(v)) {
      out.push({ parent: v as Record<string, unknown>, key: Array.isArray(v) ? Number(k) : k });
      walk(child);
    }
  };
  walk(root);
  return out;
}

function mutateJson(seed: Json, ops: Op[]): unknown {
  let root: unknown = structuredClone(seed);
  for (const o of ops) {
    const all = nodes(root);
    const { parent, key } = all[o.at % all.length];
    if (o.kind === 'replace') {
      if (parent === null) root = structuredClone(o.value);
      else (parent as Record<string, unknown>)[key] = structuredClone(o.value);
    } else if (o.kind === 'delete' && parent !== null) {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else if (o.kind === 'add') {
      const target = parent === null ? root : (parent as Record<string, unknown>)[key];
      if (typeof target === 'object' && target !== null && !Array.isArray(target))
        Object.defineProperty(target, o.key, {
          value: structuredClone(o.value),
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
  }
  return root;
}

const textMutation = fc.array(
  fc.oneof(
    fc.record({
      kind: fc.constant('flip' as const),
      at: fc.nat(),
      char: fc.constantFrom('0', '-', '9', 'e', '"', ',', ']', '}', '{', 'n', ' '),
    }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  ),
  { minLength: 1, maxLength: 3 },
);

function mutateText(seed: string, ops: { kind: 'flip' | 'cut'; at: number; char?: string }[]): string {
  let s = seed;
  for (const o of ops) {
    const at = s.length ? o.at % s.length : 0;
    s = o.kind === 'cut' ? s.slice(0, at) : s.slice(0, at) + o.char + s.slice(at + 1);
  }
  return s;
}

const TIME_BOUND_MS = 2000;

/** `read` may succeed or throw the lab's DataError, nothing else, and must end in time. */
function onlyDataErrors<T>(read: () => T): T | null {
  const t0 = performance.now();
  try {
    return read();
  } catch (e) {
    if (!(e instanceof DataError)) throw new Error(`not a DataError: ${(e as Error)?.name}: ${(e as Error)?.message}`);
    return null;
  } finally {
    expect(performance.now() - t0).toBeLessThan(TIME_BOUND_MS);
  }
}

const RUNS = { seed: 15, numRuns: 300 };

const CRMT_CNN: ExperimentConfig = {
  ...DEFAULT_CONFIG,
  data: { ...DEFAULT_CONFIG.data, kind: 'audioVisual' },
  model: { ...DEFAULT_CONFIG.model, encoder: 'cnn-for-images' },
  train: { ...DEFAULT_CONFIG.train, method: 'crmt-jt', epochs: 4 },
};

describe('experiment files (Load config, --config, the experiment of a config.json)', () => {
  const seeds = [experimentToJson(DEFAULT_CONFIG), experimentToJson(CRMT_CNN)] as unknown as Json[];

  it('mutated fields only give DataErrors, and what is accepted reads back as itself', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(op, { minLength: 1, maxLength: 4 }), (which, ops) => {
        const json = mutateJson(seeds[which % seeds.length], ops);
        const read = onlyDataErrors(() => experimentFromJson(json));
        // JSON has no -0 or NaN: compare as JSON text.
        if (read)
          expect(JSON.stringify(experimentFromJson(JSON.parse(JSON.stringify(experimentToJson(read)))))).toBe(
            JSON.stringify(read),
          );
      }),
      RUNS,
    );
  });

  it('mutated text only gives DataErrors', () => {
    const texts = seeds.map((s) => JSON.stringify(s, null, 2));
    fc.assert(
      fc.property(fc.nat(), textMutation, (which, ops) => {
        onlyDataErrors(() => experimentFromText(mutateText(texts[which % texts.length], ops), 'fuzz.json'));
      }),
      RUNS,
    );
  });
});

describe("an exported model's config.json", () => {
  it('mutated fields or bytes only give DataErrors, within time, leaking no tensor and building nothing over the limit', async () => {
    const config: ExperimentConfig = { ...DEFAULT_CONFIG, train: { ...DEFAULT_CONFIG.train, method: 'crmt-jt' } };
    const prepared = prepareDataset(config);
    const trainer = new Trainer(prepared.data, config);
    const files = await exportModel(trainer.model, {
      dataset: prepared.data.name,
      modalities: prepared.data.modalities,
      classes: prepared.data.classNames,
      experiment: config,
      standardisation: prepared.stats,
    });
    trainer.dispose();
    const seed = JSON.parse(new TextDecoder().decode(files['config.json'])) as Json;
    const seedText = new TextDecoder().decode(files['config.json']);
    const tensors = tf.memory().numTensors;
    let accepted = 0;
    const load = (configBytes: Uint8Array, tfjs: boolean) => {
      const weights: Record<string, Uint8Array> = tfjs
        ? { 'model.json': files['model.json'], 'weights.bin': files['weights.bin'] }
        : { 'model.safetensors': files['model.safetensors'] };
      const got = onlyDataErrors(() => importModel({ 'config.json': configBytes, ...weights }));
      if (got) {
        accepted++;
        const { mean, std } = got.config.standardisation;
        expect(mean.flat().every(Number.isFinite) && std.flat().every((s) => Number.isFinite(s) && s > 0)).toBe(true);
        const zeros = got.config.modalities.map(
          (m) => tf.zeros([1, m.shape.reduce((a, b) => a * b, 1)]) as tf.Tensor2D,
        );
        const logits = tf.tidy(() => got.model.forward(zeros).logits.dataSync());
        zeros.forEach((z) => z.dispose());
        expect(logits.every(Number.isFinite)).toBe(true);
        expect([...got.model.params.values()].reduce((n, v) => n + v.size, 0)).toBeLessThanOrEqual(
          MAX_MODEL_PARAMETERS,
        );
        got.model.dispose();
      }
      expect(tf.memory().numTensors).toBe(tensors);
    };
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 3 }), fc.boolean(), (ops, tfjs) => {
        load(new TextEncoder().encode(JSON.stringify(mutateJson(seed, ops))), tfjs);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(textMutation, fc.boolean(), (ops, tfjs) =>
        load(new TextEncoder().encode(mutateText(seedText, ops)), tfjs),
      ),
      RUNS,
    );
    // Some mutations are harmless (a renamed dataset, a different seed): the readers are not refusing everything.
    expect(accepted).toBeGreaterThan(0);
  });
});
