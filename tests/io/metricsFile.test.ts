import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import { prepareDataset } from '../../src/core/data/prepare';
import { metricsJson } from '../../src/core/io/metricsFile';
import type { MethodId } from '../../src/core/train/methods';
import type { EpochRecord } from '../../src/core/train/snapshot';
import { Trainer } from '../../src/core/train/trainer';
import { problems, validatorFor } from './schemas';

async function history(method: MethodId): Promise<{ config: ExperimentConfig; history: EpochRecord[] }> {
  const config: ExperimentConfig = {
    ...DEFAULT_CONFIG,
    data: { ...DEFAULT_CONFIG.data, toy2d: { ...DEFAULT_CONFIG.data.toy2d, samples: 300 } },
    train: { ...DEFAULT_CONFIG.train, method, epochs: 2 },
  };
  const trainer = new Trainer(prepareDataset(config).data, config);
  const records: EpochRecord[] = [];
  for await (const s of trainer.run()) if (s.kind === 'epoch') records.push(s.record);
  trainer.dispose();
  return { config, history: records };
}

describe('metrics.json (the Keep panel and the run bundle)', () => {
  it('is versioned, holds every epoch record, and a real history meets its schema', async () => {
    const validate = validatorFor('metrics');
    for (const method of ['crmt-jt', 'jt'] as const) {
      const { config, history: h } = await history(method);
      const file = JSON.parse(metricsJson({ run: '#1 run', config, modalities: ['A', 'B'], history: h }));
      expect(problems(validate, file)).toEqual([]);
      expect(file).toMatchObject({ format: 'crmt-lab-metrics', version: 2, run: '#1 run', modalities: ['A', 'B'] });
      expect(file.history).toEqual(JSON.parse(JSON.stringify(h)));
      expect(file.history[0].evaluation.certified.sound.all.length).toBeGreaterThan(1);
      // Every field holding a radius or an ε has a unit, each unit a meaning, and the paths exist.
      expect(file.units.suffixes.std_l2).toMatch(/ℓ2 norm of the standardised inputs/);
      expect(file.units.fields['history[].evaluation.certified.eps']).toBe('std_l2');
      expect(file.units.fields['history[].evaluation.certified.sound.medianRadius']).toBe('std_l2');
      // (The local kind is computed on demand, so these records have none to look up.)
      const always = (p: string) => p.startsWith('history[].evaluation') && !p.includes('.local.');
      for (const path of Object.keys(file.units.fields).filter(always)) {
        const value = path
          .replace('history[].', '')
          .split('.')
          .reduce((o: Record<string, unknown>, k) => o[k] as Record<string, unknown>, file.history[0]);
        expect(value, path).toBeDefined();
      }
      // The Keep panel's file: no stored run, and before a config is installed, none.
      const panel = JSON.parse(metricsJson({ config: null, modalities: ['A', 'B'], history: h }));
      expect(panel).not.toHaveProperty('run');
      expect(problems(validate, panel)).toEqual([]);
    }
  });

  it('an epoch recorded under an attack meets the schema; a malformed attack record does not', async () => {
    const validate = validatorFor('metrics');
    const { config, history: h } = await history('jt');
    const attack = { kind: 'pgd-l2' as const, targets: ['A'], eps: 0.5, accuracy: 0.75 };
    const watched = h.map((r) => ({ ...r, attack }));
    expect(problems(validate, JSON.parse(metricsJson({ config, modalities: ['A', 'B'], history: watched })))).toEqual(
      [],
    );
    const bad = h.map((r) => ({ ...r, attack: { ...attack, kind: 'laser', accuracy: 2 } })) as unknown as EpochRecord[];
    const found = problems(validate, JSON.parse(metricsJson({ config, modalities: ['A', 'B'], history: bad })));
    expect(found).toContain('/history/0/attack/kind must be equal to one of the allowed values');
    expect(found.some((p) => p.startsWith('/history/0/attack/accuracy'))).toBe(true);
  });

  it('the schema refuses the unversioned file and an epoch evaluation in the old shape', async () => {
    const validate = validatorFor('metrics');
    const { config, history: h } = await history('crmt-jt');
    expect(problems(validate, { config, modalities: ['A', 'B'], epochs: h })).toContain(
      "/ must have required property 'format'",
    );
    const file = JSON.parse(metricsJson({ config, modalities: ['A', 'B'], history: h }));
    const e = file.history[0].evaluation;
    const old = { ...e, eps: e.certified.eps, medianRadius: { sound: 0, estimated: 0 } };
    file.history[0].evaluation = old;
    expect(problems(validate, file)).toContain('/history/0/evaluation must NOT have additional properties');
  });
});
