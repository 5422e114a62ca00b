import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import { DataError } from '../../src/core/data/dataError';
import { prepareDataset } from '../../src/core/data/prepare';
import { exportModel, importModel } from '../../src/core/io/exportModel';
import { createModel, type ModelSpec } from '../../src/core/model/model';
import { MAX_MODEL_PARAMETERS, parameterCount, parameterShapes } from '../../src/core/model/modelSize';
import { Trainer } from '../../src/core/train/trainer';

const text = (o: unknown) => new TextEncoder().encode(typeof o === 'string' ? o : JSON.stringify(o));

async function exported(method: ExperimentConfig['train']['method'] = 'jt') {
  const config = { ...DEFAULT_CONFIG, train: { ...DEFAULT_CONFIG.train, method } };
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
  return { files, config: JSON.parse(new TextDecoder().decode(files['config.json'])) };
}

/** Runs `f`, which must throw a DataError containing `message`, and allocate no tensor on the way. */
function refused(f: () => unknown, message: string | RegExp): void {
  const before = tf.memory().numTensors;
  let error: unknown = null;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(DataError);
  expect((error as Error).message).toMatch(message);
  expect(tf.memory().numTensors).toBe(before);
}

const mlp = (widths: number[]) => ({ kind: 'mlp' as const, widths, activation: 'relu' as const });

