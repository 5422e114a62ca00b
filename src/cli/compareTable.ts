import type { ExperimentResult } from '../core/experiment/experimentResult';
import { certifiedAt } from '../core/robust/certification';

const pct = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '—' : (100 * x).toFixed(1));

export interface TableOptions {
  /** ε at which the attack columns are read. */
  attackEps: number;
  /** Two (or more) ε for the sound certified accuracy columns. */
  certEps: number[];
}

/** One row per method: clean, attacks per target, missing modality, sound certified accuracy, median radius. */
export function compareTable(results: ExperimentResult[], o: TableOptions): { header: string[]; rows: string[][] } {
  const mods = results[0].modalities;
  const targets = [...mods, 'all'];
  const header = [
    'method',
    'clean',
    ...mods.map((m) => `branch ${m}`),
    ...targets.map((t) => `FGM ${t}`),
    ...targets.map((t) => `PGD ${t}`),
    ...mods.map((m) => `missing ${m}`),
    ...o.certEps.map((e) => `sound CA ε=${e}`),
    'median r (sound)',
  ];
  const rows = results.map((r) => {
    const robust = (attack: string, target: string, eps: number | null) =>
      r.robust.find((p) => p.attack === attack && p.target === target && p.eps === eps)?.acc;
    const cert = (e: number) => certifiedAt(r.certified, r.modalities, 'sound', 'all', e);
    return [
      r.method,
      pct(r.clean.accuracy),
      ...mods.map((_, i) => pct(r.clean.branchAccuracy[i])),
      ...targets.map((t) => pct(robust('fgm', t, o.attackEps))),
      ...targets.map((t) => pct(robust('pgd-l2', t, o.attackEps))),
      ...mods.map((m) => pct(robust('missing-mean', m, null))),
      ...o.certEps.map((e) => pct(cert(e))),
      Number.isFinite(r.certified.sound.medianRadius) ? r.certified.sound.medianRadius.toFixed(3) : '—',
    ];
  });
  return { header, rows };
}

export function toMarkdown({ header, rows }: { header: string[]; rows: string[][] }): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

export function toText({ header, rows }: { header: string[]; rows: string[][] }): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}
