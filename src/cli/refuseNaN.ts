import type { ExperimentResult } from '../core/experiment/experimentResult';
import { nanMetrics } from '../core/experiment/nanMetrics';

/** After the results are printed and written: a NaN among them fails the command (exit 1), naming each. */
export function refuseNaN(results: ExperimentResult[]): void {
  const nan = results.flatMap((r) => nanMetrics(r).map((name) => (results.length > 1 ? `${r.method}: ${name}` : name)));
  if (nan.length)
    throw new Error(
      `${nan.length} reported metric${nan.length === 1 ? ' is' : 's are'} NaN, so the result cannot be trusted: ` +
        `${nan.slice(0, 8).join(', ')}${nan.length > 8 ? `, … (${nan.length - 8} more)` : ''}`,
    );
}
