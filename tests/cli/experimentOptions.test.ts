import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { atStepSize, DEFAULT_CONFIG } from '../../src/core/config';
import { configFromHash } from '../../src/core/params/urlHash';
import { pgdL2 } from '../../src/core/robust/pgd';
import { experimentCli } from '../../src/cli/experimentOptions';
import { UsageError } from '../../src/cli/usageError';

describe('the CLI flags, derived from the parameter table', () => {
  it('set the same experiment as the URL keys of the page', async () => {
    const cli = await experimentCli(['--method', 'crmt-at', '--at-eps', '0.5', '--hidden', '32,16', '--lr', '1e-3']);
    const page = configFromHash('#method=crmt-at&atEps=0.5&hidden=32-16&lr=0.001');
    expect(cli.config.train).toEqual({ ...page.train, liveEvaluation: false });
    expect(cli.config.model).toEqual(page.model);
    expect([...cli.flagged].sort()).toEqual(['model.hidden', 'train.at.eps', 'train.learningRate', 'train.method']);
  });

  it('AT takes ε/steps as its step by default, on the page as in the CLI: ε = 0.5 is reachable', async () => {
    const page = configFromHash('#method=at&atEps=0.5').train.at;
    const cli = (await experimentCli(['--method', 'at', '--at-eps', '0.5'])).config.train.at;
    expect(atStepSize(page)).toBeCloseTo(0.1, 12);
    expect(atStepSize(cli)).toBeCloseTo(0.1, 12);
    // Five steps of ε/5 along a constant gradient move the input the whole budget.
    const x = [tf.zeros([1, 2]) as tf.Tensor2D, tf.zeros([1, 2]) as tf.Tensor2D];
    const loss = (xs: tf.Tensor2D[]) => tf.add(tf.sum(xs[0]), tf.sum(xs[1])) as tf.Scalar;
    const adv = pgdL2(loss, x, {
      ...page,
      stepSize: atStepSize(page),
      targets: [true, true],
      budget: 'joint',
      seed: 1,
    });
    const moved = Math.sqrt(adv.reduce((s, a, m) => s + tf.sum(tf.square(tf.sub(a, x[m]))).dataSync()[0], 0));
    expect(moved).toBeCloseTo(0.5, 5);
    expect(atStepSize({ ...page, stepSize: 0.02 })).toBe(0.02);
  });

  it('booleans are --flag and --no-flag; a bad value names its flag', async () => {
    expect((await experimentCli(['--at-random-start'])).config.train.at.randomStart).toBe(true);
    expect((await experimentCli(['--no-at-random-start'])).config.train.at.randomStart).toBe(false);
    await expect(experimentCli(['--batch', '0'])).rejects.toThrow(new UsageError('--batch: 0 is below the minimum 1.'));
    await expect(experimentCli(['--head-rows', 'sideways'])).rejects.toThrow('--head-rows: "sideways" is not one of');
    await expect(experimentCli(['stray'])).rejects.toBeInstanceOf(UsageError);
  });

  it('--data picks a built-in generator or a folder; an upload config without --data is refused', async () => {
    expect((await experimentCli(['--data', 'audio-visual'])).config.data.kind).toBe('audioVisual');
    expect((await experimentCli(['--data', 'some/folder'])).data).toEqual({ kind: 'path', path: 'some/folder' });
    expect((await experimentCli([])).config.data).toEqual(DEFAULT_CONFIG.data);
    const file = join(mkdtempSync(join(tmpdir(), 'crmt-')), 'e.json');
    writeFileSync(
      file,
      JSON.stringify({ format: 'crmt-lab-experiment', data: { kind: 'upload', uploadName: 'mine' } }),
    );
    await expect(experimentCli(['--config', file])).rejects.toThrow(
      new UsageError('the experiment was run on the uploaded dataset "mine": give its folder or ZIP with --data'),
    );
    expect((await experimentCli(['--config', file, '--data', 'x'])).data).toEqual({ kind: 'path', path: 'x' });
  });
});
