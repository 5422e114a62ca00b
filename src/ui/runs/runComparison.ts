import { certifiedAt } from '../../core/robust/certification';
import type { ExperimentConfig } from '../../core/config';
import { formatText } from '../../core/params/paramCodec';
import { SETTINGS_PARAMS } from '../../core/params/paramTable';
import type { Param, ParamValue } from '../../core/params/paramTypes';
import { getAt } from '../../core/params/paths';
import type { RunSummary } from '../../worker/runs/storedRun';
import { runLabel } from '../../worker/runs/storedRun';

/** One column of the comparison: a hyper-parameter that differs, or a result. */
export interface ComparisonColumn {
  id: string;
  label: string;
  /** A hyper-parameter's help, or what a result is. */
  title: string;
  kind: 'param' | 'result';
  /** Numbers sort and export as numbers; text as text; null: not applicable or not measured. */
  value(run: RunSummary): number | string | null;
  /** As the table shows it. */
  show(run: RunSummary): string;
}

const valueOf = (p: Param, c: ExperimentConfig) => getAt(c, p.path) as ParamValue;
const applies = (p: Param, c: ExperimentConfig) => p.applies?.(c) ?? true;
const shown = (p: Param, c: ExperimentConfig): string | null => (applies(p, c) ? formatText(p, valueOf(p, c)) : null);

/**
 * The hyper-parameters that differ between the runs, in the parameter table's order: shown
 * differently in two runs it applies to, or applying to some runs only (ρ for crmt-jt beside jt)
 * and set away from its default there. Settings that apply to no run never count.
 */
export function differingParams(configs: ExperimentConfig[]): Param[] {
  return SETTINGS_PARAMS.filter((p) => {
    const values = configs.flatMap((c) => shown(p, c) ?? []);
    if (new Set(values).size > 1) return true;
    const atDefault = formatText(p, p.default as ParamValue);
    return values.length > 0 && values.length < configs.length && values[0] !== atDefault;
  });
}

const pct = (x: number | undefined | null) => (x === undefined || x === null || !Number.isFinite(x) ? null : x);
const soundCaAt = (r: RunSummary, eps: number) =>
  r.evaluation ? (certifiedAt(r.evaluation.certified, r.modalities, 'sound', 'all', eps) ?? null) : null;
const percent = (x: number | string | null) => (typeof x === 'number' ? `${(100 * x).toFixed(1)}%` : '—');

function result(id: string, label: string, title: string, value: (r: RunSummary) => number | null, digits?: number) {
  return {
    id,
    label,
    title,
    kind: 'result' as const,
    value,
    show: (r: RunSummary) => {
      const v = value(r);
      return digits === undefined ? percent(v) : v === null ? '—' : v.toFixed(digits);
    },
  };
}

/** The run, the hyper-parameters that differ, then the final numbers on the validation split. */
export function comparisonColumns(runs: RunSummary[]): ComparisonColumn[] {
  const params = differingParams(runs.map((r) => r.config)).map((p): ComparisonColumn => ({
    id: p.path,
    label: p.label,
    title: p.help,
    kind: 'param',
    value: (r) => {
      if (!applies(p, r.config)) return null;
      const v = valueOf(p, r.config);
      return typeof v === 'number' ? v : formatText(p, v);
    },
    show: (r) => shown(p, r.config) ?? '—',
  }));
  const modalities = [...new Set(runs.flatMap((r) => r.modalities))];
  return [
    { id: 'run', label: 'run', title: 'the stored run', kind: 'result', value: (r) => r.id, show: (r) => runLabel(r) },
    ...params,
    result('epochs', 'epochs', 'epochs trained (all phases)', (r) => r.epochs, 0),
    result('val', 'val accuracy', 'fused accuracy on the validation split at the last epoch', (r) =>
      pct(r.last?.val.accuracy),
    ),
    ...modalities.map((m) =>
      result(`branch:${m}`, `${m} alone`, `${m}'s branch alone, validation accuracy`, (r) => {
        const i = r.modalities.indexOf(m);
        return i < 0 ? null : pct(r.last?.val.branchAccuracy[i]);
      }),
    ),
    result('ca0.1', 'sound CA ε=0.1', 'sound certified accuracy of the joint radius at ε = 0.1', (r) =>
      soundCaAt(r, 0.1),
    ),
    result('ca0.25', 'sound CA ε=0.25', 'sound certified accuracy of the joint radius at ε = 0.25', (r) =>
      soundCaAt(r, 0.25),
    ),
    result(
      'radius',
      'median radius (sound)',
      'median sound joint radius',
      (r) => r.evaluation?.certified.sound.medianRadius ?? null,
      3,
    ),
  ];
}

export interface SortOrder {
  column: string;
  descending: boolean;
}

/** Rows sorted by a column: numbers as numbers, text as text; missing values last either way. */
export function sortRuns(runs: RunSummary[], columns: ComparisonColumn[], order: SortOrder | null): RunSummary[] {
  const col = order && columns.find((c) => c.id === order.column);
  if (!col) return runs;
  const sign = order.descending ? -1 : 1;
  return [...runs].sort((a, b) => {
    const [x, y] = [col.value(a), col.value(b)];
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    if (typeof x === 'number' && typeof y === 'number') return sign * (x - y);
    return sign * String(x).localeCompare(String(y), undefined, { numeric: true });
  });
}

const csvCell = (v: number | string | null) => {
  if (v === null) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The table as CSV: one header row of labels, values as numbers (accuracies as fractions), empty where absent. */
export function comparisonCsv(runs: RunSummary[], columns: ComparisonColumn[]): string {
  const rows = [
    columns.map((c) => csvCell(c.id === 'run' ? 'run' : c.label)),
    ...runs.map((r) => columns.map((c) => csvCell(c.id === 'run' ? runLabel(r) : c.value(r)))),
  ];
  return rows.map((r) => r.join(',')).join('\n') + '\n';
}
