import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { metricsCsv } from '../../src/core/io/report';
import type { EpochRecord } from '../../src/core/train/snapshot';
import { RunRecorder, type RecorderState } from '../../src/worker/runs/runRecorder';
import { memoryRunStore } from '../../src/worker/runs/runStore';
import { summariseRun, type StoredRun } from '../../src/worker/runs/storedRun';
import { upgradeEpochRecord, upgradeStoredRun } from '../../src/worker/runs/storedRunUpgrade';

const metrics = { loss: 0.5, accuracy: 0.75, branchAccuracy: [0.7, 0.6] };

/** An epoch exactly as the lab stored it before the page and the CLI shared one result shape. */
const oldEpoch = {
  epoch: 2,
  runEpoch: 2,
  phase: 'step1',
  train: metrics,
  val: metrics,
  integration: [
    [0.1, 0.2],
    [0.3, 0.4],
  ],
  evaluation: {
    marginQuantiles: [
      [-1, 0, 1, 2, 3],
      [-2, -1, 0, 1, 2],
    ],
    radiusHistogram: { edges: [0, 0.5, 1], counts: [3, 1] },
    eps: [0, 0.1],
    certified: {
      sound: {
        all: [0.75, 0.5],
        perModality: [
          [0.75, 0.7],
          [0.75, 0.6],
        ],
      },
      estimated: {
        all: [0.75, 0.65],
        perModality: [
          [0.75, 0.72],
          [0.75, 0.7],
        ],
      },
    },
    medianRadius: { sound: 0.12, estimated: 0.34 },
    estimatedOver: 256,
  },
};

function oldRun(): StoredRun {
  const config = structuredClone(DEFAULT_CONFIG) as unknown as { train: { step2: { tauSource: string } } };
  config.train.step2.tauSource = 'certified';
  return {
    id: 7,
    name: 'crmt-jt · toy-2d · seed 1',
    createdAt: 1,
    updatedAt: 2,
    status: 'done',
    config: config as unknown as StoredRun['config'],
    dataset: 'toy-2d',
    modalities: ['A', 'B'],
    history: [{ ...structuredClone(oldEpoch), epoch: 1, runEpoch: 1, evaluation: null }, structuredClone(oldEpoch)],
    weightsEpoch: 2,
    weightBytes: 10,
    bytes: 100,
  } as unknown as StoredRun;
}

describe('reading a run stored in an older shape', () => {
  it('moves eps, median radii and the estimate size into the certified result; keeps every number', () => {
    const e = upgradeEpochRecord(oldEpoch as unknown as EpochRecord).evaluation!;
    expect(e).toEqual({
      marginQuantiles: oldEpoch.evaluation.marginQuantiles,
      radiusHistogram: oldEpoch.evaluation.radiusHistogram,
      certified: {
        eps: [0, 0.1],
        sound: {
          all: [0.75, 0.5],
          perModality: [
            [0.75, 0.7],
            [0.75, 0.6],
          ],
          medianRadius: 0.12,
        },
        estimated: {
          all: [0.75, 0.65],
          perModality: [
            [0.75, 0.72],
            [0.75, 0.7],
          ],
          medianRadius: 0.34,
        },
        estimatedOver: 256,
      },
    });
  });

  it("reads step 2's old τ word `certified` as `sound`, and leaves a current run as it is", () => {
    const run = upgradeStoredRun(oldRun());
    expect(run.config.train.step2.tauSource).toBe('sound');
    expect(run.history[0].evaluation).toBeNull();
    expect(run.history[1].evaluation!.certified.sound.medianRadius).toBe(0.12);
    expect(upgradeStoredRun(run)).toBe(run);
    const record = run.history[1];
    expect(upgradeEpochRecord(record)).toBe(record);
  });

  it('an old run in the store opens with its curves: summary, run table numbers and metrics CSV', async () => {
    const store = memoryRunStore();
    await store.save(oldRun());
    let state: RecorderState = { runs: [], current: null, error: null };
    const recorder = new RunRecorder(store, (s) => (state = s));
    await recorder.idle();
    const summary = summariseRun(state.runs[0]);
    expect(summary.evaluation!.certified.sound.all).toEqual([0.75, 0.5]);
    expect(summary.evaluation!.certified.eps).toEqual([0, 0.1]);
    expect((await recorder.read(7))!.run.config.train.step2.tauSource).toBe('sound');
    const [header, , last] = metricsCsv(state.runs[0].history, ['A', 'B']).trim().split('\n');
    const at = (name: string) => last.split(',')[header.split(',').indexOf(name)];
    expect(at('median_radius_estimated_std_l2')).toBe('0.34');
    expect(at('ca_sound_all_0.10_std_l2')).toBe('0.5');
  });
});
