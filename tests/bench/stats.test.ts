import { describe, expect, it } from 'vitest';
import { fmt, table } from '../../src/bench/benchFormat';
import { median, sizeRepeats, spread } from '../../src/bench/stats';

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });
  it('refuses an empty list and leaves its input alone', () => {
    expect(() => median([])).toThrow(/empty/);
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });
});

describe('sizeRepeats', () => {
  const bounds = { secondsPerRepeat: 0.5, secondsPerCase: 4, maxStepsPerRepeat: 10, minRepeats: 3, maxRepeats: 15 };
  it('fast steps: capped at the maximum steps per repeat and the maximum repeats', () => {
    expect(sizeRepeats(0.001, bounds)).toEqual({ stepsPerRepeat: 10, repeats: 15 });
  });
  it('a 0.1 s step: five steps per repeat, as many repeats as fit in the case budget', () => {
    expect(sizeRepeats(0.1, bounds)).toEqual({ stepsPerRepeat: 5, repeats: 8 });
  });
  it('a step slower than a repeat: one step per repeat, never fewer than the minimum repeats', () => {
    expect(sizeRepeats(5, bounds)).toEqual({ stepsPerRepeat: 1, repeats: 3 });
  });
});

describe('fmt and table', () => {
  it('keeps three significant figures and groups thousands', () => {
    expect(fmt(108_234)).toBe('108,000');
    expect(fmt(215.4)).toBe('215');
    expect(fmt(47.25)).toBe('47.3');
    expect(fmt(0.2134)).toBe('0.21');
    expect(fmt(NaN)).toBe('–');
    expect(fmt(undefined)).toBe('–');
  });
  it('writes a markdown table and escapes pipes in cells', () => {
    expect(table(['a', 'b'], [['1', 'x|y']])).toBe('| a | b |\n| --- | --- |\n| 1 | x\\|y |');
  });
});

describe('spread', () => {
  it('median, quartiles by linear interpolation, and extremes, whatever the order', () => {
    expect(spread([5, 1, 4, 2, 3])).toEqual({ median: 3, q1: 2, q3: 4, min: 1, max: 5 });
    // Four values: the quartiles fall a quarter of the way between order statistics.
    expect(spread([40, 10, 30, 20])).toEqual({ median: 25, q1: 17.5, q3: 32.5, min: 10, max: 40 });
    expect(spread([7])).toEqual({ median: 7, q1: 7, q3: 7, min: 7, max: 7 });
  });
  it('refuses an empty list', () => {
    expect(() => spread([])).toThrow(/empty/);
  });
});
