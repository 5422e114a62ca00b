/**
 * docs/results.json: every number of docs/RESULTS.md, per dataset, method and seed, with what
 * made them (commit, backend, settings). The Markdown is rendered from it (reportMarkdown.ts), so
 * a test can check the two agree and re-run rows of it.
 */
import type { CertificateKind } from '../../core/robust/boundKind';

export const REPORT_FORMAT = 'crmt-lab-report';
export const REPORT_VERSION = 1;

/** A run's numbers by column name (reportColumns.ts): accuracies as fractions, radii in standardised units. */
export type Cells = Record<string, number | null>;

export interface SeedRun {
  seed: number;
  cells: Cells;
  /** Measured preference: per modality, the ε (standardised) at which PGD on it alone halves accuracy. */
  halvingEps: (number | null)[] | null;
  halvingEpsPerFeature: (number | null)[] | null;
  /** The modality with the smallest median single-modality sound radius (a bound, not a measurement). */
  cheapestSound: string;
}

export interface MethodRuns {
  method: string;
  runs: SeedRun[];
}

/** Robust accuracy under the lab's default PGD against a 100-step attack with restarts, one seed. */
export interface StrengthRow {
  method: string;
  seed: number;
  target: string;
  lab: number;
  strong: number;
}

export interface DatasetReport {
  data: string;
  /** The commit this section was made from (sections can be regenerated alone: npm run results -- --datasets). */
  commit: string;
  dirty: boolean;
  /** null for sections written before sections were timed apart. */
  minutes: number | null;
  name: string;
  modalities: string[];
  /** Test samples. */
  samples: number;
  attackEps: number;
  certEps: number[];
  /** Per modality, the smallest and RMS std of its raw features (raw units per standardised unit). */
  featureStd: { min: number[]; rms: number[] } | null;
  /** Column names and kinds, in order (bound: the certificate kind a certified column reads; absent in older sections). */
  columns: { name: string; kind: 'accuracy' | 'radius'; bound?: CertificateKind }[];
  /** Test samples the local (CROWN) columns certify per run, a random sample drawn with the run's seed; absent without them. */
  localSamples?: number;
  methods: MethodRuns[];
  /** jt and crmt-jt under the defaults before model selection (the last epoch kept; step 2 on train). */
  before: MethodRuns[];
  strength: StrengthRow[];
  /** Why the dataset has no numbers (its folder was absent). */
  skipped?: string;
}

export interface ReportData {
  format: typeof REPORT_FORMAT;
  version: typeof REPORT_VERSION;
  /** The commit of the last (re)generation; each section records its own. `dirty`: the working tree had changes. */
  commit: string;
  dirty: boolean;
  backend: string;
  seeds: number[];
  /** The settings every run shares, as one line. */
  settings: string;
  labAttack: string;
  strongAttack: string;
  methodLabels: Record<string, string>;
  datasets: DatasetReport[];
}

/** Mean and sample standard deviation of the non-null values (null when there are none). */
export function meanSd(values: (number | null)[]): { mean: number; sd: number; n: number } | null {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  if (!v.length) return null;
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
  return { mean, sd, n: v.length };
}

/** The mean of a column over a method's seeds (NaN when it has none). */
export function meanOf(m: MethodRuns | undefined, column: string): number {
  return m ? (meanSd(m.runs.map((r) => r.cells[column] ?? null))?.mean ?? NaN) : NaN;
}

export function sdOf(m: MethodRuns | undefined, column: string): number {
  return m ? (meanSd(m.runs.map((r) => r.cells[column] ?? null))?.sd ?? NaN) : NaN;
}

/** Numbers kept to 6 significant digits: the report prints 3 or 4. */
export const keep = (x: number | null): number | null => (x === null ? null : Number(x.toPrecision(6)));
