import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/core/data/limits';

const run = promisify(execFile);
const MiB = 2 ** 20;

interface Measured {
  name: string;
  inputBytes: number;
  message: string;
  ms: number;
  rssBefore: number;
  maxRss: number;
}

/** Each group in its own Node process, so its peak resident memory (maxRSS) is the upload's alone. */
async function measure(...cases: string[]): Promise<Measured[]> {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', 'tests/fixtures/measureUpload.ts', ...cases],
    { timeout: 60_000 },
  );
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Measured);
}

const growth = (m: Measured) => (m.maxRss - m.rssBefore) / MiB;

describe('a refused upload costs at most the limit plus a small constant in memory (peak RSS of a child process)', () => {
  it('refused from headers: a 3 MB ZIP declaring 3 GiB, a 20000 × 20000 PNG, a 1 Hz WAV, a 2^30-sample labels.npy', async () => {
    const results = await measure('zip-declares-3GiB', 'png-20000x20000', 'wav-1Hz', 'npy-declares-2^30-labels');
    console.table(
      results.map((m) => ({
        case: m.name,
        input: `${(m.inputBytes / 1024).toFixed(0)} KB`,
        ms: m.ms.toFixed(0),
        'RSS growth MiB': growth(m).toFixed(1),
      })),
    );
    expect(results.map((m) => m.message)).toEqual([
      'DataError: bomb.zip unzips to 3,072 MB, over the 256 MB upload limit (after unzipping)',
      'DataError: b/2.png is 20,000 × 20,000 pixels, over the limit of 16,777,216 pixels (4096 × 4096); scale it down first',
      'DataError: b/2.wav declares a sample rate of 1 Hz; the lab reads 1,000 to 192,000 Hz',
      'DataError: labels.npy has 1073741824 samples, over the limit of 100,000',
    ]);
    expect(results[0].inputBytes).toBeLessThan(4 * MiB);
    // Nothing was inflated or decoded: the peak over all four stays within a few tens of MiB.
    for (const m of results) expect(growth(m)).toBeLessThan(48);
  });

  it('a ZIP whose entries declare 1,000 bytes but inflate to 1 GiB each is stopped after one slice', async () => {
    const [m] = await measure('zip-lies-1KB-inflates-3GiB');
    expect(m.message).toBe(
      'DataError: liar.zip: a.csv inflates to more than the 1,000 bytes its header declares; the archive is damaged or made to mislead',
    );
    expect(growth(m)).toBeLessThan(64);
  });

  it('an entry declaring 64 MB (within the limit) that inflates to 1 GiB costs what it declared plus a small constant', async () => {
    const [m] = await measure('zip-lies-64MB-inflates-1GiB');
    expect(m.message).toBe(
      'DataError: liar.zip: a.csv inflates to more than the 67,108,864 bytes its header declares; the archive is damaged or made to mislead',
    );
    console.log(`64 MB liar: RSS growth ${growth(m).toFixed(0)} MiB in ${m.ms.toFixed(0)} ms`);
    // The declared 64 MB are inflated (they fit the limit); the rest never is.
    expect(growth(m)).toBeLessThan(64 + 96);
    expect(growth(m)).toBeLessThan(LIMITS.totalBytes / MiB);
  });
});
