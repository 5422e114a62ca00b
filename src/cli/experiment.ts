import { writeFile } from 'node:fs/promises';
import { standardised } from '../core/data/prepare';
import { applyStandardisation } from '../core/data/standardise';
import { exportModel, standardisationOf } from '../core/io/exportModel';
import type { MultiModalModel } from '../core/model/model';
import { getAt, setAt } from '../core/params/paths';
import type { ConfigPath } from '../core/params/paramTypes';
import { readModelFiles, writeModelFiles } from './modelFiles';
import { refuseNaN } from './refuseNaN';
import { runExperiment } from '../core/experiment/runExperiment';
import { experimentCli, experimentUsage } from './experimentOptions';
import { loadData } from './loadData';
import { initNodeBackend } from './nodeBackend';
import { ProgressReporter } from './progress';
import { formatSummary } from './summary';
import { runMain } from './usageError';

const COMMAND = 'npm run experiment --';

/** `npm run experiment -- …`: the worker's training path, headless, with a JSON result. */
async function main(): Promise<void> {
  const o = await experimentCli(process.argv.slice(2));
  if (o.help) return void console.log(experimentUsage(COMMAND));
  const backend = await initNodeBackend(o.backend);
  let config = o.config;
  let model: MultiModalModel | undefined;
  const raw = await loadData(o.data, config);
  let { data, stats } = standardised(raw);
  if (o.weights) {
    const imported = await readModelFiles(o.weights, raw);
    model = imported.model;
    // The model's own experiment and standardisation; what the command line set itself overrides it.
    const own = { ...imported.experiment, data: config.data, modalities: config.modalities };
    for (const path of o.flagged) setAt(own, path as ConfigPath, getAt(config, path));
    config = { ...own, train: { ...own.train, liveEvaluation: false } };
    stats = standardisationOf(imported.config);
    data = applyStandardisation(raw, stats);
    console.log(`loaded ${imported.config.method} weights from ${o.weights}`);
  }
  const progress = new ProgressReporter(config.train.method);
  const result = await runExperiment(data, config, {
    model,
    onTrained: async (trained) => {
      if (!o.exportTo) return;
      const files = await exportModel(trained, {
        dataset: data.name,
        modalities: data.modalities,
        classes: data.classNames,
        experiment: config,
        standardisation: stats,
      });
      await writeModelFiles(o.exportTo, files);
      console.log(`exported ${Object.keys(files).join(', ')} to ${o.exportTo}`);
    },
    eps: config.attack.eps,
    standardisation: stats,
    evalSplit: o.evalSplit,
    backend: backend.name,
    onSnapshot: (s) => progress.snapshot(s),
    onEvaluation: (p) => progress.evaluation(p),
  });
  console.log(formatSummary(result));
  if (o.out) {
    await writeFile(o.out, JSON.stringify(result, null, 2) + '\n');
    console.log(`\nwrote ${o.out}`);
  }
  refuseNaN([result]);
}

runMain(main, `Run '${COMMAND} --help' for every option.`);
