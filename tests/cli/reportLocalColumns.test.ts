import { describe, expect, it } from 'vitest';
import { compareTable } from '../../src/cli/report/compareTable';
import { cellsOf, reportColumns } from '../../src/cli/report/reportColumns';
import type { DatasetReport } from '../../src/cli/report/reportData';
import { columnHeader, methodTable } from '../../src/cli/report/reportMarkdown';
import { localReading } from '../../src/cli/report/reportReading';
import type { ExperimentResult } from '../../src/core/experiment/experimentResult';

const EPS = [0.1, 0.25];
const o = { attackEps: 0.5, certEps: EPS };

/** A result whose three kinds all differ at every ε and in the median, so a column reading the wrong kind shows. */
function result(method: string, shift: number, local = true): ExperimentResult {
  const curves = (base: number, median: number) => ({
    all: [base + shift, base + shift - 0.1],
    perModality: [
      [0.5, 0.4],
      [0.6, 0.3],
    ],
    medianRadius: median + shift,
  });
  return {
    method,
    modalities: ['A', 'B'],
    samples: 240,
    clean: { accuracy: 0.99, branchAccuracy: [0.9, 0.8] },
    robust: [],
    certified: {
      eps: EPS,
      sound: curves(0.6, 0.2),
      estimated: curves(0.93, 0.93),
      estimatedOver: 100,
      ...(local ? { local: { ...curves(0.8, 0.45), samples: 50, of: 240 } } : {}),
    },
  } as unknown as ExperimentResult;
}

describe('the report tables: local (CROWN) columns beside the sound ones', () => {
  it('compare shows each kind its own numbers, and the local columns only when a result has them', () => {
    const { header, rows } = compareTable([result('jt', 0), result('crmt-jt', 0.05)], o);
    const at = (i: number, name: string) => rows[i][header.indexOf(name)];
    expect(header).toEqual(
      expect.arrayContaining(['sound CA ε=0.1', 'local CA ε=0.1', 'sound CA ε=0.25', 'local CA ε=0.25']),
    );
    expect(header.indexOf('local CA ε=0.1')).toBe(header.indexOf('sound CA ε=0.1') + 1);
    expect(at(0, 'sound CA ε=0.1')).toBe('60.0');
    expect(at(0, 'local CA ε=0.1')).toBe('80.0');
    expect(at(0, 'local CA ε=0.25')).toBe('70.0');
    expect(at(1, 'local CA ε=0.1')).toBe('85.0');
    expect(at(0, 'median r (sound)')).toBe('0.200');
    expect(at(0, 'median r (local)')).toBe('0.450');
    expect(at(1, 'median r (local)')).toBe('0.500');
    // Estimated numbers (93.0, 0.930) appear in no column.
    expect(rows[0].filter((c) => c === '93.0' || c === '0.930')).toEqual([]);

    const without = compareTable([result('jt', 0, false)], o);
    expect(without.header.filter((h) => h.includes('local'))).toEqual([]);
    // Asked for, but absent from a result: a dash, not another kind's number.
    const asked = compareTable([result('jt', 0, false)], { ...o, local: true });
    expect(asked.rows[0][asked.header.indexOf('local CA ε=0.1')]).toBe('—');
    expect(asked.rows[0][asked.header.indexOf('median r (local)')]).toBe('—');
  });

  it('RESULTS.md names the local sample in its headers and reads the local cells, with a reading line', () => {
    const withLocal = { ...o, local: true };
    const columns = reportColumns(['A', 'B'], withLocal).map(({ name, kind, bound }) => ({ name, kind, bound }));
    const runs = (method: string, shifts: number[]) => ({
      method,
      runs: shifts.map((s, i) => ({
        seed: i + 1,
        cells: cellsOf(result(method, s), withLocal),
        halvingEps: null,
        halvingEpsPerFeature: null,
        cheapestSound: 'A',
      })),
    });
    const d: DatasetReport = {
      data: 'toy-2d',
      commit: 'c',
      dirty: false,
      minutes: 1,
      name: 'toy-2d',
      modalities: ['A', 'B'],
      samples: 240,
      ...o,
      featureStd: null,
      columns,
      localSamples: 50,
      methods: [runs('jt', [0, 0.02]), runs('crmt-jt', [0.1, 0.12])],
      before: [],
      strength: [],
    };
    const [cells, , jtCells] = methodTable(d, d.methods)
      .split('\n')
      .map((l) => l.slice(2, -2).split(' | '));
    expect(cells).toContain('local CA ε=0.1 (50 samples)');
    expect(cells).toContain('median r (local) (50 samples)');
    expect(cells).toContain('sound CA ε=0.1');
    // mean ± sd over the two seeds: local 80 and 82, sound 60 and 62.
    expect(jtCells[cells.indexOf('local CA ε=0.1 (50 samples)')]).toBe('81.0 ± 1.4');
    expect(jtCells[cells.indexOf('sound CA ε=0.1')]).toBe('61.0 ± 1.4');
    expect(jtCells[cells.indexOf('median r (local) (50 samples)')]).toBe('0.460 ± 0.014');
    // Every test sample certified: no count in the header.
    expect(
      columnHeader(
        columns.find((c) => c.bound === 'local')!,
        { samples: 50, localSamples: 50 },
      ),
    ).toBe('local CA ε=0.1');

    const line = localReading(d, 'sound CA ε=0.1')!;
    expect(line).toContain('on 50 random test samples per run');
    expect(line).toContain('jt local CA ε=0.1 81.0% (sound CA ε=0.1 on every sample 61.0%)');
    // (0.46 / 0.21) and (0.56 / 0.31)
    expect(line).toContain('median radius 2.19× the sound one');
    expect(line).toContain('crmt-jt local CA ε=0.1 91.0%');
    expect(line).toContain('median radius 1.81× the sound one');
    expect(line).toContain('crmt-jt vs jt under it: +10.0 points.');
    expect(localReading({ ...d, columns: columns.filter((c) => c.bound !== 'local') }, 'sound CA ε=0.1')).toBeNull();
  });
});
