import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/core/data/dataError';
import { parsePairedCsv } from '../../src/core/data/formats/pairedCsv';
import { checkDatasetSize, LIMITS, ValueBudget } from '../../src/core/data/limits';

describe('upload size limits', () => {
  it('names the dataset or modality and the limit', () => {
    expect(() => checkDatasetSize('big', LIMITS.samples + 1, [{ name: 'a', size: 2 }])).toThrow(
      'big has 100001 samples, over the limit of 100,000',
    );
    expect(() => checkDatasetSize('d', 10, [{ name: 'photo', size: 512 * 512 }])).toThrow(
      'Modality photo has 262,144 values per sample, over the limit of 65,536',
    );
    expect(() => checkDatasetSize('d', 90_000, [{ name: 'a', size: 1000 }])).toThrow(
      'd holds 90,000,000 values, over the limit of 67,108,864',
    );
    expect(() => checkDatasetSize('d', 2000, [{ name: 'a', size: 784 }])).not.toThrow();
  });
});

describe('ValueBudget: a running count across the files of one dataset', () => {
  it('refuses at the file that crosses the limit, before it is allocated', () => {
    const budget = new ValueBudget();
    budget.take('a.csv', LIMITS.totalValues - 10);
    budget.take('b.csv', 10);
    expect(() => budget.take('c.csv', 1)).toThrow(
      new DataError('c.csv brings the dataset to 67,108,865 values, over the limit of 67,108,864'),
    );
  });

  it('through the paired-CSV reader: a view of many columns is refused before its cells are parsed', () => {
    const header = Array.from({ length: 70_000 }, (_, i) => `c${i}`).join(',');
    const files = [
      { name: 'a.csv', text: 'x\n1\n2\n3\n' },
      // Its cells are not numbers: a reader that parsed before checking would say so instead.
      { name: 'wide.csv', text: `${header}\nx\ny\nz\n` },
      { name: 'labels.csv', text: 'label\n0\n1\n0\n' },
    ];
    expect(() => parsePairedCsv(files, { name: 't' })).toThrow(
      new DataError('wide.csv has 70,000 columns; a modality holds at most 65,536 values per sample'),
    );
  });

  it('rows are counted before the text is split, and a row is split no further than one field past the header', () => {
    const many = { name: 'labels.csv', text: 'label\n' + '0\n'.repeat(LIMITS.samples + 1) };
    const t0 = performance.now();
    expect(() => parsePairedCsv([{ name: 'a.csv', text: 'x\n1\n' }, many], { name: 't' })).toThrow(
      new DataError('labels.csv has 100,001 data rows, over the limit of 100,000 samples'),
    );
    const commas = { name: 'a.csv', text: 'x,y\n1,2\n3' + ',4'.repeat(1_000_000) + '\n5,6\n' };
    const labels = { name: 'labels.csv', text: 'label\n0\n1\n0\n' };
    expect(() => parsePairedCsv([commas, { name: 'b.csv', text: 'z\n1\n2\n3\n' }, labels], { name: 't' })).toThrow(
      new DataError('a.csv row 2 has 1,000,001 fields but the header has 2'),
    );
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
