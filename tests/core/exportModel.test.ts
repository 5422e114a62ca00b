import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import { prepareDataset } from '../../src/core/data/prepare';
import { exportModel, importModel } from '../../src/core/io/exportModel';
import { certifiedRadius } from '../../src/core/robust/certify';
import { soundConstants } from '../../src/core/robust/lipschitz';
import { collectOutputs } from '../../src/core/robust/modelOutputs';
import { Trainer } from '../../src/core/train/trainer';

/** An independent safetensors reader: header length, JSON header, offsets, little-endian F32. */
function readSafetensors(bytes: Uint8Array): Record<string, { shape: number[]; values: number[] }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + n)).toString('utf8'));
  const out: Record<string, { shape: number[]; values: number[] }> = {};
  for (const [k, v] of Object.entries<{ dtype: string; shape: number[]; data_offsets: number[] }>(header)) {
    if (k === '__metadata__') continue;
    expect(v.dtype).toBe('F32');
    const values: number[] = [];
    for (let o = v.data_offsets[0]; o < v.data_offsets[1]; o += 4) values.push(view.getFloat32(8 + n + o, true));
    out[k] = { shape: v.shape, values };
  }
  return out;
}

async function trainedCrmt() {
  const config: ExperimentConfig = {
    ...DEFAULT_CONFIG,
    data: { ...DEFAULT_CONFIG.data, toy2d: { ...DEFAULT_CONFIG.data.toy2d, samples: 300 } },
    train: { ...DEFAULT_CONFIG.train, method: 'crmt-jt', epochs: 3, liveEvaluation: false },
  };
  const prepared = prepareDataset(config);
  const trainer = new Trainer(prepared.data, config);
  for await (const s of trainer.run()) void s;
  const meta = {
    dataset: prepared.data.name,
    modalities: prepared.data.modalities,
    classes: prepared.data.classNames,
    experiment: config,
    standardisation: prepared.stats,
  };
  return { trainer, meta };
}

