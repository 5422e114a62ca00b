import * as tfl from '@tensorflow/tfjs';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { inputNames } from '../../src/core/io/interop/inputNames';
import { loadingSnippets, modelReadme } from '../../src/core/io/interop/snippets';
import { exportedCase, maxAbsDiff, type ExportedCase } from './exportedModels';

const PYTHON = '/usr/bin/python3';
const hasTorch = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

describe('input names', () => {
  it('keep names that are already identifiers and make the others usable, unique and unreserved', () => {
    expect(inputNames(['A', 'B'])).toEqual(['A', 'B']);
    expect(inputNames(['view1_fac', 'audio-visual', '1st', 'a b', 'a_b', 'logits'])).toEqual([
      'view1_fac',
      'audio_visual',
      'x_1st',
      'a_b',
      'a_b_2',
      'logits_2',
    ]);
  });
});

describe('loading snippets', () => {
  const model = {
    modalities: [
      { name: 'image', shape: [16, 16] },
      { name: 'audio-feats', shape: [40] },
    ],
    classes: ['cat', 'dog', 'owl'],
  };
  it("name the model's inputs with their shapes and the classes, in every format", () => {
    const snippets = loadingSnippets(model);
    expect(snippets.map((s) => s.id)).toEqual(['tfjs', 'onnx-web', 'onnx-python', 'pytorch']);
    for (const s of snippets) {
      expect(s.code, s.id).toContain('[n, 256] = [16×16] rows');
      expect(s.code, s.id).toContain('audio-feats: [n, 40]');
    }
    const byId = Object.fromEntries(snippets.map((s) => [s.id, s.code]));
    expect(byId.tfjs).toContain('tf.tensor2d(x_image, [n, 256])');
    expect(byId.tfjs).toContain('tf.tensor2d(x_audio_feats, [n, 40])');
    expect(byId.tfjs).toContain('["cat","dog","owl"]');
    expect(byId['onnx-web']).toContain("audio_feats: new ort.Tensor('float32', x_audio_feats, [n, 40])");
    expect(byId['onnx-python']).toContain('"image": np.asarray(x_image, np.float32).reshape(-1, 256)');
    expect(byId.pytorch).toContain('crmt_lab_model.load("model")');
  });
  it('make the README of an exported model, with every file and every snippet', () => {
    const readme = modelReadme(model, 'crmt-jt');
    for (const f of ['config.json', 'model.safetensors', 'lab-weights.json', 'model.onnx', 'crmt_lab_model.py'])
      expect(readme).toContain(f);
    for (const s of loadingSnippets(model)) expect(readme).toContain(s.code);
    expect(readme).toContain('Inputs: image [n, 256], audio_feats [n, 40]; output: fused logits [n, 3]');
  });
});

/** The exported files written as the README says: unzipped into a folder model/. */
function unpack(c: ExportedCase): string {
  const root = mkdtempSync(join(tmpdir(), 'crmt-snippet-'));
  mkdirSync(join(root, 'model'));
  for (const [name, bytes] of Object.entries(c.files)) writeFileSync(join(root, 'model', name), bytes);
  return root;
}

/** A JavaScript snippet run as written, its imports replaced by the modules given, the data defined. */
async function runJs(code: string, modules: Record<string, unknown>, data: Record<string, unknown>) {
  const body = code.replace(/^import .*$/gm, '');
  const names = [...Object.keys(modules), ...Object.keys(data)];
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
  const run = new AsyncFunction(
    ...names,
    `${body}\nreturn { logits: typeof logits !== 'undefined' ? logits : out.logits };`,
  );
  return run(...Object.values(modules), ...Object.values(data));
}

describe('the snippets run as written on an exported model', () => {
  const cases: ExportedCase[] = [];
  beforeAll(async () => {
    cases.push(await exportedCase({ method: 'crmt-jt', data: 'toy2d' }));
    cases.push(await exportedCase({ method: 'jt', data: 'audioVisual' }));
  }, 300_000);

  const dataOf = (c: ExportedCase) => {
    const names = inputNames(
      JSON.parse(new TextDecoder().decode(c.files['config.json'])).modalities.map((m: { name: string }) => m.name),
    );
    return Object.fromEntries([['n', c.n], ...names.map((name, m) => [`x_${name}`, c.raw[m]])]);
  };
  const modelOf = (c: ExportedCase) => JSON.parse(new TextDecoder().decode(c.files['config.json']));

  it('TensorFlow.js and ONNX Runtime Web give the lab logits', async () => {
    ort.env.wasm.numThreads = 1;
    for (const c of cases) {
      const root = unpack(c);
      const snippets = Object.fromEntries(loadingSnippets(modelOf(c)).map((s) => [s.id, s.code]));
      // tf.loadLayersModel fetches 'model/model.json' as a page would, here from the folder.
      const fetchFunc = async (url: URL | RequestInfo) =>
        new Response(new Uint8Array(readFileSync(join(root, String(url).replace(/^\.?\/?/, '')))));
      const tf = { ...tfl, loadLayersModel: (path: string) => tfl.loadLayersModel(path, { fetchFunc }) };
      const fromTfjs = await runJs(snippets.tfjs, { tf }, dataOf(c));
      expect(maxAbsDiff(await (fromTfjs.logits as tfl.Tensor).data(), c.logits)).toBeLessThan(1e-5);
      const session = { create: (path: string) => ort.InferenceSession.create(readFileSync(join(root, path))) };
      const fromOnnx = await runJs(snippets['onnx-web'], { ort: { ...ort, InferenceSession: session } }, dataOf(c));
      expect(maxAbsDiff((fromOnnx.logits as ort.Tensor).data as Float32Array, c.logits)).toBeLessThan(1e-5);
    }
  });

  it.skipIf(!hasTorch)('PyTorch gives the lab logits', () => {
    for (const c of cases) {
      const root = unpack(c);
      const code = loadingSnippets(modelOf(c)).find((s) => s.id === 'pytorch')!.code;
      const data = dataOf(c);
      const define = Object.entries(data)
        .map(([k, v]) => `${k} = ${typeof v === 'number' ? v : JSON.stringify(Array.from(v as Float32Array))}`)
        .join('\n');
      const script = `${define}\n${code}\nimport json\nprint(json.dumps(logits.flatten().tolist()))`;
      const out = execFileSync(PYTHON, ['-'], { cwd: root, input: script, encoding: 'utf8', maxBuffer: 64 << 20 });
      expect(maxAbsDiff(JSON.parse(out), c.logits)).toBeLessThan(1e-5);
    }
  });
});
