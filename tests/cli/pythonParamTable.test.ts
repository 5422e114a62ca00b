import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { experimentUsage } from '../../src/cli/experimentOptions';
import { pythonParamTable } from '../../src/cli/pythonParamTable';
import { SETTINGS_PARAMS } from '../../src/core/params/paramTable';

const FILE = 'python/crmt_lab/param_table.json';

describe("the Python engine's copy of the parameter table", () => {
  it(`${FILE} is what the table generates today (npm run schemas)`, () => {
    expect(JSON.parse(readFileSync(FILE, 'utf8'))).toEqual(JSON.parse(JSON.stringify(pythonParamTable())));
  });

  it('carries every flag and run option --help lists, with its default and range', () => {
    const table = pythonParamTable() as {
      params: { path: string; flag: string | null; default: unknown; min?: number; max?: number }[];
      runOptions: { name: string }[];
    };
    const flags = [...experimentUsage('x').matchAll(/^ {2}(?:-\w, )?--([\w-]+)/gm)].map((m) => m[1]);
    const carried = [...table.params.map((p) => p.flag), ...table.runOptions.map((o) => o.name)];
    expect(flags.length).toBeGreaterThan(40);
    expect(flags.filter((f) => !carried.includes(f))).toEqual([]);
    const batch = table.params.find((p) => p.path === 'train.batchSize')!;
    expect(batch).toMatchObject({ flag: 'batch', default: 64, min: 1, max: 4096 });
    expect(table.params.filter((p) => SETTINGS_PARAMS.some((s) => s.path === p.path))).toHaveLength(
      SETTINGS_PARAMS.length,
    );
  });
});
