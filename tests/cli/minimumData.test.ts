import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const TSX = resolve('node_modules/.bin/tsx');

describe('the documented minimum trains end to end', () => {
  it('3 samples per class (the README minimum): every split is non-empty and no metric is NaN', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'crmt-min-')), 'three');
    mkdirSync(dir);
    const labels = Array.from({ length: 9 }, (_, i) => i % 3);
    writeFileSync(join(dir, 'a.csv'), 'a0,a1\n' + labels.map((y, i) => `${y},${(i % 4) / 4}`).join('\n'));
    writeFileSync(join(dir, 'b.csv'), 'b0\n' + labels.map((y) => `${-y}`).join('\n'));
    writeFileSync(join(dir, 'labels.csv'), 'label\n' + labels.map((y) => `c${y}`).join('\n'));
    const out = join(dir, '..', 'r.json');
    const { stdout, stderr } = await run(TSX, ['src/cli/experiment.ts', '--data', dir, '--epochs', '2', '--out', out], {
      timeout: 120_000,
    });
    expect(stdout).not.toContain('NaN');
    // The progress line on stderr reports validation accuracy: NaN% there meant an empty validation split.
    expect(stderr).toMatch(/val acc \d+(\.\d+)?%/);
    expect(stderr).not.toContain('NaN');
    const r = JSON.parse(readFileSync(out, 'utf8'));
    expect(Number.isFinite(r.clean.accuracy)).toBe(true);
    expect(r.history.every((h: { val: { accuracy: number } }) => Number.isFinite(h.val.accuracy))).toBe(true);
  });
});
