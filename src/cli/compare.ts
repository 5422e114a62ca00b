import { writeFile } from 'node:fs/promises';
import { standardised } from '../core/data/prepare';
import type { ExperimentResult } from '../core/experiment/experimentResult';
import { runExperiment } from '../core/experiment/runExperiment';
import { parseText } from '../core/params/paramCodec';
import { paramAt } from '../core/params/paramTable';
import { isMethodId, METHOD_IDS, type MethodId } from '../core/train/methods';
import { compareTable, toText } from './report/compareTable';
import { refuseNaN } from './refuseNaN';
import { experimentCli, experimentUsage } from './experimentOptions';
import { loadData } from './loadData';
import { initNodeBackend } from './nodeBackend';
import { ProgressReporter } from './progress';
import { runMain, UsageError } from './usageError';

const COMMAND = 'npm run compare --';
const EXTRA = {
  methods: { type: 'string' },
  'attack-eps': { type: 'string' },
} as const;
const EXTRA_HELP = [
  { flag: '--methods LIST', help: `methods to train, comma-separated (default jt,crmt-jt): ${METHOD_IDS.join(', ')}` },
  { flag: '--attack-eps X', help: "the ε the table's attack columns read (default: the second report ε)" },
];

/** `npm run compare`: several methods, one seed, one table. */
async function main(): Promise<void> {
  const o = await experimentCli(process.argv.slice(2), EXTRA);
  if (o.help) return void console.log(experimentUsage(COMMAND, EXTRA_HELP));
  const methods = String(o.extra.methods ?? 'jt,crmt-jt')
    .split(',')
    .map((m) => m.trim());
  for (const m of methods)
    if (!isMethodId(m)) throw new UsageError(`--methods: "${m}" is not one of ${METHOD_IDS.join(', ')}.`);
  const eps = o.config.attack.eps;
  let attackEps = eps[Math.min(1, eps.length - 1)];
  if (typeof o.extra['attack-eps'] === 'string') {
    const r = parseText(paramAt('attack.eps'), o.extra['attack-eps']);
    if (!r.ok || !Array.isArray(r.value) || r.value.length !== 1)
      throw new UsageError(`--attack-eps: "${o.extra['attack-eps']}" is not one budget.`);
    attackEps = r.value[0] as number;
  }
  const backend = await initNodeBackend(o.backend);
  const { data, stats } = standardised(await loadData(o.data, o.config));
  const results: ExperimentResult[] = [];
  for (const [i, method] of methods.entries()) {
    const progress = new ProgressReporter(`${method} ${i + 1}/${methods.length}`);
    const config = { ...o.config, train: { ...o.config.train, method: method as MethodId } };
    results.push(
      await runExperiment(data, config, {
        eps: [...new Set([...eps, attackEps])],
        evalSplit: o.evalSplit,
        standardisation: stats,
        backend: backend.name,
        onSnapshot: (s) => progress.snapshot(s),
        onEvaluation: (p) => progress.evaluation(p),
      }),
    );
  }
  console.log(
    `${data.name} (${results[0].modalities.join(' + ')}), seed ${o.config.train.seed}, backend ${backend.name}; ` +
      `test accuracy in %, attacks at ε = ${attackEps}`,
  );
  console.log(toText(compareTable(results, { attackEps, certEps: eps.slice(0, 2) })));
  if (o.out) await writeFile(o.out, JSON.stringify(results, null, 2) + '\n');
  refuseNaN(results);
}

runMain(main, `Run '${COMMAND} --help' for every option.`);