describe('export and import of trained weights', () => {
  it('round-trips through both formats (and the legacy manifest names): identical predictions and certified radii', async () => {
    const { trainer, meta } = await trainedCrmt();
    const files = await exportModel(trainer.model, meta);
    const x = trainer.splits.val.x;
    const labels = new Int32Array(await trainer.splits.val.y.data());
    const before = await collectOutputs(trainer.model, x);
    const radiiBefore = certifiedRadius(before.logits, labels, (await soundConstants(trainer.model)).pair, before.K);
    // Exports before the Layers model kept the lab's manifest as model.json + weights.bin.
    const legacy = {
      'config.json': files['config.json'],
      'model.json': files['lab-weights.json'],
      'weights.bin': files['lab-weights.bin'],
    };
    for (const keep of [
      { 'config.json': files['config.json'], 'model.safetensors': files['model.safetensors'] },
      // A whole export without safetensors: the Layers model.json is not mistaken for the lab's manifest.
      Object.fromEntries(Object.entries(files).filter(([k]) => k !== 'model.safetensors')),
      legacy,
    ]) {
      const { model } = importModel(keep);
      const after = await collectOutputs(model, x);
      expect(after.logits).toEqual(before.logits);
      const radiiAfter = certifiedRadius(after.logits, labels, (await soundConstants(model)).pair, after.K);
      expect(radiiAfter.joint).toEqual(radiiBefore.joint);
      model.dispose();
    }
    trainer.dispose();
  });

  it('writes safetensors an independent reader parses into PyTorch layouts equal to the model', async () => {
    const { trainer, meta } = await trainedCrmt();
    const files = await exportModel(trainer.model, meta);
    const read = readSafetensors(files['model.safetensors']);
    const config = JSON.parse(Buffer.from(files['config.json']).toString('utf8'));
    expect(Object.keys(read).sort()).toEqual([...trainer.model.params.keys()].sort());
    for (const [name, v] of trainer.model.params) {
      const lab = v.arraySync() as number[] | number[][];
      const r = read[name];
      if (v.rank === 2 && name.endsWith('.weight')) {
        // nn.Linear: [out, in] is the lab's [in, out] transposed.
        expect(r.shape).toEqual([v.shape[1], v.shape[0]]);
        const m = lab as number[][];
        m.forEach((row, i) => row.forEach((x, j) => expect(r.values[j * m.length + i]).toBe(Math.fround(x))));
      } else {
        expect(r.shape).toEqual(v.shape);
        expect(r.values).toEqual(Array.from(v.dataSync()));
      }
    }
    expect(config.parameters.find((p: { name: string }) => p.name === 'enc0.l0.weight').torchShape).toEqual([64, 2]);
    expect(config.standardisation.mean).toHaveLength(2);
    trainer.dispose();
  });

  it("reads a model of version 1 (only `train`, step 2's old τ word `certified`) as version 2 reads it", async () => {
    const { trainer, meta } = await trainedCrmt();
    const files = await exportModel(trainer.model, meta);
    const config = JSON.parse(Buffer.from(files['config.json']).toString('utf8'));
    const { experiment: written, version, ...rest } = config;
    expect(version).toBe(2);
    const v1 = {
      ...rest,
      format: 'crmt-lab-model/1',
      train: {
        ...written.train,
        liveEvaluation: true,
        progressEvery: 10,
        step2: { ...written.train.step2, tauSource: 'certified' },
      },
    };
    const { model, experiment } = importModel({
      'config.json': new TextEncoder().encode(JSON.stringify(v1)),
      'model.safetensors': files['model.safetensors'],
    });
    expect(experiment.train.step2.tauSource).toBe('sound');
    // How a run is shown (live evaluation) is not part of the experiment: it takes the page's default.
    expect(experiment.train).toEqual({
      ...meta.experiment.train,
      liveEvaluation: true,
      step2: { ...meta.experiment.train.step2, tauSource: 'sound' },
    });
    model.dispose();
    trainer.dispose();
  });

  it('refuses broken, truncated or mismatched files with a clear message and leaves no tensors behind', async () => {
    const { trainer, meta } = await trainedCrmt();
    const files = await exportModel(trainer.model, meta);
    const start = tf.memory().numTensors;
    const config = JSON.parse(Buffer.from(files['config.json']).toString('utf8'));
    const withConfig = (c: unknown) => new TextEncoder().encode(JSON.stringify(c));
    const cases: [Record<string, Uint8Array>, string][] = [
      [{ 'model.safetensors': files['model.safetensors'] }, 'config.json is missing: it says how to rebuild the model'],
      [
        { 'config.json': new TextEncoder().encode('{oops'), 'model.safetensors': files['model.safetensors'] },
        'config.json is not valid JSON',
      ],
      [
        { 'config.json': files['config.json'] },
        'No weights: give model.safetensors, or lab-weights.json with lab-weights.bin, next to config.json',
      ],
      [
        { 'config.json': files['config.json'], 'model.json': files['model.json'] },
        'model.json is the TensorFlow.js Layers model, for use outside the lab',
      ],
      [
        { 'config.json': files['config.json'], 'model.safetensors': files['model.safetensors'].subarray(0, 200) },
        'model.safetensors is truncated',
      ],
      [
        {
          'config.json': files['config.json'],
          'lab-weights.json': files['lab-weights.json'],
          'lab-weights.bin': files['lab-weights.bin'].subarray(0, 100),
        },
        'lab-weights.bin is truncated',
      ],
      [
        {
          'config.json': withConfig({
            ...config,
            parameters: config.parameters.map((p: { name: string; torchShape: number[] }) =>
              p.name === 'head.v0' ? { ...p, torchShape: [9, 9] } : p,
            ),
          }),
          'model.safetensors': files['model.safetensors'],
        },
        `model.safetensors: head.v0 has shape [${DEFAULT_CONFIG.data.toy2d.classes}, 32] but config.json says [9, 9]`,
      ],
      [
        {
          'config.json': withConfig({ ...config, format: 'something-else' }),
          'model.safetensors': files['model.safetensors'],
        },
        'config.json is not a CRMT Lab model',
      ],
    ];
    for (const [f, message] of cases) expect(() => importModel(f)).toThrow(message);
    expect(tf.memory().numTensors).toBe(start);
    trainer.dispose();
  });
});
