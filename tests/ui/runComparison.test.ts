import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import type { EpochRecord } from '../../src/core/train/snapshot';
import { comparisonColumns, comparisonCsv, differingParams, sortRuns } from '../../src/ui/runs/runComparison';
import type { RunSummary } from '../../src/worker/runs/storedRun';

const config = (train: Partial<ExperimentConfig['train']>, model: Partial<ExperimentConfig['model']> = {}) => ({
  ...DEFAULT_CONFIG,
  model: { ...DEFAULT_CONFIG.model, ...model },
  train: { ...DEFAULT_CONFIG.train, ...train },
});

function run(id: number, name: string, c: ExperimentConfig, val: number): RunSummary {
  const last = { val: { accuracy: val, branchAccuracy: [val - 0.1, val - 0.3] } } as unknown as EpochRecord;
  return {
    id,
    name,
    createdAt: 0,
    updatedAt: 0,
    status: 'done',
    config: c,
    dataset: 'toy-2d',
    modalities: ['A', 'B'],
    weightsEpoch: 3,
    weightBytes: 0,
    bytes: 0,
    epochs: 3,
    valAccuracy: [val],
    last,
    evaluation: null,
  };
}

describe('run comparison', () => {
  it('lists the hyper-parameters that differ, from the parameter table, ignoring those that apply to no run', () => {
    const jt = config({ method: 'jt', learningRate: 0.005 });
    const crmt = config({ method: 'crmt-jt', learningRate: 0.002, rho: 1 });
    // Settings of CRMT alone (step 2, ρ) at their defaults are explained by the method: not listed.
    expect(differingParams([jt, config({ method: 'crmt-jt', learningRate: 0.002 })]).map((p) => p.path)).toEqual([
      'train.method',
      'train.learningRate',
    ]);
    // A setting changed where it means nothing (AT's ε on two jt runs) does not differ.
    const jtOtherEps = config({ method: 'jt', at: { ...DEFAULT_CONFIG.train.at, eps: 0.3 } });
    expect(differingParams([jt, crmt]).map((p) => p.path)).toEqual(['train.method', 'train.learningRate', 'train.rho']);
    expect(differingParams([config({ method: 'jt' }), jtOtherEps])).toEqual([]);
    expect(
      differingParams([config({ method: 'jt' }), config({ method: 'jt' }, { hidden: [32, 16] })]).map((p) => p.path),
    ).toEqual(['model.hidden']);
  });

  it('shows each value as typed, — where a setting does not apply, then the final numbers', () => {
    const runs = [
      run(1, 'jt', config({ method: 'jt' }), 0.9),
      run(2, 'crmt', config({ method: 'crmt-jt', rho: 1 }), 0.95),
    ];
    const cols = comparisonColumns(runs);
    const byId = Object.fromEntries(cols.map((c) => [c.id, c]));
    expect(cols.filter((c) => c.kind === 'param').map((c) => c.id)).toEqual(['train.method', 'train.rho']);
    expect(byId['train.rho'].show(runs[0])).toBe('—');
    expect(byId['train.rho'].show(runs[1])).toBe('1');
    expect(byId.val.show(runs[1])).toBe('95.0%');
    expect(byId['branch:B'].value(runs[0])).toBeCloseTo(0.6, 12);
  });

  it('sorts by any column, numbers as numbers, either way, missing values last', () => {
    const runs = [
      run(1, 'a', config({ method: 'jt', learningRate: 0.01 }), 0.8),
      run(2, 'b', config({ method: 'jt', learningRate: 0.002 }), 0.95),
      run(3, 'c', config({ method: 'jt', learningRate: 0.1 }), 0.9),
    ];
    const cols = comparisonColumns(runs);
    const ids = (column: string, descending: boolean) => sortRuns(runs, cols, { column, descending }).map((r) => r.id);
    expect(ids('train.learningRate', false)).toEqual([2, 1, 3]);
    expect(ids('train.learningRate', true)).toEqual([3, 1, 2]);
    expect(ids('val', true)).toEqual([2, 3, 1]);
    expect(sortRuns(runs, cols, null).map((r) => r.id)).toEqual([1, 2, 3]);
    const withMissing = [...runs, { ...run(4, 'd', config({ method: 'jt' }), 0.5), last: null }];
    const c2 = comparisonColumns(withMissing);
    for (const descending of [false, true])
      expect(sortRuns(withMissing, c2, { column: 'val', descending }).at(-1)!.id).toBe(4);
  });

  it('exports the table as CSV: labels, values as numbers, quoted where needed', () => {
    const runs = [
      run(1, 'jt, first', config({ method: 'jt', learningRate: 0.005 }), 0.9),
      run(2, 'x', config({ method: 'jt' }), 0.5),
    ];
    const cols = comparisonColumns(runs);
    const lines = comparisonCsv(runs, cols).trim().split('\n');
    expect(lines[0]).toBe(
      'run,Learning rate,epochs,val accuracy,A alone,B alone,sound CA ε=0.1,sound CA ε=0.25,median radius (sound)',
    );
    expect(lines[1]).toBe(`"#1 jt, first",0.005,3,0.9,${0.9 - 0.1},${0.9 - 0.3},,,`);
    expect(lines).toHaveLength(3);
  });
});
