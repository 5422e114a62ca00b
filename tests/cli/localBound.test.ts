import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { problems, validatorFor } from '../io/schemas';

const run = promisify(execFile);
const TSX = resolve('node_modules/.bin/tsx');
const experiment = (args: string[]) => run(TSX, ['src/cli/experiment.ts', ...args], { timeout: 180_000 });

describe('npm run experiment --local-bound', () => {
  it('certifies N random test samples with the local bound: summary rows labelled as a guarantee, the sample count, the JSON', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'crmt-')), 'r.json');
    const args = ['--data', 'toy-2d', '--method', 'jt', '--epochs', '3', '--eps', '0.1,0.5', '--local-bound', '20'];
    const { stdout } = await experiment([...args, '--out', out]);
    const r = JSON.parse(readFileSync(out, 'utf8'));
    expect(problems(validatorFor('result'), r)).toEqual([]);
    expect(r.certified.local).toMatchObject({ samples: 20, of: r.samples, medianRadius: expect.any(Number) });
    expect(r.samples).toBeGreaterThan(20);
    expect(r.certified.local.all).toHaveLength(2);
    expect(r.evalSeconds.localBound).toBeGreaterThan(0);
    expect(stdout).toContain(
      'certified accuracy (sound = guaranteed (global: product of spectral norms); local = guaranteed (local: CROWN bound propagation); estimated',
    );
    expect(stdout).toContain(`local: 20 random test samples of ${r.samples}, drawn with the run's seed (1)`);
    // The summary's local row is the JSON's, in percent.
    const row = stdout.split('\n').find((l) => /^ {2}local {6}all /.test(l))!;
    expect(row.trim().split(/\s+/).slice(2)).toEqual(
      r.certified.local.all.map((a: number) => `${(100 * a).toFixed(1)}%`),
    );
    expect(stdout).toMatch(
      /median joint radius: sound [\d.e-]+, local [\d.e-]+ \(local: 20 random test samples of \d+\)/,
    );
    // The preference gains the local bound's verdict on the same samples: never below the sound one there.
    const local = r.preference.local;
    expect(local).toMatchObject({ samples: 20, of: r.samples });
    local.medianRadius.forEach((m: number, i: number) => expect(m).toBeGreaterThanOrEqual(local.soundMedianRadius[i]));
    const smallest = local.medianRadius.indexOf(Math.min(...local.medianRadius));
    expect(local.cheapest).toBe(r.modalities[smallest]);
    const line = stdout.split('\n').find((l) => l.startsWith('cheapest by the local bound'))!;
    const p3 = (x: number) => x.toPrecision(3);
    expect(line).toBe(
      `cheapest by the local bound (median local rᵐ, a guarantee; local: 20 random test samples of ${r.samples}): ` +
        `${local.cheapest} (A ${p3(local.medianRadius[0])}, B ${p3(local.medianRadius[1])}; ` +
        `sound on the same samples: A ${p3(local.soundMedianRadius[0])}, B ${p3(local.soundMedianRadius[1])})`,
    );
  }, 200_000);

  it('--local-bound-budget B branches under a budget: the summary and the JSON name it, and it certifies more on the same model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crmt-'));
    const args = ['--data', 'toy-2d', '--method', 'jt', '--epochs', '3', '--eps', '0.1,0.5', '--local-bound', '12'];
    const [plain, branched] = await Promise.all(
      [[], ['--local-bound-budget', '16']].map(async (extra, i) => {
        const out = join(dir, `r${i}.json`);
        const { stdout } = await experiment([...args, ...extra, '--out', out]);
        return { stdout, r: JSON.parse(readFileSync(out, 'utf8')) };
      }),
    );
    expect(problems(validatorFor('result'), branched.r)).toEqual([]);
    expect(plain.r.experiment.attack.localBoundBudget).toBe(0);
    expect(branched.r.experiment.attack.localBoundBudget).toBe(16);
    const named = 'branch and bound under a budget of 16 evaluations';
    expect(plain.stdout).not.toContain('branch and bound under');
    expect(branched.stdout).toContain(
      `local: 12 random test samples of ${branched.r.samples}, drawn with the run's seed (1), ${named}`,
    );
    expect(branched.stdout).toMatch(new RegExp(`local bound: [\\d.]+ s for 12 samples, ${named} `));
    expect(branched.stdout).toContain(`(local: 12 random test samples of ${branched.r.samples}, ${named})`);
    // The same seed, the same model (the sound radii agree), larger local radii.
    expect(branched.r.certified.sound.medianRadius).toBe(plain.r.certified.sound.medianRadius);
    expect(branched.r.certified.local.medianRadius).toBeGreaterThan(plain.r.certified.local.medianRadius);
  }, 200_000);

  it('documents the flag from the parameter table and refuses a bad value naming it', async () => {
    const { stdout } = await experiment(['--help']);
    expect(stdout).toMatch(/--local-bound N\s+Samples certified with the local \(CROWN\) bound.*\[default: 10\]/);
    await expect(experiment(['--data', 'toy-2d', '--local-bound=-3'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--local-bound: -3 is below the minimum 0'),
    });
    await expect(experiment(['--data', 'toy-2d', '--local-bound', 'some'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--local-bound: "some" is not a number (or auto)'),
    });
  }, 60_000);
});
