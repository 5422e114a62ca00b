import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../src/cli/summary';
import { compareTable } from '../../src/cli/report/compareTable';
import { cellsOf, reportColumns } from '../../src/cli/report/reportColumns';
import type { DatasetReport } from '../../src/cli/report/reportData';
import { readingFor } from '../../src/cli/report/reportReading';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import { prepareDataset } from '../../src/core/data/prepare';
import type { ExperimentResult } from '../../src/core/experiment/experimentResult';
import { runExperiment } from '../../src/core/experiment/runExperiment';

async function results(): Promise<ExperimentResult[]> {
  const out: ExperimentResult[] = [];
  for (const method of ['jt', 'crmt-jt'] as const) {
    const config: ExperimentConfig = {
      ...DEFAULT_CONFIG,
      data: { ...DEFAULT_CONFIG.data, toy2d: { ...DEFAULT_CONFIG.data.toy2d, samples: 300 } },
      train: { ...DEFAULT_CONFIG.train, method, epochs: 2, liveEvaluation: false },
    };
    // Read back from JSON, as `npm run results` and `compare --out` readers see it.
    const r = await runExperiment(prepareDataset(config).data, config, { eps: [0.1, 0.5], backend: 'cpu' });
    out.push(JSON.parse(JSON.stringify(r)));
  }
  return out;
}

const pct = (x: number) => (100 * x).toFixed(1);

describe('the readers of the result (summary, compare table, results reading)', () => {
  it('read clean, branch and sound certified accuracy and the median radius from the result', async () => {
    const rs = await results();
    const { header, rows } = compareTable(rs, { attackEps: 0.5, certEps: [0.1, 0.5] });
    rs.forEach((r, i) => {
      const cell = (name: string) => rows[i][header.indexOf(name)];
      expect(cell('clean')).toBe(pct(r.clean.accuracy));
      expect(cell('branch B')).toBe(pct(r.clean.branchAccuracy[1]));
      expect(cell('sound CA ε=0.1')).toBe(pct(r.certified.sound.all[0]));
      expect(cell('sound CA ε=0.5')).toBe(pct(r.certified.sound.all[1]));
      expect(cell('median r (sound)')).toBe(r.certified.sound.medianRadius.toFixed(3));
    });
    const summary = formatSummary(rs[1]);
    expect(summary).toContain(`clean accuracy     ${pct(rs[1].clean.accuracy)}%`);
    expect(summary).toMatch(
      new RegExp(
        `estimated  B +${pct(rs[1].certified.estimated.perModality[1][0])}% +${pct(rs[1].certified.estimated.perModality[1][1])}%`,
      ),
    );
    expect(summary).toContain(`median joint radius: sound ${rs[1].certified.sound.medianRadius.toPrecision(3)}`);
    // The report's reading, from the same numbers as one seed of docs/results.json.
    const o = { attackEps: 0.5, certEps: [0.1, 0.5] };
    const report: DatasetReport = {
      data: 'toy-2d',
      commit: 'test',
      dirty: false,
      minutes: null,
      name: 'toy-2d',
      modalities: rs[0].modalities,
      samples: rs[0].samples,
      ...o,
      featureStd: null,
      columns: reportColumns(rs[0].modalities, o).map(({ name, kind }) => ({ name, kind })),
      methods: rs.map((r) => ({
        method: r.method,
        runs: [
          {
            seed: 1,
            cells: cellsOf(r, o),
            halvingEps: r.preference.measured!.halvingEps,
            halvingEpsPerFeature: r.preference.measured!.halvingEpsPerFeature,
            cheapestSound: r.preference.cheapest.sound,
          },
        ],
      })),
      before: [],
      strength: [],
    };
    const reading = readingFor(report);
    const [jt] = rs;
    const preferred = jt.clean.branchAccuracy[0] >= jt.clean.branchAccuracy[1] ? 'A' : 'B';
    expect(reading).toContain(`preferred modality is **${preferred}**`);
    expect(reading).toContain(
      `The sound single-modality radii (a guarantee, not a measurement) name ${jt.preference.cheapest.sound}`,
    );
    expect(reading).toContain(`→ **${jt.preference.measured!.cheapest}**`);
    const dCa = rs[1].certified.sound.all[0] - jt.certified.sound.all[0];
    expect(reading).toContain(`crmt-jt vs jt: sound CA ε=0.1 ${dCa >= 0 ? '+' : ''}${(100 * dCa).toFixed(1)} points`);
  });
});
