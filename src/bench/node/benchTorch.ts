import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { benchConfig, benchData } from '../benchCases';
import type { ModelKind, TorchResult } from '../benchTypes';
import { featureSize, gatherRows, splitIndices } from '../../core/data/dataset';

/** pyenv's python3 may lack torch where Debian's python3-torch sits under /usr/bin/python3. */
const INTERPRETERS = ['python3', '/usr/bin/python3'];
const TIMEOUT_MS = 300_000;

/** Interleaved repeats: `tfjs(steps)` times that many tfjs steps, in seconds, between PyTorch's. */
export interface Interleave {
  tfjs: (steps: number) => Promise<number>;
  env: 'node';
  backend: 'wasm' | 'cpu';
  repeats: number;
  stepsPerRepeat: number;
}

/**
 * The bench case's training split, layer sizes, batch size and Adam learning rate (the default MLP,
 * or the CNN encoders on the audio-visual set), handed to bench/torch_reference.py, which trains the
 * same network with PyTorch on the CPU. With `interleave`, the script then stays up and the two take
 * turns, one repeat each.
 */
export async function torchReference(
  script: string,
  quick: boolean,
  model: ModelKind = 'mlp',
  interleave?: Interleave,
): Promise<TorchResult> {
  const config = benchConfig(model, 'jt');
  const data = benchData(config);
  // A CNN step costs about as much as 4 of the MLP's in PyTorch: fewer steps per repeat.
  const steps = model === 'cnn' ? 4 : 1;
  const idx = splitIndices(data, 'train');
  const spec = {
    seed: config.train.seed,
    inputDims: data.modalities.map(featureSize),
    trainX: data.modalities.map((m, i) => Array.from(gatherRows(data.features[i], featureSize(m), idx))),
    trainY: Array.from(idx, (i) => data.labels[i]),
    classes: data.classNames.length,
    hidden: config.model.hidden,
    model,
    inputShapes: data.modalities.map((m) => (m.shape.length === 2 ? [...m.shape, 1] : m.shape)),
    filters: config.model.cnn.filters,
    outDim: config.model.cnn.outDim,
    batchSize: config.train.batchSize,
    learningRate: config.train.learningRate,
    progressEvery: config.train.progressEvery,
    warmupSteps: 50,
    repeats: quick ? 3 : 7,
    stepsPerRepeat: (quick ? 100 : 400) / steps,
    serve: Boolean(interleave),
  };
  const dir = mkdtempSync(join(tmpdir(), 'crmt-bench-torch-'));
  const file = join(dir, 'spec.json');
  writeFileSync(file, JSON.stringify(spec));
  const reasons: string[] = [];
  try {
    for (const python of INTERPRETERS) {
      try {
        const result = await runScript(python, script, file, interleave);
        if (result.available) return result;
        reasons.push(result.reason);
      } catch (e) {
        reasons.push(`${python}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { available: false, reason: `PyTorch not available (${reasons.join('; ')})` };
}

async function runScript(python: string, script: string, file: string, interleave?: Interleave): Promise<TorchResult> {
  const child = spawn(python, [script, file], { stdio: ['pipe', 'pipe', 'pipe'] });
  const timer = setTimeout(() => child.kill(), TIMEOUT_MS);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async (): Promise<string> => {
    const r = await lines.next();
    if (r.done)
      throw new Error(`exited early (${(await exited) ?? 'killed'}): ${stderr.trim().split('\n').at(-1) ?? ''}`);
    return r.value;
  };
  try {
    const result = JSON.parse(await nextLine()) as TorchResult;
    if (result.available && interleave) {
      const { repeats, stepsPerRepeat: steps } = interleave;
      const tfjs: number[] = [];
      const torch: number[] = [];
      for (let r = 0; r < repeats; r++) {
        tfjs.push(steps / (await interleave.tfjs(steps)));
        child.stdin.write(`${steps}\n`);
        torch.push(steps / Number(await nextLine()));
      }
      result.interleaved = {
        env: interleave.env,
        backend: interleave.backend,
        stepsPerRepeat: steps,
        tfjs,
        torch,
        ratios: tfjs.map((t, i) => t / torch[i]),
      };
    }
    return result;
  } finally {
    child.stdin.end();
    clearTimeout(timer);
    await exited.catch(() => null);
  }
}
