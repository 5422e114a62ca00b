import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { backendFromSearch, configFromHash, configToHash, searchWithBackend } from '../../src/ui/urlState';

describe('config in the URL hash', () => {
  it('round-trips every field and leaves defaults out', () => {
    expect(configToHash(DEFAULT_CONFIG)).toBe('');
    const c = structuredClone(DEFAULT_CONFIG);
    c.data.toy2d = { classes: 3, samples: 500, separationA: 1.5, separationB: 2.5, noiseA: 0.3, noiseB: 0.2, seed: 9 };
    c.model = { ...c.model, hidden: [8, 4], activation: 'tanh' };
    c.train = { ...c.train, method: 'crmt-jt', epochs: 7, batchSize: 32, learningRate: 0.003, seed: 11, rho: 1.5 };
    expect(configFromHash(configToHash(c))).toEqual(c);
  });

  it('ignores malformed values and keeps the default', () => {
    const c = configFromHash('#epochs=abc&hidden=8-x&act=sigmoid&classes=2.5&lr=0.02');
    expect(c.train.epochs).toBe(DEFAULT_CONFIG.train.epochs);
    expect(c.model).toEqual(DEFAULT_CONFIG.model);
    expect(c.data.toy2d.classes).toBe(DEFAULT_CONFIG.data.toy2d.classes);
    expect(c.train.learningRate).toBe(0.02);
  });
});

describe('backend in the query', () => {
  it('reads a valid choice and falls back to auto', () => {
    expect(backendFromSearch('?backend=webgl')).toBe('webgl');
    expect(backendFromSearch('?backend=tpu')).toBe('auto');
    expect(searchWithBackend('?x=1', 'wasm')).toBe('?x=1&backend=wasm');
    expect(searchWithBackend('?backend=wasm', 'auto')).toBe('');
  });
});
