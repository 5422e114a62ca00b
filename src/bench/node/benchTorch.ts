import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { benchConfig, benchData } from '../benchCases';
import type { ModelKind, TorchResult } from '../benchTypes';
import { featureSize, gatherRows, splitIndices } from '../../core/data/dataset';

const run = promisify(execFile);
/** pyenv's python3 may lack torch where Debian's python3-torch sits under /usr/bin/python3. */
const INTERPRETERS = ['python3', '/usr/bin/python3'];

/**
 * The bench case's training split, layer sizes, batch size and Adam learning rate (the default MLP,
 * or the CNN encoders on the audio-visual set), handed to bench/torch_reference.py, which trains the
 * same network with PyTorch on the CPU.
 */
export async function torchReference(script: string, quick: boolean, model: ModelKind = 'mlp'): Promise<TorchResult> {
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
  };
  const dir = mkdtempSync(join(tmpdir(), 'crmt-bench-torch-'));
  const file = join(dir, 'spec.json');
  writeFileSync(file, JSON.stringify(spec));
  const reasons: string[] = [];
  try {
    for (const python of INTERPRETERS) {
      try {
        const { stdout } = await run(python, [script, file], { timeout: 300_000, maxBuffer: 1 << 20 });
        const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as TorchResult;
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
