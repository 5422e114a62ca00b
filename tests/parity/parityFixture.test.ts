import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildParityFixture } from './buildParityFixture';

const FIXTURE = resolve('tests/fixtures/parity/crmt-parity.json');
/** Relative tolerance: float32 noise from an equivalent reordering passes, a changed formula does not. */
const TOLERANCE = 1e-6;

/** Paths where `actual` and `expected` differ: structure exactly, numbers within the tolerance. */
function differences(actual: unknown, expected: unknown, path = '$', out: string[] = []): string[] {
  if (out.length >= 10) return out;
  if (typeof actual === 'number' && typeof expected === 'number') {
    const scale = Math.max(1, Math.abs(expected));
    if (!(Math.abs(actual - expected) <= TOLERANCE * scale)) out.push(`${path}: ${actual} ≠ ${expected}`);
  } else if (Array.isArray(actual) && Array.isArray(expected)) {
    if (actual.length !== expected.length) out.push(`${path}: length ${actual.length} ≠ ${expected.length}`);
    else actual.forEach((a, i) => differences(a, expected[i], `${path}[${i}]`, out));
  } else if (actual && expected && typeof actual === 'object' && typeof expected === 'object') {
    const [ka, ke] = [Object.keys(actual), Object.keys(expected)];
    if (ka.join() !== ke.join()) out.push(`${path}: keys ${ka.join(',')} ≠ ${ke.join(',')}`);
    else
      for (const k of ka)
        differences(
          (actual as Record<string, unknown>)[k],
          (expected as Record<string, unknown>)[k],
          `${path}.${k}`,
          out,
        );
  } else if (actual !== expected) out.push(`${path}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`);
  return out;
}

describe('the Python engine parity fixture', () => {
  it('is what the TypeScript engine computes today (regenerate with UPDATE_PARITY_FIXTURE=1)', async () => {
    // Through JSON, so the comparison sees exactly what the Python tests read.
    const fresh = JSON.parse(JSON.stringify(await buildParityFixture()));
    if (process.env.UPDATE_PARITY_FIXTURE === '1') {
      mkdirSync(dirname(FIXTURE), { recursive: true });
      writeFileSync(FIXTURE, JSON.stringify(fresh) + '\n');
    }
    expect(existsSync(FIXTURE), `${FIXTURE} is missing: run UPDATE_PARITY_FIXTURE=1 npx vitest run tests/parity`).toBe(
      true,
    );
    const committed = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    expect(differences(fresh, committed)).toEqual([]);
  }, 120_000);

  it('compares numbers within the tolerance and structure exactly', () => {
    expect(differences({ a: [1, 2.0000001] }, { a: [1, 2] })).toEqual([]);
    expect(differences({ a: [1, 2.001] }, { a: [1, 2] })).toEqual(['$.a[1]: 2.001 ≠ 2']);
    expect(differences({ a: [1] }, { a: [1, 2] })).toEqual(['$.a: length 1 ≠ 2']);
    expect(differences({ a: 'jt' }, { a: 'ojt' })).toEqual(['$.a: "jt" ≠ "ojt"']);
    expect(differences({ a: 1 }, { b: 1 })).toEqual(['$: keys a ≠ b']);
  });
});
