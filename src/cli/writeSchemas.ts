import { writeFile } from 'node:fs/promises';
import { experimentSchema } from '../core/params/experimentSchema';
import { commandLine } from './commandLine';
import { runMain } from './usageError';

const USAGE = `Usage: npm run schemas

Writes schemas/experiment.schema.json, generated from the parameter table.
  -h, --help   print this help and exit`;

/** `npm run schemas`: writes the schemas generated from the code (the parameter table) into schemas/. */
async function main(): Promise<void> {
  if (!commandLine(process.argv.slice(2), { options: {}, usage: USAGE })) return;
  await writeFile('schemas/experiment.schema.json', JSON.stringify(experimentSchema(), null, 2) + '\n');
  console.log('wrote schemas/experiment.schema.json');
}

runMain(main, "Run 'npm run schemas -- --help'.");
