import { readTauSource } from '../../core/config';
import type { EpochEvaluation } from '../../core/robust/epochEvaluation';
import type { EpochRecord } from '../../core/train/snapshot';
import type { StoredRun } from './storedRun';

/** An epoch evaluation as runs stored it before the page and the CLI shared one result shape. */
interface EvaluationBeforeUnification {
  marginQuantiles: number[][];
  radiusHistogram: { edges: number[]; counts: number[] };
  eps: number[];
  certified: Record<'sound' | 'estimated', { all: number[]; perModality: number[][] }>;
  medianRadius: Record<'sound' | 'estimated', number>;
  estimatedOver: number;
}

/**
 * Runs in users' browsers outlive the code that wrote them: reading one brings it to the
 * current shape, so an old run still opens and charts. A run already in the current shape comes
 * back unchanged (the same object).
 */
export function upgradeStoredRun(run: StoredRun): StoredRun {
  const history = run.history.map(upgradeEpochRecord);
  const step2 = run.config?.train?.step2;
  const tauSource = step2 ? (readTauSource(step2.tauSource) ?? step2.tauSource) : undefined;
  const changed = history.some((h, i) => h !== run.history[i]) || (step2 && tauSource !== step2.tauSource);
  if (!changed) return run;
  const config =
    step2 && tauSource !== step2.tauSource
      ? { ...run.config, train: { ...run.config.train, step2: { ...step2, tauSource: tauSource! } } }
      : run.config;
  return { ...run, config, history };
}

/** Moves the old evaluation's eps, medianRadius and estimatedOver into its `certified` result. */
export function upgradeEpochRecord(record: EpochRecord): EpochRecord {
  const e = record.evaluation as EpochEvaluation | EvaluationBeforeUnification | null;
  if (!e || !('eps' in e)) return record;
  const evaluation: EpochEvaluation = {
    marginQuantiles: e.marginQuantiles,
    radiusHistogram: e.radiusHistogram,
    certified: {
      eps: e.eps,
      sound: { ...e.certified.sound, medianRadius: e.medianRadius.sound },
      estimated: { ...e.certified.estimated, medianRadius: e.medianRadius.estimated },
      estimatedOver: e.estimatedOver,
    },
  };
  return { ...record, evaluation };
}
