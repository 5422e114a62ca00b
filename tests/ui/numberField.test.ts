import { describe, expect, it } from 'vitest';
import { checkNumber } from '../../src/ui/settings/NumberField';
import { classLabel } from '../../src/ui/classLabel';

describe('numbers typed outside the parameter table (attack ε, sample)', () => {
  it('read as the settings read them, and say why not', () => {
    const eps = { min: 0, max: 10 };
    expect(checkNumber('0,5', eps)).toBe(0.5);
    expect(checkNumber(' 1e-1 ', eps)).toBe(0.1);
    expect(checkNumber('11', eps)).toBe('11 is above the maximum 10');
    expect(checkNumber('-1', eps)).toBe('-1 is below the minimum 0');
    expect(checkNumber('abc', eps)).toBe('"abc" is not a number');
    expect(checkNumber('2.5', { min: 0, max: 9, integer: true })).toBe('2.5 is not a whole number');
  });
});

describe('class labels', () => {
  it('never double the word', () => {
    expect(classLabel(['class 0', 'class 1'], 0)).toBe('class 0');
    expect(classLabel(['cat', 'dog'], 1)).toBe('class dog');
    expect(classLabel(['0', '1'], 1)).toBe('class 1');
    expect(classLabel([], 4)).toBe('class 4');
  });
});
