import type { ExperimentResult } from '../../core/experiment/experimentResult';
import { formatCell, reportColumns, type TableOptions } from './reportColumns';

export type { TableOptions } from './reportColumns';

/**
 * One row per method: clean, attacks per target, missing modality, sound certified accuracy and
 * median radius, and the local kind's where any result has it.
 */
export function compareTable(results: ExperimentResult[], o: TableOptions): { header: string[]; rows: string[][] } {
  const local = o.local ?? results.some((r) => r.certified.local !== undefined);
  const columns = reportColumns(results[0].modalities, { ...o, local });
  return {
    header: ['method', ...columns.map((c) => c.name)],
    rows: results.map((r) => [r.method, ...columns.map((c) => formatCell(c.kind, c.value(r)))]),
  };
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
