import { EXPERIMENT_FORMAT, EXPERIMENT_VERSION } from '../core/params/experimentJson';
import { PARAMS } from '../core/params/paramTable';
import { BUILTIN, GROUP_TITLE, RUN_OPTIONS } from './experimentOptions';

/**
 * The parameter table and the experiment CLI's own options as plain JSON, for the Python engine
 * (python/crmt_lab/param_table.json, written by `npm run schemas`; a test fails when it drifts).
 * The Python engine reads, checks, writes and takes as flags exactly these settings, so the
 * table stays the one place a setting is declared. Functions (`applies`) and the page's own
 * fields (URL key, label) are left out: the Python engine has no panel and no URL.
 */
export function pythonParamTable(): Record<string, unknown> {
  return {
    about:
      'Generated from src/core/params by npm run schemas (src/cli/pythonParamTable.ts); read by python/crmt_lab/params.py. Do not edit.',
    experiment: { format: EXPERIMENT_FORMAT, version: EXPERIMENT_VERSION, labels: ['data.uploadName'] },
    params: PARAMS.map((p) => ({
      path: p.path,
      flag: p.flag,
      type: p.type,
      default: p.default,
      help: p.help,
      group: p.group,
      internal: p.internal ?? false,
      ...('min' in p && p.min !== undefined ? { min: p.min } : {}),
      ...('max' in p && p.max !== undefined ? { max: p.max } : {}),
      ...('nullable' in p && p.nullable ? { nullable: p.nullable } : {}),
      ...('options' in p ? { options: p.options } : {}),
      ...('aliases' in p && p.aliases ? { aliases: p.aliases } : {}),
      ...('minLength' in p ? { minLength: p.minLength, maxLength: p.maxLength } : {}),
    })),
    groupTitles: GROUP_TITLE,
    runOptions: Object.entries(RUN_OPTIONS).map(([name, o]) => ({
      name,
      type: o.type,
      help: o.help,
      ...('value' in o ? { value: o.value } : {}),
      ...('short' in o ? { short: o.short } : {}),
    })),
    builtinData: Object.keys(BUILTIN),
  };
}
