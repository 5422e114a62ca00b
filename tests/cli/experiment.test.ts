import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { experimentToJson } from '../../src/core/params/experimentJson';
import { SETTINGS_PARAMS } from '../../src/core/params/paramTable';
import { problems, validatorFor } from '../io/schemas';

const run = promisify(execFile);
const TSX = resolve('node_modules/.bin/tsx');
const MFEAT = resolve('../shared/data/mfeat_handwritten');

async function experiment(args: string[]) {
  return run(TSX, ['src/cli/experiment.ts', ...args], { timeout: 120_000 });
}

describe('npm run experiment', () => {
  it('trains, prints a summary and writes the versioned JSON its schema describes', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'crmt-')), 'r.json');
    const { stdout } = await experiment([
      '--data',
      'toy-2d',
      '--method',
      'crmt-jt',
      '--epochs',
      '3',
      '--eps',
      '0.1,0.5',
      '--out',
      out,
    ]);
    expect(stdout).toContain('crmt-jt on toy-2d (A + B), seed 1, backend wasm');
    expect(stdout).toMatch(/certified accuracy \(sound = guaranteed/);
    const r = JSON.parse(readFileSync(out, 'utf8'));
    expect(problems(validatorFor('result'), r)).toEqual([]);
    expect(r).toMatchObject({ format: 'crmt-lab-result', version: 2, split: 'test', epochs: 3 });
    expect(r.modalities).toEqual(['A', 'B']);
    expect(r.clean.branchAccuracy).toHaveLength(2);
    expect(r.clean.accuracy).toBeGreaterThan(0.8);
    // Two ε, both bound kinds, all and each of A and B.
    expect(r.certified.eps).toEqual([0.1, 0.5]);
    for (const bound of ['sound', 'estimated']) {
      expect(r.certified[bound].all).toHaveLength(2);
      expect(r.certified[bound].perModality).toEqual([expect.any(Array), expect.any(Array)]);
      r.certified[bound].perModality.forEach((curve: number[]) => expect(curve).toHaveLength(2));
    }
    expect(r.integration).toHaveLength(2);
    // One weight per class of the toy.
    expect(r.integration[0]).toHaveLength(DEFAULT_CONFIG.data.toy2d.classes);
    // The per-epoch history: 3 epochs of step 1 and 1 of step 2, the CLI's without live evaluation.
    expect(r.history.map((h: { phase: string }) => h.phase)).toEqual(['step1', 'step1', 'step1', 'step2']);
    expect(r.history[3].evaluation).toBeNull();
    // FGM and PGD on A, B and all at each ε, then both missing-modality modes for A and B.
    expect(r.robust).toHaveLength(2 * 3 * 2 + 2 * 2);
    expect(r.robust).toContainEqual({ attack: 'pgd-l2', target: 'all', eps: 0.5, acc: expect.any(Number) });
    expect(r.robust).toContainEqual({ attack: 'missing-drop', target: 'B', eps: null, acc: expect.any(Number) });
    const pgd = r.robust.find(
      (p: { attack: string; target: string; eps: number }) =>
        p.attack === 'pgd-l2' && p.target === 'all' && p.eps === 0.5,
    );
    expect(pgd.acc).toBeLessThanOrEqual(r.clean.accuracy);
    expect(r.preference.cheapest.sound).toMatch(/^(A|B)$/);
    expect(r.certified.sound.medianRadius).toBeLessThanOrEqual(r.certified.estimated.medianRadius * 10);

    // The schema is not a formality: the old key style, the old version and a missing history fail it.
    const validate = validatorFor('result');
    expect(problems(validate, { ...r, clean_acc: r.clean.accuracy })).toContain(
      '/ must NOT have additional properties',
    );
    expect(problems(validate, { ...r, version: 1 })).toContain('/version must be equal to constant');
    const noHistory = { ...r };
    delete noHistory.history;
    expect(problems(validate, noHistory)).toContain("/ must have required property 'history'");
    expect(problems(validate, { ...r, certified: { ...r.certified, sound: { all: [1, 1] } } })).not.toEqual([]);
  });

  it('--eval-split val measures the validation split; a bad split is refused', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'crmt-')), 'r.json');
    await experiment(['--data', 'toy-2d', '--epochs', '1', '--eps', '0.1', '--eval-split', 'val', '--out', out]);
    const r = JSON.parse(readFileSync(out, 'utf8'));
    expect(problems(validatorFor('result'), r)).toEqual([]);
    expect(r.split).toBe('val');
    // 1200 toy samples: 15% validation, 20% test.
    expect(r.samples).toBe(180);
    await expect(experiment(['--data', 'toy-2d', '--eval-split', 'train'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--eval-split: "train" is not test or val.'),
    });
  });

  it('--export then --weights with --epochs 0 reproduces the same numbers; other data is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crmt-'));
    const [a, b] = [join(dir, 'a.json'), join(dir, 'b.json')];
    const args = ['--data', 'toy-2d', '--eps', '0.1,0.25'];
    await experiment([...args, '--method', 'crmt-jt', '--epochs', '3', '--export', join(dir, 'model'), '--out', a]);
    const { stdout } = await experiment([...args, '--weights', join(dir, 'model'), '--epochs', '0', '--out', b]);
    expect(stdout).toContain(`loaded crmt-jt weights from ${join(dir, 'model')}`);
    const [ra, rb] = [a, b].map((f) => JSON.parse(readFileSync(f, 'utf8')));
    expect(rb.method).toBe('crmt-jt');
    expect(rb.clean).toEqual(ra.clean);
    expect(rb.certified).toEqual(ra.certified);
    expect(rb.history).toEqual([]);
    expect(problems(validatorFor('result'), rb)).toEqual([]);
    await expect(
      experiment(['--data', 'audio-visual', '--weights', join(dir, 'model'), '--epochs', '0']),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining(
        'the model was trained on A [2], B [2] but the data has image [16×16], audio [16×16]',
      ),
    });
  });

  it('reports a bad option with a clear message and exit code 2 (a usage error)', async () => {
    await expect(experiment(['--data', 'toy-2d', '--method', 'magic'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--method: "magic" is not one of jt, ojt, crmt-jt'),
    });
    await expect(experiment(['--lr', '0x10'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--lr: "0x10" is not a number'),
    });
    await expect(experiment(['--learning-rate', '0.1'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("Unknown option '--learning-rate'"),
    });
  });

  it('--help lists every parameter of the table with its default and help, and exits 0 without work', async () => {
    for (const flag of ['--help', '-h']) {
      const { stdout } = await experiment([flag]);
      for (const p of SETTINGS_PARAMS.filter((q) => q.flag !== null)) {
        const line = stdout.split('\n').findIndex((l) => l.startsWith(`  --${p.flag}`));
        expect(line, p.flag!).toBeGreaterThan(0);
        expect(stdout).toContain(p.help);
      }
      expect(stdout).toContain('--lr X');
      expect(stdout).toMatch(/--lr X +Adam's learning rate in the main phase. \[default: 0.01\]/);
      expect(stdout).toContain('--config FILE');
    }
  });

  it('--config runs the experiment a Config JSON describes, and flags override it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crmt-'));
    const config = experimentToJson({
      ...DEFAULT_CONFIG,
      data: { ...DEFAULT_CONFIG.data, toy2d: { ...DEFAULT_CONFIG.data.toy2d, classes: 3, samples: 300 } },
      model: { ...DEFAULT_CONFIG.model, hidden: [16, 8], activation: 'tanh' },
      train: { ...DEFAULT_CONFIG.train, method: 'ojt', epochs: 2, seed: 4 },
      attack: { ...DEFAULT_CONFIG.attack, eps: [0.2] },
    });
    writeFileSync(join(dir, 'e.json'), JSON.stringify(config));
    const out = join(dir, 'r.json');
    await experiment(['--config', join(dir, 'e.json'), '--seed', '5', '--export', join(dir, 'm'), '--out', out]);
    const r = JSON.parse(readFileSync(out, 'utf8'));
    expect(r.method).toBe('ojt');
    expect(r.seed).toBe(5);
    expect(r.epochs).toBe(2);
    expect(problems(validatorFor('result'), r)).toEqual([]);
    expect(r.samples).toBe(60); // 20% of 300
    expect(r.integration[0]).toHaveLength(3);
    expect(r.certified.eps).toEqual([0.2]);
    expect(r.history).toHaveLength(2);
    // The result says what ran: the config with the flag applied, ready for --config again.
    expect(r.experiment).toEqual({ ...config, train: { ...(config.train as object), seed: 5 } });
    const model = JSON.parse(readFileSync(join(dir, 'm', 'config.json'), 'utf8'));
    expect(model.experiment.model).toEqual({
      hidden: [16, 8],
      activation: 'tanh',
      encoder: 'mlp',
      cnn: { filters: [8, 16], outDim: 32 },
    });
    expect(model.experiment.train.seed).toBe(5);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...config, train: { batchSize: 0 } }));
    await expect(experiment(['--config', join(dir, 'bad.json')])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('bad.json: train.batchSize: 0 is below the minimum 1'),
    });
  });

  describe.skipIf(!existsSync(MFEAT))('on ../shared/data/mfeat_handwritten', () => {
    it('reads the paired-CSV folder and picks modalities by a unique part of their names', async () => {
      const out = join(mkdtempSync(join(tmpdir(), 'crmt-')), 'r.json');
      await experiment(['--data', MFEAT, '--modalities', 'fou,fac', '--epochs', '2', '--out', out]);
      const r = JSON.parse(readFileSync(out, 'utf8'));
      expect(r.modalities).toEqual(['view0_fou', 'view1_fac']);
      expect(r.samples).toBe(400);
      expect(r.clean.accuracy).toBeGreaterThan(0.8);
      expect(r.integration).toBeNull();
    });
  });
  if (!existsSync(MFEAT)) console.warn(`skipped: ${MFEAT} is absent (real datasets live in ../shared/data)`);
});
