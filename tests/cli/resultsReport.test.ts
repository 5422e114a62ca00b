import * as tf from '@tensorflow/tfjs-core';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { formatCell } from '../../src/cli/report/reportColumns';
import { REPORT_FORMAT, REPORT_VERSION, type ReportData } from '../../src/cli/report/reportData';
import { reportMarkdown } from '../../src/cli/report/reportMarkdown';
import { loadReportDataset, REPORT_DATASETS, runReportRow } from '../../src/cli/report/reportRuns';
import { initNodeBackend } from '../../src/cli/nodeBackend';
import type { MethodId } from '../../src/core/train/methods';

const report = JSON.parse(readFileSync('docs/results.json', 'utf8')) as ReportData;

/**
 * docs/RESULTS.md cannot go stale: it is rendered from docs/results.json, which records the
 * commit it was made from, and two of its rows are trained again here from the current code.
 */
describe('docs/RESULTS.md', () => {
  it('is docs/results.json rendered, over several seeds, from a commit of this history', () => {
    expect(report.format).toBe(REPORT_FORMAT);
    expect(report.version).toBe(REPORT_VERSION);
    expect(report.seeds.length).toBeGreaterThanOrEqual(3);
    expect(readFileSync('docs/RESULTS.md', 'utf8')).toBe(reportMarkdown(report));
    if (!existsSync('.git')) return console.warn('not a git checkout: the report commit is not checked');
    // Exit status 0: each section's commit is an ancestor of HEAD (or HEAD itself).
    for (const d of report.datasets) execFileSync('git', ['merge-base', '--is-ancestor', d.commit, 'HEAD']);
  });

  it.each(['jt', 'crmt-jt'] as MethodId[])(
    'the %s row on the toy data, seed 1, trains again to the same numbers',
    async (method) => {
      const entry = REPORT_DATASETS.find((d) => d.data === 'toy-2d')!;
      const recorded = report.datasets.find((d) => d.data === 'toy-2d')!;
      const runs = recorded.methods.find((m) => m.method === method)!.runs.find((r) => r.seed === 1)!;
      // As npm run results runs: IS_TEST (which the unit tests set) turns on a kernel leak check
      // that trips on the WASM backend's own logSoftmax.
      tf.env().set('IS_TEST', false);
      await initNodeBackend(report.backend as 'wasm' | 'cpu');
      const { run } = await runReportRow(await loadReportDataset(entry), method, 1, { backend: report.backend });
      for (const c of recorded.columns)
        expect(formatCell(c.kind, run.cells[c.name]), `${method} ${c.name}`).toBe(
          formatCell(c.kind, runs.cells[c.name]),
        );
      expect(run.halvingEps).toEqual(runs.halvingEps);
      expect(run.cheapestSound).toBe(runs.cheapestSound);
    },
    300_000,
  );

  afterAll(async () => {
    tf.env().set('IS_TEST', true);
    await tf.setBackend('cpu');
  });
});
