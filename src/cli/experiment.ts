import { writeFile } from 'node:fs/promises';
import { standardised } from '../core/data/prepare';
import { applyStandardisation } from '../core/data/standardise';
import { exportModel, standardisationOf } from '../core/io/exportModel';
import type { MultiModalModel } from '../core/model/model';
import { readModelFiles, writeModelFiles } from './modelFiles';
import { runExperiment } from '../core/experiment/runExperiment';
import { PHASE_LABEL } from '../core/train/snapshot';
import { parseArgs } from './args';
import { cliOptions, USAGE } from './experimentConfig';
import { loadData } from './loadData';
import { initNodeBackend } from './nodeBackend';
import { formatSummary } from './summary';

/** `npm run experiment -- …`: the worker's training path, headless, with a JSON result. */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.has('help')) return void console.log(USAGE);
  const o = cliOptions(args);
  const backend = await initNodeBackend(o.backend);
  const raw = await loadData(o.data, o.modalities, o.config.train.seed);
  let { data, stats } = standardised(raw);
  let config = o.config;
  let model: MultiModalModel | undefined;
  if (o.weights) {
    const imported = await readModelFiles(o.weights, raw);
    model = imported.model;
    // The model's own standardisation and method; only the epochs (0: evaluate only) come from the command.
    stats = standardisationOf(imported.config);
    data = applyStandardisation(raw, stats);
    config = {
      ...config,
      model: config.model,
      train: { ...imported.config.train, epochs: config.train.epochs, liveEvaluation: false },
    };
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
        method: config.train.method,
        train: config.train,
        standardisation: stats,
      });
      await writeModelFiles(o.exportTo, files);
      console.log(`exported ${Object.keys(files).join(', ')} to ${o.exportTo}`);
    },
    eps: o.eps,
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

main().catch((e: unknown) => {
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
