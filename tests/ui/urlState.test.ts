import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { experimentFromText } from '../../src/core/params/experimentJson';
import { formatText } from '../../src/core/params/paramCodec';
import { SETTINGS_PARAMS } from '../../src/core/params/paramTable';
import { getAt } from '../../src/core/params/paths';
import { configFromHash, configToHash, URL_KEYS } from '../../src/core/params/urlHash';
import { backendFromSearch, searchWithBackend } from '../../src/ui/urlState';

const URL_PARAMS = SETTINGS_PARAMS.filter((p) => p.key !== null);
const textAt = (c: typeof DEFAULT_CONFIG, key: string) => {
  const p = URL_PARAMS.find((q) => q.key === key)!;
  return formatText(p, getAt(c, p.path) as never);
};

/** A value other than the default for every URL field. */
const OTHER: Record<string, string> = {
  data: 'audioVisual',
  classes: '3',
  samples: '500',
  sepA: '1.5',
  sepB: '2.5',
  noiseA: '0.3',
  noiseB: '0.2',
  dataSeed: '9',
  avClasses: '5',
  avSamples: '700',
  avImageNoise: '0.8',
  avAudioNoise: '0.4',
  avSeed: '3',
  method: 'crmt-at',
  epochs: '7',
  batch: '32',
  lr: '0.003',
  wd: '0.0001',
  seed: '11',
  hidden: '8-4',
  act: 'tanh',
  encoder: 'cnn-for-images',
  cnnFilters: '4-8',
  cnnOut: '16',
  rho: '1.5',
  marginFloor: '0',
  headRows: 'unit',
  s2epochs: '4',
  s2lr: '0.1',
  s2momentum: '0.5',
  s2wd: '0.001',
  s2class: 'runner-up',
  s2tau: 'sound',
  pgdSteps: '20',
  pgdStep: '0.1',
  pgdRandom: 'true',
  pgdPreset: 'paper',
  attackBudget: 'per-modality',
  pgdRestarts: '4',
  localBound: '30',
  localBoundBranching: '2',
  localBoundBudget: '64',
  select: 'val-certified',
  selectEps: '0.2',
  patience: '3',
  s2data: 'train',
  atEps: '0.3',
  atSteps: '7',
  atStep: '0.05',
  atRandom: 'true',
  atClean: '0.5',
  mixAlpha: '0.4',
  umtAlpha: '2',
  teacherEpochs: '9',
};

describe('config in the URL hash', () => {
  it('covers every parameter of the table that has a key (all but the modalities and the report ε)', () => {
    expect(Object.keys(OTHER).sort()).toEqual([...URL_KEYS].sort());
    const keyless = SETTINGS_PARAMS.filter((p) => p.key === null).map((p) => p.path);
    expect(keyless.sort()).toEqual(['attack.eps', 'modalities']);
  });

  it('round-trips a value other than the default for every field, and leaves defaults out', () => {
    expect(configToHash(DEFAULT_CONFIG)).toBe('');
    const hash = '#' + new URLSearchParams(OTHER).toString();
    const c = configFromHash(hash);
    for (const key of URL_KEYS) expect(textAt(c, key), key).toBe(OTHER[key]);
    expect(configFromHash(configToHash(c))).toEqual(c);
    expect(c.train.at.randomStart).toBe(true);
    expect(c.train.step2.epochs).toBe(4);
  });

  it('ignores malformed or out-of-range values and keeps the default', () => {
    const c = configFromHash(
      '#epochs=abc&hidden=8-x&act=sigmoid&classes=2.5&lr=0.02&batch=0&s2tau=maybe&atRandom=maybe&method=magic',
    );
    expect(c.train.epochs).toBe(DEFAULT_CONFIG.train.epochs);
    expect(c.model).toEqual(DEFAULT_CONFIG.model);
    expect(c.data.toy2d.classes).toBe(DEFAULT_CONFIG.data.toy2d.classes);
    expect(c.train.batchSize).toBe(DEFAULT_CONFIG.train.batchSize);
    expect(c.train.step2.tauSource).toBe('estimated');
    expect(c.train.at.randomStart).toBe(false);
    expect(c.train.method).toBe('jt');
    expect(c.train.learningRate).toBe(0.02);
  });

  it('reads widths and numbers as people type them, and never an upload', () => {
    const c = configFromHash('#hidden=32%2C16&lr=1e-3&cnnFilters=4%208&s2epochs=auto&data=upload');
    expect(c.model.hidden).toEqual([32, 16]);
    expect(c.train.learningRate).toBe(0.001);
    expect(c.model.cnn.filters).toEqual([4, 8]);
    expect(c.train.step2.epochs).toBeNull();
    expect(c.data.kind).toBe('toy2d');
    expect(configToHash({ ...c, data: { ...c.data, kind: 'upload', uploadName: 'mine' } })).not.toMatch(/data=|mine/);
    expect(configFromHash('#lr=0x10&samples=1e3').train.learningRate).toBe(DEFAULT_CONFIG.train.learningRate);
    expect(configFromHash('#samples=1e3').data.toy2d.samples).toBe(1000);
  });

  it("reads step 2's old τ word `certified` as `sound`, in a URL and in a config file", () => {
    expect(configFromHash('#s2tau=certified').train.step2.tauSource).toBe('sound');
    expect(configToHash(configFromHash('#s2tau=certified'))).toBe('#s2tau=sound');
    const old = structuredClone(DEFAULT_CONFIG) as unknown as { train: { step2: { tauSource: string } } };
    old.train.step2.tauSource = 'certified';
    expect(experimentFromText(JSON.stringify(old)).train.step2.tauSource).toBe('sound');
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
