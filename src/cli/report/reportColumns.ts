import type { ExperimentResult } from '../../core/experiment/experimentResult';
import type { CertificateKind } from '../../core/robust/boundKind';
import { certifiedAt } from '../../core/robust/certification';

export interface TableOptions {
  /** ε at which the attack columns are read (standardised units). */
  attackEps: number;
  /** Two (or more) ε for the certified accuracy columns. */
  certEps: number[];
  /** Also the local (CROWN) kind's columns, beside the sound ones (results with --local-bound 0 show '—'). */
  local?: boolean;
}

/** A column of the comparison tables: an accuracy (a fraction, shown in %) or a radius (standardised units). */
export interface Column {
  name: string;
  kind: 'accuracy' | 'radius';
  /** The certificate kind a certified accuracy or radius column reads. */
  bound?: CertificateKind;
  value: (r: ExperimentResult) => number | null;
}

const finite = (x: number | undefined): number | null => (x === undefined || !Number.isFinite(x) ? null : x);

/** The columns of `npm run compare` and docs/RESULTS.md: one definition, read by both. */
export function reportColumns(modalities: string[], o: TableOptions): Column[] {
  const targets = [...modalities, 'all'];
  const robust = (attack: string, target: string, eps: number | null) => (r: ExperimentResult) =>
    finite(r.robust.find((p) => p.attack === attack && p.target === target && p.eps === eps)?.acc);
  const acc = (name: string, value: Column['value']): Column => ({ name, kind: 'accuracy', value });
  const kinds: CertificateKind[] = o.local ? ['sound', 'local'] : ['sound'];
  return [
    acc('clean', (r) => finite(r.clean.accuracy)),
    ...modalities.map((m, i) => acc(`branch ${m}`, (r) => finite(r.clean.branchAccuracy[i]))),
    ...targets.map((t) => acc(`FGM ${t}`, robust('fgm', t, o.attackEps))),
    ...targets.map((t) => acc(`PGD ${t}`, robust('pgd-l2', t, o.attackEps))),
    ...modalities.map((m) => acc(`missing ${m}`, robust('missing-mean', m, null))),
    ...o.certEps.flatMap((e) => kinds.map((b) => certified(b, e))),
    ...kinds.map((b): Column => ({
      name: `median r (${b})`,
      kind: 'radius',
      bound: b,
      value: (r) => finite(r.certified[b]?.medianRadius),
    })),
  ];
}

/** Certified accuracy of the joint radius of kind `bound` at ε. */
const certified = (bound: CertificateKind, e: number): Column => ({
  name: `${bound} CA ε=${e}`,
  kind: 'accuracy',
  bound,
  value: (r) => finite(certifiedAt(r.certified, r.modalities, bound, 'all', e)),
});

/** One result's numbers by column name. */
export function cellsOf(r: ExperimentResult, o: TableOptions): Record<string, number | null> {
  return Object.fromEntries(reportColumns(r.modalities, o).map((c) => [c.name, c.value(r)]));
}

/** How a cell is printed: accuracies in % to 0.1, radii to 3 decimals; '—' when there is no number. */
export function formatCell(kind: Column['kind'], x: number | null): string {
  if (x === null) return '—';
  return kind === 'accuracy' ? (100 * x).toFixed(1) : x.toFixed(3);
}
