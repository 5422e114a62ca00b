import type { ExperimentConfig } from '../config';
import { experimentToJson, type ExperimentJson } from '../params/experimentJson';
import type { EpochRecord } from '../train/snapshot';
import { metricsJsonUnits } from './metricUnits';

/** Named and versioned so a reader can tell what it holds; schemas/metrics.schema.json describes it. */
export const METRICS_FORMAT = 'crmt-lab-metrics';
/** 1 was the unversioned file with the epochs under `epochs`. */
export const METRICS_VERSION = 2;

/** A run's metrics.json: every epoch record, in the same shape as the CLI result's `history`. */
export interface MetricsFile {
  format: typeof METRICS_FORMAT;
  version: typeof METRICS_VERSION;
  /** The stored run's label (`#3 crmt-jt · toy-2d · seed 1`), when the metrics belong to one. */
  run?: string;
  /** The experiment the run was trained with, as the page's Config JSON writes it. */
  experiment: ExperimentJson | null;
  modalities: string[];
  /** What the radii and ε below are measured in (the CSV's column suffixes too). */
  units: ReturnType<typeof metricsJsonUnits>;
  history: EpochRecord[];
}

/** The Keep panel's "Metrics JSON" and the run bundle's metrics.json, as text. */
export function metricsJson(m: {
  run?: string;
  config: ExperimentConfig | null;
  modalities: string[];
  history: EpochRecord[];
}): string {
  const file: MetricsFile = {
    format: METRICS_FORMAT,
    version: METRICS_VERSION,
    ...(m.run === undefined ? {} : { run: m.run }),
    experiment: m.config ? experimentToJson(m.config) : null,
    modalities: m.modalities,
    units: metricsJsonUnits(),
    history: m.history,
  };
  return JSON.stringify(file, null, 2);
}
