import { writeFile } from 'node:fs/promises';
import { standardised } from '../core/data/prepare';
import type { ExperimentResult } from '../core/experiment/experimentResult';
import { runExperiment } from '../core/experiment/runExperiment';
import { isMethodId, METHOD_IDS } from '../core/train/methods';
import { numberList, parseArgs } from './args';
import { compareTable, toText } from './compareTable';
import { cliOptions } from './experimentConfig';
import { loadData } from './loadData';
import { initNodeBackend } from './nodeBackend';

const USAGE = `Usage: npm run compare -- --data <toy-2d | folder> --methods jt,crmt-jt,… [--seed S] [--epochs N]
  [--modalities a,b] [--eps 0.1,0.25,0.5] [--attack-eps X] [--out results.json] and any experiment option.
Methods: ${METHOD_IDS.join(', ')}`;

/** `npm run compare`: several methods, one seed, one table. */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.has('help')) return void console.log(USAGE);
  const methods = (args.get('methods') ?? 'jt,crmt-jt').split(',').map((m) => m.trim());
  for (const m of methods)
    if (!isMethodId(m)) throw new Error(`--methods: "${m}" is not one of ${METHOD_IDS.join(', ')}.`);
  args.delete('methods');
  const attackEpsArg = args.get('attack-eps');
  args.delete('attack-eps');
  const o = cliOptions(args);
  const backend = await initNodeBackend(o.backend);
  const { data } = standardised(await loadData(o.data, o.modalities, o.config.train.seed));
  const results: ExperimentResult[] = [];
  for (const method of methods) {
    process.stderr.write(`training ${method}…\n`);
    const config = { ...o.config, train: { ...o.config.train, method: method as (typeof METHOD_IDS)[number] } };
    results.push(await runExperiment(data, config, { eps: o.eps, evalSplit: o.evalSplit, backend: backend.name }));
  }
  const attackEps = attackEpsArg ? numberList(attackEpsArg, '--attack-eps')[0] : o.eps[Math.min(1, o.eps.length - 1)];
  console.log(
    `${data.name} (${results[0].modalities.join(' + ')}), seed ${o.config.train.seed}, backend ${backend.name}; ` +
      `test accuracy in %, attacks at ε = ${attackEps}`,
  );
  console.log(toText(compareTable(results, { attackEps, certEps: o.eps.slice(0, 2) })));
  if (o.out) await writeFile(o.out, JSON.stringify(results, null, 2) + '\n');
}

main().catch((e: unknown) => {
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
