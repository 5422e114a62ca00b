import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import { splitIndices } from '../../src/core/data/dataset';
import { prepareDataset } from '../../src/core/data/prepare';
import type { ExperimentResult } from '../../src/core/experiment/experimentResult';
import { runExperiment } from '../../src/core/experiment/runExperiment';
import { CURVE_EPS, LIVE_ESTIMATE_SAMPLES } from '../../src/core/robust/epochEvaluation';
import { heldRecord, type EpochRecord } from '../../src/core/train/snapshot';

/**
 * One evaluation vocabulary: the numbers the page's snapshot shows for the validation split for
 * the epoch the model holds (the kept one) are the numbers the CLI's experiment path writes for
 * the same weights and split.
 * 300 toy samples leave under 200 for training, below the page's 256-sample cap for the estimated τ,
 * so both estimate it over the same samples.
 */
describe("the page's epoch evaluation and the CLI's result agree", () => {
  for (const method of ['crmt-jt', 'jt'] as const)
    it(`${method}: clean accuracy, certified accuracy of both kinds at each ε, median radii`, async () => {
      const config: ExperimentConfig = {
        ...DEFAULT_CONFIG,
        data: { ...DEFAULT_CONFIG.data, toy2d: { ...DEFAULT_CONFIG.data.toy2d, samples: 300 } },
        train: { ...DEFAULT_CONFIG.train, method, epochs: 3, liveEvaluation: true },
      };
      const { data } = prepareDataset(config);
      const snapshots: EpochRecord[] = [];
      const result = await runExperiment(data, config, {
        eps: CURVE_EPS,
        evalSplit: 'val',
        backend: 'cpu',
        onSnapshot: (s) => {
          // What the worker posts to the page: a structured clone of the record.
          if (s.kind === 'epoch') snapshots.push(structuredClone(s.record));
        },
      });
      const json = JSON.parse(JSON.stringify(result)) as ExperimentResult;
      // The page shows the record of the epoch whose weights the model holds (the kept one).
      const page = heldRecord(snapshots)!;
      const shown = page.evaluation!.certified;

      expect(json.split).toBe('val');
      expect(json.clean.accuracy).toBe(page.val.accuracy);
      expect(json.clean).toEqual(page.val);
      // Counted from the collected outputs by other code than the page's: still the same.
      expect(json.preference.branchAccuracy).toEqual(page.val.branchAccuracy);
      expect(json.certified.eps).toEqual(CURVE_EPS);
      CURVE_EPS.forEach((_, i) => {
        expect(json.certified.sound.all[i]).toBe(shown.sound.all[i]);
        expect(json.certified.estimated.all[i]).toBe(shown.estimated.all[i]);
      });
      expect(json.certified.sound.medianRadius).toBe(shown.sound.medianRadius);
      expect(json.certified.estimated.medianRadius).toBe(shown.estimated.medianRadius);
      const trainSamples = splitIndices(data, 'train').length;
      expect(trainSamples).toBeLessThan(LIVE_ESTIMATE_SAMPLES);
      expect(json.certified.estimatedOver).toBe(trainSamples);
      // The CLI adds the local kind (the page computes it on demand, not per epoch): the rest is the page's.
      const { local, ...lipschitzKinds } = json.certified;
      expect(lipschitzKinds).toEqual(shown);
      expect(local).toMatchObject({ samples: Math.min(10, json.samples), of: json.samples });
      // The numbers are not degenerate: a trained model, some samples certified, radii of both kinds.
      expect(page.val.accuracy).toBeGreaterThan(0.6);
      expect(shown.sound.all[2]).toBeGreaterThan(0);
      expect(shown.sound.medianRadius).toBeGreaterThan(0);
      expect(shown.estimated.medianRadius).toBeGreaterThan(shown.sound.medianRadius);
      // The result carries the run's history, in the page's shape.
      expect(json.history).toEqual(snapshots);
    });
});
