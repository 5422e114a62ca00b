import * as tfl from '@tensorflow/tfjs';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES, exportedCase, maxAbsDiff, type ExportedCase } from './exportedModels';

const TOLERANCE = 1e-5;
const PYTHON = '/usr/bin/python3';

const cases: ExportedCase[] = [];
/** |Δlogit| per case and format, printed at the end for the record. */
const measured: Record<string, Record<string, number>> = {};
const record = (c: ExportedCase, format: string, d: number) => ((measured[c.label] ??= {})[format] = d);

beforeAll(async () => {
  for (const c of CASES) {
    const e = await exportedCase(c);
    cases.push(e);
    // The logits' size, for reading the differences: float32 rounds at about 6e-8 of it.
    record(e, 'max |logit|', Math.max(...e.logits.map(Math.abs)));
  }
}, 600_000);

afterAll(() => {
  console.log('max |Δlogit| against the lab, per model and format:');
  console.table(measured);
});

/** tf.loadLayersModel as a browser user calls it, over HTTP: the files are served from memory. */
function fetchFrom(files: Record<string, Uint8Array>) {
  return async (url: URL | RequestInfo) => {
    const name = String(url instanceof Request ? url.url : url)
      .split('/')
      .pop()!;
    const body = files[name];
    return body ? new Response(new Uint8Array(body)) : new Response('not found', { status: 404 });
  };
}

describe('TensorFlow.js Layers model (model.json)', () => {
  it('loads with tf.loadLayersModel and gives the lab logits for every method', async () => {
    for (const c of cases) {
      const model = await tfl.loadLayersModel('http://lab.invalid/model/model.json', {
        fetchFunc: fetchFrom(c.files),
      });
      expect(model.inputs.map((i) => i.shape)).toEqual(c.features.map((f) => [null, f]));
      const out = tfl.tidy(() => {
        const y = model.predict(c.raw.map((x, m) => tfl.tensor2d(x, [c.n, c.features[m]]))) as tfl.Tensor;
        return y.dataSync();
      });
      const d = maxAbsDiff(out, c.logits);
      record(c, 'tfjs Layers', d);
      expect(d, c.label).toBeLessThan(TOLERANCE);
      model.dispose();
    }
  });
});

describe('ONNX (model.onnx)', () => {
  beforeAll(() => {
    ort.env.wasm.numThreads = 1;
  });
  it('runs in ONNX Runtime Web and gives the lab logits, fused and per branch, for every method', async () => {
    for (const c of cases) {
      const session = await ort.InferenceSession.create(c.files['model.onnx']);
      const feeds = Object.fromEntries(
        session.inputNames.map((name, m) => [name, new ort.Tensor('float32', c.raw[m], [c.n, c.features[m]])]),
      );
      const out = await session.run(feeds);
      const d = maxAbsDiff(out.logits.data as Float32Array, c.logits);
      record(c, 'ONNX', d);
      expect(d, c.label).toBeLessThan(TOLERANCE);
      expect(out.logits.dims).toEqual([c.n, c.K]);
      session.outputNames.slice(1).forEach((name, m) => {
        expect(maxAbsDiff(out[name].data as Float32Array, c.branches[m]), `${c.label} ${name}`).toBeLessThan(TOLERANCE);
      });
      await session.release();
    }
  });
});

const torch = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
if (!torch)
  console.warn(`SKIPPED: the PyTorch loader check needs ${PYTHON} with torch (Debian: apt-get install python3-torch)`);

describe.skipIf(!torch)('PyTorch (crmt_lab_model.py)', () => {
  it('builds an nn.Module that gives the lab logits for every method, head kind and encoder', () => {
    const root = mkdtempSync(join(tmpdir(), 'crmt-torch-'));
    const jobs = cases.map((c, i) => {
      const dir = join(root, `model${i}`);
      execFileSync('mkdir', ['-p', dir]);
      for (const [name, bytes] of Object.entries(c.files)) writeFileSync(join(dir, name), bytes);
      const inputs = join(dir, 'inputs.json');
      writeFileSync(inputs, JSON.stringify({ features: c.features, raw: c.raw.map((x) => Array.from(x)) }));
      return { dir, inputs };
    });
    const script = [
      'import json, sys, torch',
      'results = []',
      'for d, inputs in zip(sys.argv[1::2], sys.argv[2::2]):',
      '    sys.path.insert(0, d)',
      '    import crmt_lab_model',
      '    m = crmt_lab_model.load(d)',
      '    sys.path.pop(0); del sys.modules["crmt_lab_model"]',
      '    spec = json.load(open(inputs))',
      '    xs = [torch.tensor(r, dtype=torch.float32).reshape(-1, f) for r, f in zip(spec["raw"], spec["features"])]',
      '    with torch.no_grad():',
      '        logits, uni = m(*xs, branches=True)',
      '    results.append({"logits": logits.flatten().tolist(), "branches": [u.flatten().tolist() for u in uni]})',
      'print(json.dumps(results))',
    ].join('\n');
    const out = execFileSync(PYTHON, ['-c', script, ...jobs.flatMap((j) => [j.dir, j.inputs])], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    const results = JSON.parse(out) as { logits: number[]; branches: number[][] }[];
    cases.forEach((c, i) => {
      const d = maxAbsDiff(results[i].logits, c.logits);
      record(c, 'PyTorch', d);
      expect(d, c.label).toBeLessThan(TOLERANCE);
      c.branches.forEach((b, m) =>
        expect(maxAbsDiff(results[i].branches[m], b), `${c.label} branch ${m}`).toBeLessThan(TOLERANCE),
      );
    });
  });
});
