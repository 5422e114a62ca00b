import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { prepareDataset } from '../../src/core/data/prepare';
import { runExperiment } from '../../src/core/experiment/runExperiment';
import { nanMetrics } from '../../src/core/experiment/nanMetrics';

const run = promisify(execFile);
const TSX = resolve('node_modules/.bin/tsx');

describe('a NaN among the reported metrics fails the command', () => {
  it('nanMetrics names each NaN (or null, as JSON writes it) by its place in the result, and nothing in a sound one', async () => {
    const config = { ...DEFAULT_CONFIG, train: { ...DEFAULT_CONFIG.train, epochs: 1, liveEvaluation: false } };
    const r = await runExperiment(prepareDataset(config).data, config, { eps: [0.1, 0.5], backend: 'cpu' });
    expect(nanMetrics(r)).toEqual([]);
    r.clean.loss = NaN;
    r.clean.branchAccuracy[1] = NaN;
    r.certified.sound.all[1] = NaN;
    r.certified.estimated.perModality[0][0] = NaN;
    (r.robust[2] as { acc: number | null }).acc = null;
    r.lipschitz.sound[1][3] = NaN;
    // The default config certifies a sample with the local bound too: its curves and verdict are checked alike.
    r.certified.local!.all[0] = NaN;
    r.preference.local!.medianRadius[1] = NaN;
    const p = r.robust[2];
    expect(nanMetrics(r)).toEqual([
      'clean.loss',
      'clean.branchAccuracy[B]',
      `robust[${p.attack} on ${p.target}, ε=${p.eps}]`,
      'certified.sound.all[ε=0.5]',
      'lipschitz.sound[B]',
      'certified.estimated.perModality[A][ε=0.1]',
      'certified.local.all[ε=0.1]',
      'preference.local.medianRadius[B]',
    ]);
    // Infinity is a value (a radius no class limits), not a failure.
    r.clean.loss = Infinity;
    expect(nanMetrics(r)).not.toContain('clean.loss');
  });

  it('npm run experiment exits 1 naming the metric when weights overflow to NaN, after writing the result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crmt-nan-'));
    const model = join(dir, 'model');
    await run(TSX, ['src/cli/experiment.ts', '--data', 'toy-2d', '--epochs', '1', '--export', model], {
      timeout: 120_000,
    });
    // Finite weights (so the import takes them) that overflow float32 in the first layer: Inf − Inf = NaN.
    const bytes = readFileSync(join(model, 'model.safetensors'));
    const header = Number(bytes.readBigUInt64LE(0));
    for (let at = 8 + header; at < bytes.length; at += 4) bytes.writeFloatLE(3e38 * (at % 8 ? 1 : -1), at);
    writeFileSync(join(model, 'model.safetensors'), bytes);
    const out = join(dir, 'r.json');
    const failed = await run(
      TSX,
      ['src/cli/experiment.ts', '--data', 'toy-2d', '--weights', model, '--epochs', '0', '--out', out],
      { timeout: 120_000 },
    ).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toMatch(/error: \d+ reported metrics? (is|are) NaN, .*clean\.loss/);
    expect(JSON.parse(readFileSync(out, 'utf8')).clean.loss).toBeNull();
  });
});
