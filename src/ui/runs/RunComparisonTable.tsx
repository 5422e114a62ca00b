import { useMemo, useState } from 'react';
import type { RunSummary } from '../../worker/runs/storedRun';
import { download } from '../keep/download';
import { comparisonColumns, comparisonCsv, sortRuns, type SortOrder } from './runComparison';

/**
 * The ticked runs side by side, as experiment trackers show them: the hyper-parameters that differ
 * between them (from the parameter table), then the final numbers; click a header to sort, again
 * to reverse; CSV downloads the table as shown.
 */
export function RunComparisonTable({ runs }: { runs: RunSummary[] }) {
  const columns = useMemo(() => comparisonColumns(runs), [runs]);
  const [order, setOrder] = useState<SortOrder | null>(null);
  const rows = sortRuns(runs, columns, order);
  const params = columns.filter((c) => c.kind === 'param').length;
  const sortBy = (id: string) =>
    setOrder((o) => (o?.column === id ? { column: id, descending: !o.descending } : { column: id, descending: false }));
  return (
    <div className="run-comparison">
      <table className="run-table" data-testid="run-table">
        <caption>
          {params
            ? `${params} hyper-parameter${params === 1 ? '' : 's'} differ${params === 1 ? 's' : ''} between these runs; `
            : 'These runs share every hyper-parameter; '}
          final numbers on the validation split (sound certified accuracy of the joint radius). Click a header to sort.
        </caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c.id}
                scope="col"
                className={c.kind === 'param' ? 'param' : undefined}
                aria-sort={order?.column === c.id ? (order.descending ? 'descending' : 'ascending') : undefined}
              >
                <button type="button" title={c.title} onClick={() => sortBy(c.id)} data-testid={`sort-${c.id}`}>
                  {c.label}
                  {order?.column === c.id ? (order.descending ? ' ▼' : ' ▲') : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-testid={`run-row-${r.id}`}>
              {columns.map((c, i) =>
                i === 0 ? (
                  <th key={c.id} scope="row">
                    {c.show(r)}
                  </th>
                ) : (
                  <td key={c.id} className={c.kind === 'param' ? 'param' : undefined}>
                    {c.show(r)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        data-testid="run-table-csv"
        onClick={() => download('runs-comparison.csv', comparisonCsv(rows, columns), 'text/csv')}
      >
        Table as CSV
      </button>
    </div>
  );
}
