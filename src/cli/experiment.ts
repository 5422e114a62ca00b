import { writeFile } from 'node:fs/promises';
import { standardised } from '../core/data/prepare';
import { applyStandardisation } from '../core/data/standardise';
import { exportModel, standardisationOf } from '../core/io/exportModel';
import type { MultiModalModel } from '../core/model/model';
import { getAt, setAt } from '../core/params/paths';
import type { ConfigPath } from '../core/params/paramTypes';
import { readModelFiles, writeModelFiles } from './modelFiles';
import { runExperiment } from '../core/experiment/runExperiment';
import { PHASE_LABEL } from '../core/train/snapshot';
import { experimentCli, experimentUsage } from './experimentOptions';
import { loadData } from './loadData';
import { initNodeBackend } from './nodeBackend';
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
    evalSplit: o.evalSplit,
    backend: backend.name,
    onSnapshot: (s) => {
      if (s.kind === 'epoch' && (s.record.epoch === s.progress.epochs || s.record.epoch % 10 === 0))
        process.stderr.write(
          `${PHASE_LABEL[s.record.phase]} epoch ${s.record.epoch}/${s.progress.epochs}: ` +
            `loss ${s.progress.loss.toFixed(4)}, val acc ${(100 * s.record.val.accuracy).toFixed(1)}%\n`,
        );
      if (s.kind === 'lipschitz') process.stderr.write(`Lipschitz estimation done (${s.lipschitz.kind})\n`);
    },
  });
  console.log(formatSummary(result));
  if (o.out) {
    await writeFile(o.out, JSON.stringify(result, null, 2) + '\n');
    console.log(`\nwrote ${o.out}`);
  }
}

runMain(main, `Run '${COMMAND} --help' for every option.`);
