import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import { prepareDataset } from '../../src/core/data/prepare';
import { runExperiment, type EvaluationProgress } from '../../src/core/experiment/runExperiment';

describe('runExperiment progress', () => {
  it('reports the evaluation from 0 to its total: certification, the local bound, every attack point, missing modality, the measured cost', async () => {
    const config: ExperimentConfig = {
      ...DEFAULT_CONFIG,
      data: { ...DEFAULT_CONFIG.data, toy2d: { ...DEFAULT_CONFIG.data.toy2d, samples: 120 } },
      train: { ...DEFAULT_CONFIG.train, method: 'jt', epochs: 1, liveEvaluation: false },
    };
    const events: EvaluationProgress[] = [];
    const eps = [0.1, 0.5];
    const result = await runExperiment(prepareDataset(config).data, config, {
      eps,
      backend: 'cpu',
      onEvaluation: (p) => events.push(p),
    });
    // The default local sample (attack.localBound) is a part of the test split here.
    expect(result.samples).toBeGreaterThan(DEFAULT_CONFIG.attack.localBound!);
    const total = events[0].total;
    expect(events[0]).toEqual({ what: 'start', done: 0, total });
    expect(events.every((e) => e.total === total)).toBe(true);
    for (let i = 1; i < events.length; i++) expect(events[i].done).toBeGreaterThan(events[i - 1].done);
    expect(events.at(-1)!.done).toBeCloseTo(total, 9);
    expect(events.map((e) => e.what)).toEqual([
      'start',
      'certification',
      `local (CROWN) bound on ${DEFAULT_CONFIG.attack.localBound} random of ${result.samples} samples`,
      ...['fgm', 'pgd-l2'].flatMap((k) => ['A', 'B', 'all'].flatMap((t) => eps.map((e) => `${k} on ${t} at ε = ${e}`))),
      'missing modality',
      'the ε that halves accuracy, per modality',
    ]);
    // One event per attack point: the points themselves are all there, in the same order.
    expect(
      result.robust.filter((r) => r.eps !== null).map((r) => `${r.attack} on ${r.target} at ε = ${r.eps}`),
    ).toEqual(events.slice(3, -2).map((e) => e.what));
  });
});