describe('the model size is known from the spec before anything is built', () => {
  const specs: [string, ModelSpec][] = [
    [
      'joint head, MLPs',
      { inputShapes: [[2], [3]], classes: 4, encoders: [mlp([8, 5]), mlp([6])], head: { kind: 'joint' }, seed: 1 },
    ],
    [
      'CRMT head',
      { inputShapes: [[2], [3]], classes: 4, encoders: [mlp([8]), mlp([4])], head: { kind: 'crmt' }, seed: 1 },
    ],
    [
      'uni-modal ensemble (a bias per modality)',
      {
        inputShapes: [[2], [2]],
        classes: 3,
        encoders: [mlp([4]), mlp([4])],
        head: { kind: 'joint', perModalityBias: true },
        seed: 1,
      },
    ],
    [
      'CNN encoder',
      {
        inputShapes: [[9, 7], [3]],
        classes: 3,
        encoders: [{ kind: 'cnn', filters: [2, 3], outDim: 5, activation: 'relu' }, mlp([4])],
        head: { kind: 'joint' },
        seed: 1,
      },
    ],
  ];
  it.each(specs)('%s: parameterShapes lists exactly what createModel makes, in order', (_, spec) => {
    const model = createModel(spec);
    expect(parameterShapes(spec)).toEqual([...model.params].map(([name, v]) => ({ name, shape: v.shape })));
    expect(parameterCount(spec)).toBe([...model.params.values()].reduce((n, v) => n + v.size, 0));
    model.dispose();
  });

  it('createModel refuses a model over the limit before allocating a byte', () => {
    const spec: ModelSpec = {
      inputShapes: [[2], [2]],
      classes: 3,
      encoders: [mlp([20000, 20000]), mlp([4])],
      head: { kind: 'joint' },
      seed: 1,
    };
    expect(parameterCount(spec)).toBeGreaterThan(MAX_MODEL_PARAMETERS);
    const bytes = tf.memory().numBytes;
    refused(() => createModel(spec), /400,1\d\d,\d\d\d parameters .* over the lab's limit of 16,777,216/);
    expect(tf.memory().numBytes).toBe(bytes);
  });

  it('the settings the page allows meet the same limit: 8 layers of 4096 are refused by Start, not built', () => {
    const config: ExperimentConfig = { ...DEFAULT_CONFIG, model: { ...DEFAULT_CONFIG.model, hidden: [4096, 4096] } };
    const prepared = prepareDataset(config);
    refused(() => new Trainer(prepared.data, config), /parameters .* over the lab's limit/);
  });
});

describe('importModel trusts nothing in config.json', () => {
  it('refuses a zero, negative or non-finite standardisation, naming the field', async () => {
    const { files, config } = await exported();
    const withStd = (std: unknown, mean: unknown = config.standardisation.mean) => ({
      'config.json': text({ ...config, standardisation: { mean, std } }),
      'model.safetensors': files['model.safetensors'],
    });
    const std = config.standardisation.std;
    refused(() => importModel(withStd([std[0], [0, std[1][1]]])), 'standardisation.std[1][0]: 0 is not positive');
    refused(() => importModel(withStd([[-1, 1], std[1]])), 'standardisation.std[0][0]: -1 is not positive');
    refused(() => importModel(withStd([[null, 1], std[1]])), 'standardisation.std[0][0]: null is not a finite number');
    refused(() => importModel(withStd([[1], std[1]])), 'standardisation.std[0]: has 1 entries; at least 2');
    refused(
      () => importModel(withStd(std, [[1, '2'], config.standardisation.mean[1]])),
      'standardisation.mean[0][1]: "2" is not a finite number',
    );
    // JSON has no NaN, but 1e999 reads as Infinity.
    const inf = new TextDecoder().decode(files['config.json']).replace(/"mean": \[\s*\[\s*[-\d.e]+/, '"mean": [[1e999');
    expect(inf).toContain('1e999');
    refused(
      () => importModel({ 'config.json': text(inf), 'model.safetensors': files['model.safetensors'] }),
      'standardisation.mean[0][0]: Infinity is not a finite number',
    );
  });

  it('refuses a 4 KB config.json asking for 400 M parameters at once, without allocating', async () => {
    const { files, config } = await exported();
    const huge = {
      ...config,
      model: { ...config.model, encoders: [mlp([4096, 4096, 4096]), config.model.encoders[1]] },
    };
    const t0 = performance.now();
    refused(
      () => importModel({ 'config.json': text(huge), 'model.safetensors': files['model.safetensors'] }),
      /^config\.json: model: the model would have 33,\d{3},\d{3} parameters/,
    );
    expect(performance.now() - t0).toBeLessThan(1000);
    const wide = { ...config, model: { ...config.model, encoders: [mlp([20000, 20000]), config.model.encoders[1]] } };
    refused(
      () => importModel({ 'config.json': text(wide), 'model.safetensors': files['model.safetensors'] }),
      'config.json: model.encoders[0].widths: value 20000 is above the maximum 4096',
    );
  });

  it('refuses an unknown method, head or encoder, and a head the method does not train, as DataErrors', async () => {
    const { files, config } = await exported();
    const withConfig = (c: unknown) => ({ 'config.json': text(c), 'model.safetensors': files['model.safetensors'] });
    const experiment = { ...config.experiment, train: { ...config.experiment.train, method: 'magic' } };
    refused(
      () => importModel(withConfig({ ...config, method: 'magic', experiment })),
      'train.method: "magic" is not one of',
    );
    refused(
      () => importModel(withConfig({ ...config, method: 'crmt-jt' })),
      'method: "crmt-jt" is not the experiment\'s method "jt"',
    );
    const head = (h: unknown) => withConfig({ ...config, model: { ...config.model, head: h } });
    refused(() => importModel(head({ kind: 'mystery' })), 'model.head.kind: "mystery" is not a head this lab builds');
    refused(() => importModel(head(null)), 'model.head: null is not an object');
    refused(() => importModel(head({ kind: 'crmt' })), 'model.head.kind: the method jt trains a joint head, not crmt');
    const encoders = [{ kind: 'transformer' }, config.model.encoders[1]];
    refused(
      () => importModel(withConfig({ ...config, model: { ...config.model, encoders } })),
      'config.json: model.encoders[0].kind: "transformer" is not an encoder this lab builds (mlp, cnn)',
    );
    refused(() => importModel(withConfig({ ...config, model: 'x' })), 'config.json: model: "x" is not an object');
    refused(() => importModel(withConfig({ ...config, modalities: 7 })), 'config.json: modalities: 7 is not a list');
    refused(
      () => importModel(withConfig({ ...config, parameters: config.parameters.slice(1) })),
      'config.json: parameters: has 10 entries; at least 11 are needed',
    );
    const renamed = config.parameters.map((p: { name: string }, i: number) =>
      i === 0 ? { ...p, name: 'enc9.l0.weight' } : p,
    );
    refused(
      () => importModel(withConfig({ ...config, parameters: renamed })),
      'parameters[0].name: the model has no parameter enc9.l0.weight',
    );
  });
});

describe('importModel refuses broken TensorFlow.js weights', () => {
  // The lab's manifest as exports write it, and under the names exports before the Layers model used.
  it.each([
    ['lab-weights.json', 'lab-weights.bin'],
    ['model.json', 'weights.bin'],
  ])('non-finite values, trailing bytes and malformed manifests, each named (%s)', async (json, binName) => {
    const { files: exportedFiles, config } = await exported();
    const files = { 'config.json': exportedFiles['config.json'], 'weights.bin': exportedFiles['lab-weights.bin'] };
    const manifest = JSON.parse(new TextDecoder().decode(exportedFiles['lab-weights.json']));
    const weights = (bin: Uint8Array, m: unknown = manifest) => ({
      'config.json': files['config.json'],
      [json]: text(m),
      [binName]: bin,
    });
    const nan = files['weights.bin'].slice();
    new DataView(nan.buffer).setFloat32(4 * 3, NaN, true);
    refused(() => importModel(weights(nan)), `${binName}: enc0.l0.weight holds NaN at index 3; weights must be finite`);
    const inf = files['weights.bin'].slice();
    new DataView(inf.buffer).setFloat32(inf.length - 4, -Infinity, true);
    refused(
      () => importModel(weights(inf)),
      // The last weight: head.bias's last class (the toy's class count is a setting).
      `${binName}: head.bias holds -Infinity at index ${config.classes.length - 1}; weights must be finite`,
    );
    const longer = new Uint8Array(files['weights.bin'].length + 8);
    longer.set(files['weights.bin']);
    refused(() => importModel(weights(longer)), `${binName} has 8 bytes after the last weight ${json} lists`);
    refused(() => importModel(weights(files['weights.bin'], null)), `${json}: weightsManifest is not a list`);
    const group = manifest.weightsManifest[0];
    const edit = (i: number, w: unknown) => ({
      ...manifest,
      weightsManifest: [{ ...group, weights: group.weights.map((x: unknown, j: number) => (j === i ? w : x)) }],
    });
    refused(
      () => importModel(weights(files['weights.bin'], edit(0, { ...group.weights[0], shape: '2,64' }))),
      'weightsManifest[0].weights[0]: the shape of enc0.l0.weight is not a list of whole numbers',
    );
    refused(
      () => importModel(weights(files['weights.bin'], edit(0, { ...group.weights[0], shape: [-2, 64] }))),
      'the shape of enc0.l0.weight is not a list of whole numbers',
    );
    refused(
      () => importModel(weights(files['weights.bin'], edit(1, group.weights[0]))),
      'weightsManifest[0].weights[1]: enc0.l0.weight is listed twice',
    );
    refused(() => importModel(weights(files['weights.bin'], edit(0, null))), 'weights[0].name is not a string');
  });
});
