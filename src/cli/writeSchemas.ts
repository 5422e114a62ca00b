import { writeFile } from 'node:fs/promises';
import { experimentSchema } from '../core/params/experimentSchema';
import { commandLine } from './commandLine';
import { pythonParamTable } from './pythonParamTable';
import { runMain } from './usageError';

const USAGE = `Usage: npm run schemas

Writes schemas/experiment.schema.json and python/crmt_lab/param_table.json (the table for the
Python engine), both generated from the parameter table.
  -h, --help   print this help and exit`;

/** `npm run schemas`: writes what is generated from the parameter table: the experiment's schema, and the table for the Python engine. */
async function main(): Promise<void> {
  if (!commandLine(process.argv.slice(2), { options: {}, usage: USAGE })) return;
  await writeFile('schemas/experiment.schema.json', JSON.stringify(experimentSchema(), null, 2) + '\n');
  console.log('wrote schemas/experiment.schema.json');
  await writeFile('python/crmt_lab/param_table.json', JSON.stringify(pythonParamTable(), null, 2) + '\n');
  console.log('wrote python/crmt_lab/param_table.json');
}

runMain(main, "Run 'npm run schemas -- --help'.");
