import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SPLIT_CODE } from '../../src/core/data/dataset';
import { DataError } from '../../src/core/data/dataError';
import { parsePairedCsv, type TextFile } from '../../src/core/data/formats/pairedCsv';
import { parseUpload } from '../../src/core/data/formats/upload';
import { uploadParsers } from '../../src/core/data/formats/uploadParsers';
import { assertSplittable, MIN_PER_CLASS, stratifiedSplit } from '../../src/core/data/splits';
import { createRng } from '../../src/core/random';

const perClassCounts = (labels: Int32Array, split: Uint8Array, classes: number) =>
  Array.from({ length: classes }, (_, y) =>
    [SPLIT_CODE.train, SPLIT_CODE.val, SPLIT_CODE.test].map(
      (code) => labels.filter((l, i) => l === y && split[i] === code).length,
    ),
  );

describe('stratifiedSplit from the documented minimum up', () => {
  it('with exactly 3 samples per class puts one of each class in train, validation and test', () => {
    const labels = Int32Array.from({ length: 12 }, (_, i) => i % 4);
    for (const seed of [1, 2, 3, 99]) {
      const split = stratifiedSplit(labels, { val: 0.15, test: 0.2 }, createRng(seed));
      expect(perClassCounts(labels, split, 4)).toEqual([
        [1, 1, 1],
        [1, 1, 1],
        [1, 1, 1],
        [1, 1, 1],
      ]);
    }
  });

  it('for any class sizes ≥ 3 and the usual fractions, every class is in every split and train keeps the most', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: MIN_PER_CLASS, max: 60 }), { minLength: 2, maxLength: 6 }),
        fc.constantFrom({ val: 0.15, test: 0.2 }, { val: 0.05, test: 0.3 }, { val: 0.2, test: 0.1 }),
        fc.integer({ min: 1, max: 1000 }),
        (sizes, fractions, seed) => {
          const labels = Int32Array.from(sizes.flatMap((n, y) => new Array<number>(n).fill(y)));
          const counts = perClassCounts(labels, stratifiedSplit(labels, fractions, createRng(seed)), sizes.length);
          counts.forEach(([train, val, test], y) => {
            expect(Math.min(train, val, test)).toBeGreaterThanOrEqual(1);
            expect(train + val + test).toBe(sizes[y]);
            // Beyond the minimum of one, each share is the rounded fraction.
            expect(test).toBe(Math.max(1, Math.round(sizes[y] * fractions.test)));
          });
        },
      ),
      { seed: 15, numRuns: 200 },
    );
  });

  it('leaves out a split whose fraction is 0, and keeps one for training in a class too small for all', () => {
    const labels = Int32Array.from([0, 0, 1, 1, 1]);
    const split = stratifiedSplit(labels, { val: 0.15, test: 0 }, createRng(1));
    expect(perClassCounts(labels, split, 2)).toEqual([
      [1, 1, 0],
      [2, 1, 0],
    ]);
    const tiny = stratifiedSplit(Int32Array.from([0, 0]), { val: 0.15, test: 0.2 }, createRng(1));
    expect(perClassCounts(Int32Array.from([0, 0]), tiny, 1)).toEqual([[1, 0, 1]]);
  });
});

describe('refusals that name the class', () => {
  it('one class only', () => {
    expect(() => assertSplittable(Int32Array.from([0, 0, 0, 0]), ['cat'], 'labels.csv')).toThrow(
      new DataError('labels.csv has a single class (cat); the lab needs at least two classes to classify'),
    );
  });

  it('one class only, through the upload', async () => {
    const files = [
      { path: 'a.csv', bytes: new TextEncoder().encode('v\n1\n2\n3\n4\n') },
      { path: 'b.csv', bytes: new TextEncoder().encode('w\n1\n2\n3\n4\n') },
      { path: 'labels.csv', bytes: new TextEncoder().encode('label\ncat\ncat\ncat\ncat\n') },
    ];
    await expect(parseUpload(files, { name: 'one', ...uploadParsers() })).rejects.toThrow(
      'labels.csv has a single class (cat); the lab needs at least two classes to classify',
    );
  });
});

describe('split.csv missing a needed part is refused', () => {
  const csv = (name: string, ...lines: string[]): TextFile => ({ name, text: lines.join('\n') + '\n' });
  // Two classes of 4: a, a, a, a, b, b, b, b.
  const base = [
    csv('x.csv', 'v', '1', '2', '3', '4', '5', '6', '7', '8'),
    csv('y.csv', 'w', '1', '2', '3', '4', '5', '6', '7', '8'),
    csv('labels.csv', 'label', 'a', 'a', 'a', 'a', 'b', 'b', 'b', 'b'),
  ];
  const withSplit = (...rows: string[]) => [...base, csv('split.csv', 'split', ...rows)];
  const refusal = (files: TextFile[]) => {
    try {
      parsePairedCsv(files, { name: 't' });
    } catch (e) {
      expect(e).toBeInstanceOf(DataError);
      return (e as Error).message;
    }
    throw new Error('expected a DataError');
  };

  it('no test rows', () => {
    expect(refusal(withSplit(...new Array<string>(8).fill('train')))).toBe(
      'split.csv marks no row as test: mark some rows of each class "test"',
    );
  });

  it('a class entirely in test, or with a single train row', () => {
    expect(refusal(withSplit('train', 'train', 'test', 'test', 'test', 'test', 'test', 'test'))).toBe(
      'split.csv marks no rows of class b as train; each class needs at least 2 (one for training, one for validation)',
    );
    expect(refusal(withSplit('train', 'test', 'test', 'test', 'train', 'train', 'train', 'test'))).toBe(
      'split.csv marks only 1 row of class a as train; each class needs at least 2 (one for training, one for validation)',
    );
  });

  it('two train rows of each class: one trains, one validates, the test rows stay test', () => {
    const d = parsePairedCsv(withSplit('train', 'train', 'test', 'test', 'train', 'train', 'test', 'test'), {
      name: 't',
    });
    expect(perClassCounts(d.labels, d.split, 2)).toEqual([
      [1, 1, 2],
      [1, 1, 2],
    ]);
  });
});
